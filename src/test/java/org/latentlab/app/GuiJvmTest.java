package org.latentlab.app;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GuiJvmTest {

    /** What the second JVM sees: its collectors, arguments and launch time; exits with status 7. */
    public static final class Report {
        public static void main(String[] args) {
            StringBuilder gcs = new StringBuilder();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) gcs.append(gc.getName()).append(';');
            System.out.println("collectors=" + gcs);
            System.out.println("args=" + String.join("|", args));
            System.out.println("launchedAt=" + GuiJvm.launchedAtMillis());
            System.out.println("relaunched=" + Boolean.getBoolean(GuiJvm.RELAUNCHED_PROPERTY));
            System.out.println("user=" + System.getProperty("user.option"));
            System.exit(7);
        }
    }

    @Test
    void theSecondJvmRunsTheConcurrentCollectorWithTheUsersOptionsAndArguments() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String collector = GuiJvm.concurrentCollector().orElseThrow();
        List<String> command = GuiJvm.command(java, List.of("-Xmx256m", "-Duser.option=kept"), collector,
                System.getProperty("java.class.path"), 1_234_567L, Report.class.getName(),
                new String[] {"--dataset", "my folder/with spaces", "--json"});
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(7, p.exitValue(), out);
        // the collector this JVM's build has (Shenandoah in Debian's OpenJDK, ZGC in Oracle's builds)
        assertTrue(out.contains(collector.equals("-XX:+UseShenandoahGC") ? "collectors=Shenandoah" : "collectors=ZGC"), out);
        assertTrue(out.contains("args=--dataset|my folder/with spaces|--json"), out);
        assertTrue(out.contains("launchedAt=1234567"), "window-shown times count from the first JVM's start: " + out);
        assertTrue(out.contains("relaunched=true"), out);
        assertTrue(out.contains("user=kept"), out);
    }

    @Test
    void aCollectorTheUserNamedIsKept() {
        assertTrue(GuiJvm.namesCollector(List.of("-Xmx2g", "-XX:+UseG1GC")));
        assertTrue(GuiJvm.namesCollector(List.of("-XX:+UseShenandoahGC")));
        assertFalse(GuiJvm.namesCollector(List.of("-Xmx2g", "-XX:+UseStringDeduplication", "-XX:+UseAdaptiveSizePolicyWithSystemGC", "-Dgc=-XX:+UseG1GC")));
    }

    @Test
    void withoutAFirstJvmTheLaunchIsThisJvmsStart() {
        assertNull(System.getProperty(GuiJvm.LAUNCHED_AT_PROPERTY));
        assertEquals(ManagementFactory.getRuntimeMXBean().getStartTime(), GuiJvm.launchedAtMillis());
    }
}
