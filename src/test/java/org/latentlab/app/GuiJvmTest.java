package org.latentlab.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuiJvmTest {

    /** What the second JVM sees: its collectors, arguments and launch time; exits with status 7. */
    public static final class Report {
        public static void main(String[] args) {
            GuiJvm.confirmStarted();
            StringBuilder gcs = new StringBuilder();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) gcs.append(gc.getName()).append(';');
            System.out.println("collectors=" + gcs);
            System.out.println("args=" + String.join("|", args));
            System.out.println("launchedAt=" + GuiJvm.launchedAtMillis());
            System.out.println("relaunched=" + GuiJvm.relaunched());
            System.out.println("user=" + System.getProperty("user.option"));
            System.exit(7);
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Optional<String> collector() {
        Optional<String> c = GuiJvm.concurrentCollector();
        assumeTrue(c.isPresent(), "this JVM has Shenandoah or ZGC");
        return c;
    }

    @Test
    void theSecondJvmRunsTheConcurrentCollectorWithTheUsersOptionsAndArguments(@TempDir Path dir) throws Exception {
        String collector = collector().get();
        Path starting = Files.createFile(dir.resolve("gui.starting"));
        Path out = dir.resolve("out.txt");
        List<String> command = GuiJvm.command(java(), List.of("-Xmx256m", "-Duser.option=kept"), collector,
                System.getProperty("java.class.path"), 1_234_567L, starting, Report.class.getName(),
                new String[] {"--dataset", "my folder/with spaces", "--json"});
        OptionalInt status = GuiJvm.run(command, starting, ProcessBuilder.Redirect.to(out.toFile()));
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(OptionalInt.of(7), status, "the GUI's exit status is the launcher's: " + text);
        assertFalse(Files.exists(starting), "the second JVM said it started, and the file is gone");
        // the collector this JVM's build has (Shenandoah in Debian's OpenJDK, ZGC in Oracle's builds)
        assertTrue(text.contains(collector.equals("-XX:+UseShenandoahGC") ? "collectors=Shenandoah" : "collectors=ZGC"), text);
        assertTrue(text.contains("args=--dataset|my folder/with spaces|--json"), text);
        assertTrue(text.contains("launchedAt=1234567"), "window-shown times count from the first JVM's start: " + text);
        assertTrue(text.contains("relaunched=true"), text);
        assertTrue(text.contains("user=kept"), text);
    }

    @Test
    void aSecondJvmThatCannotStartLeavesTheGuiToThisOne(@TempDir Path dir) throws Exception {
        String collector = collector().get();
        Path starting = Files.createFile(dir.resolve("gui.starting"));
        // an option the JVM refuses: it exits before any main method runs
        List<String> command = GuiJvm.command(java(), List.of("-XX:+NoSuchOptionAnywhere"), collector,
                System.getProperty("java.class.path"), 1L, starting, Report.class.getName(), new String[0]);
        OptionalInt status = GuiJvm.run(command, starting, ProcessBuilder.Redirect.to(dir.resolve("out.txt").toFile()));
        assertEquals(OptionalInt.empty(), status, "start the GUI here instead");
        assertFalse(Files.exists(starting));
    }

    @Test
    void aCollectorTheUserNamedOrAnOptionTwoJvmsCannotShareKeepsThisJvm() {
        assertTrue(GuiJvm.keepsThisJvm(List.of("-Xmx2g", "-XX:+UseG1GC")));
        assertTrue(GuiJvm.keepsThisJvm(List.of("-XX:+UseShenandoahGC")));
        assertTrue(GuiJvm.keepsThisJvm(List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005")));
        assertTrue(GuiJvm.keepsThisJvm(List.of("-javaagent:/tmp/agent.jar")));
        assertTrue(GuiJvm.keepsThisJvm(List.of("-XX:StartFlightRecording=filename=rec.jfr")));
        assertFalse(GuiJvm.keepsThisJvm(List.of("-Xmx2g", "-XX:+UseStringDeduplication",
                "-XX:+UseAdaptiveSizePolicyWithSystemGC", "-Dgc=-XX:+UseG1GC")));
    }

    @Test
    void withoutAFirstJvmTheLaunchIsThisJvmsStart() {
        assertNull(System.getProperty(GuiJvm.LAUNCHED_AT_PROPERTY));
        assertEquals(ManagementFactory.getRuntimeMXBean().getStartTime(), GuiJvm.launchedAtMillis());
    }
}
