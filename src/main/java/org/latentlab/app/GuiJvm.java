package org.latentlab.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Runs the GUI in a JVM whose garbage collector does not stop the JavaFX thread for long. With the
 * default collector (G1) a young collection stopped every thread for 61–88 ms now and then while a
 * model trained on the 2-core VM, more than the 50 ms a frame may wait. Shenandoah and ZGC collect
 * concurrently. In three bench-gui runs each (training thread lowered), the longest frame wait
 * while training was 40–44 ms with Shenandoah and 46–54 ms with ZGC, p99 21–24 against 28–31 ms
 * (ZGC's barriers and whole-heap cycles take more of two cores), so Shenandoah is chosen where the
 * JVM has it (Oracle's builds do not) and ZGC elsewhere.
 *
 * <p>A jar cannot name JVM options, so a plain {@code java -jar} start of the GUI starts one more
 * JVM with the chosen collector and the user's own options, then waits for it and exits with its
 * status. A user who names a collector keeps it, and the app starts no second JVM.
 */
final class GuiJvm {
    /** Set in the JVM started here, so that it never starts another. */
    static final String RELAUNCHED_PROPERTY = "latentlab.gui.relaunched";
    /** Epoch milliseconds at which the user's launch began (the first JVM's start). */
    static final String LAUNCHED_AT_PROPERTY = "latentlab.launchedAt";

    private static final Pattern COLLECTOR_CHOICE = Pattern.compile("-XX:[+-]Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon)GC");

    private GuiJvm() {}

    /**
     * Starts the GUI in a JVM with {@link #concurrentCollector()} unless this JVM is already suitable;
     * returns the GUI's exit status, or empty when the GUI should start in this JVM (also when the
     * second JVM could not be started).
     */
    static OptionalInt relaunch(String[] args) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Optional<String> collector = concurrentCollector();
        // options from JAVA_TOOL_OPTIONS are among the input arguments too
        if (relaunched() || namesCollector(jvmOptions) || collector.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> command = command(javaExecutable(), jvmOptions, collector.get(), System.getProperty("java.class.path"),
                ManagementFactory.getRuntimeMXBean().getStartTime(), Launcher.class.getName(), args);
        try {
            Process gui = new ProcessBuilder(command).inheritIO().start();
            // a stopped launcher (Ctrl-C, kill) stops the GUI with it
            Runtime.getRuntime().addShutdownHook(new Thread(gui::destroy, "stop-gui-jvm"));
            return OptionalInt.of(gui.waitFor());
        } catch (java.io.IOException e) {
            System.err.println("latent-lab: could not start the GUI's JVM (" + e.getMessage() + "), starting it here");
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        }
    }

    /** The second JVM's command: the user's JVM options, the collector, then this class path, main class and arguments. */
    static List<String> command(String java, List<String> jvmOptions, String collectorOption, String classPath,
                                long launchedAtMillis, String mainClass, String[] args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.add(collectorOption);
        c.add("-D" + RELAUNCHED_PROPERTY + "=true");
        c.add("-D" + LAUNCHED_AT_PROPERTY + "=" + launchedAtMillis);
        c.add("-cp");
        c.add(classPath); // a jar's manifest Class-Path is honoured on -cp as on -jar
        c.add(mainClass);
        c.addAll(List.of(args));
        return c;
    }

    /** When the user's launch began: the first JVM's start when this one was started by it. */
    static long launchedAtMillis() {
        long launchedAt = Long.getLong(LAUNCHED_AT_PROPERTY, 0L);
        return launchedAt > 0 ? launchedAt : ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * The option selecting Shenandoah, or ZGC, when this JVM (whose executable starts the second one)
     * was built with it: a collector's own tuning flags exist only in a build that has the collector.
     */
    static Optional<String> concurrentCollector() {
        var vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        if (vm == null) return Optional.empty();
        if (hasOption(vm, "ShenandoahGCHeuristics")) return Optional.of("-XX:+UseShenandoahGC");
        if (hasOption(vm, "ZCollectionInterval")) return Optional.of("-XX:+UseZGC");
        return Optional.empty();
    }

    private static boolean hasOption(HotSpotDiagnosticMXBean vm, String name) {
        try {
            vm.getVMOption(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether this JVM is the second one, started by {@link #relaunch}. */
    static boolean relaunched() {
        return Boolean.getBoolean(RELAUNCHED_PROPERTY);
    }

    /** Seconds from the user's launch to this JVM's start (the cost of starting a second JVM). */
    static double secondsFromLaunchToThisJvm() {
        return (ManagementFactory.getRuntimeMXBean().getStartTime() - launchedAtMillis()) / 1000.0;
    }

    static boolean namesCollector(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> COLLECTOR_CHOICE.matcher(o).matches());
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
