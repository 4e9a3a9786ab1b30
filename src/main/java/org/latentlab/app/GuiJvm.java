package org.latentlab.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
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
 * <p>A jar cannot name JVM options, so a start of the GUI ({@code java -jar} or any other) starts
 * one more JVM with the chosen collector and the user's own options, then waits for it and exits
 * with its status. A user who names a collector keeps it, and the app starts no second JVM; so do
 * options two JVMs cannot share, such as a debugger agent ({@link #keepsThisJvm}).
 */
final class GuiJvm {
    /** Set in the JVM started here, so that it never starts another. */
    static final String RELAUNCHED_PROPERTY = "latentlab.gui.relaunched";
    /** A file the second JVM deletes when it has started (see {@link #run}). */
    static final String STARTING_FILE_PROPERTY = "latentlab.gui.startingFile";
    /** Epoch milliseconds at which the user's launch began (the first JVM's start). */
    static final String LAUNCHED_AT_PROPERTY = "latentlab.launchedAt";

    private static final List<String> UNSHAREABLE = List.of("-agentlib", "-agentpath", "-javaagent", "-Xrunjdwp",
            "-Xdebug", "-XX:StartFlightRecording", "-XX:ArchiveClassesAtExit", "-Dcom.sun.management.jmxremote");
    private static final Pattern COLLECTOR_CHOICE = Pattern.compile("-XX:[+-]Use(Serial|Parallel|ParallelOld|G1|Z|Shenandoah|Epsilon)GC");

    private GuiJvm() {}

    /**
     * Starts the GUI in a JVM with {@link #concurrentCollector()} unless this JVM should be kept;
     * returns the GUI's exit status, or empty when the GUI should start in this JVM (also when the
     * second JVM could not be started or failed before reaching its main method).
     */
    static OptionalInt relaunch(String[] args) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        Optional<String> collector = concurrentCollector();
        if (relaunched() || keepsThisJvm(jvmOptions) || collector.isEmpty()) return OptionalInt.empty();
        Path starting;
        try {
            starting = Files.createTempFile("latent-lab-gui-", ".starting");
        } catch (IOException e) {
            return OptionalInt.empty();
        }
        List<String> command = command(javaExecutable(), jvmOptions, collector.get(), System.getProperty("java.class.path"),
                ManagementFactory.getRuntimeMXBean().getStartTime(), starting, Launcher.class.getName(), args);
        return run(command, starting, ProcessBuilder.Redirect.INHERIT);
    }

    /**
     * Runs the second JVM and waits for it. {@code starting} is a file the second JVM deletes as
     * soon as its main method runs ({@link #confirmStarted}): if it failed with the file still
     * there, the JVM itself did not start (a collector it cannot run, an option it refuses), and
     * the GUI starts in this JVM instead.
     */
    static OptionalInt run(List<String> command, Path starting, ProcessBuilder.Redirect output) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                    .redirectOutput(output).redirectError(output);
            // their options are in the command already (they are among this JVM's input arguments);
            // read twice, an agent would load twice
            builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
            Process gui = builder.start();
            // a launcher stopped by a signal (Ctrl-C, kill) stops the GUI and waits for it to close
            Thread stopGui = new Thread(() -> {
                gui.destroy();
                try {
                    gui.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-gui-jvm");
            Runtime.getRuntime().addShutdownHook(stopGui);
            int status = gui.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopGui);
            if (status != 0 && Files.exists(starting)) {
                System.err.println("latent-lab: the GUI's JVM did not start (exit status " + status
                        + "); starting the GUI in this one");
                return OptionalInt.empty();
            }
            return OptionalInt.of(status);
        } catch (IOException e) {
            System.err.println("latent-lab: could not start the GUI's JVM (" + e.getMessage() + "), starting the GUI in this one");
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.of(130);
        } finally {
            try {
                Files.deleteIfExists(starting);
            } catch (IOException ignored) {
                // a temporary file left behind
            }
        }
    }

    /** Called first thing in the second JVM: tells the first one that this JVM started. */
    static void confirmStarted() {
        String starting = System.getProperty(STARTING_FILE_PROPERTY);
        if (starting == null) return;
        try {
            Files.deleteIfExists(Path.of(starting));
        } catch (IOException | RuntimeException ignored) {
            // the first JVM then takes a failure of this one for a failed start and starts the GUI itself
        }
    }

    /** The second JVM's command: the user's JVM options, the collector, then this class path, main class and arguments. */
    static List<String> command(String java, List<String> jvmOptions, String collectorOption, String classPath,
                                long launchedAtMillis, Path starting, String mainClass, String[] args) {
        List<String> c = new ArrayList<>();
        c.add(java);
        c.addAll(jvmOptions);
        c.add(collectorOption);
        c.add("-D" + RELAUNCHED_PROPERTY + "=true");
        c.add("-D" + LAUNCHED_AT_PROPERTY + "=" + launchedAtMillis);
        c.add("-D" + STARTING_FILE_PROPERTY + "=" + starting);
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

    /**
     * Whether the GUI should start in this JVM: the user named a collector, or an option cannot be
     * shared by two JVMs (a debugger's or agent's port and load, a recording or archive written at
     * exit, a JMX port).
     */
    static boolean keepsThisJvm(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(o -> COLLECTOR_CHOICE.matcher(o).matches()
                || UNSHAREABLE.stream().anyMatch(o::startsWith));
    }

    /** This JVM's java launcher (not the process's executable, which may be an embedding launcher). */
    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
