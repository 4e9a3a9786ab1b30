package org.latentlab.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Lowers the scheduling priority of background threads, so that on a machine with few cores the
 * JavaFX thread (and the renderer and the display server) gets a core as soon as it wakes while
 * training holds one. On the 2-core VM (bench-gui, Shenandoah), training at the normal priority
 * left the JavaFX thread waiting 52 ms for a frame in one run of four; 10 steps lower the longest
 * wait was 26–45 ms in three runs, and 19 steps gave about the same. The JIT compiler's threads are
 * lowered a little too ({@link #lowerJitCompilerThreads}).
 *
 * <p>Java's own {@link Thread#setPriority} changes nothing on Linux unless the JVM was started
 * with {@code -XX:ThreadPriorityPolicy=1}, so on Linux a thread's nice value is raised with
 * {@code setpriority(2)} on its thread id (JNA, already a dependency of ND4J's), counted from the
 * value it has (a user who started the app under {@code nice} keeps the order). Elsewhere
 * {@code Thread.setPriority} is what the JVM maps to the OS: Windows honours it, and gets "below
 * normal", not "lowest", because its scheduler would let any normal thread starve training. Threads
 * a lowered thread starts inherit its priority. An unprivileged process can never raise it back,
 * so only threads that stay in the background are lowered.
 */
public final class BackgroundPriority {
    /** Nice steps below its starting value for a lowered thread: it yields at once, and is not starved. */
    public static final int NICE_STEPS = 10;
    /** Nice steps below the caller's value for the JIT compiler's threads: below the JavaFX thread, above training. */
    public static final int JIT_NICE_STEPS = 5;
    private static final int LOWEST_NICE = 19;
    private static final int PRIO_PROCESS = 0;

    private BackgroundPriority() {}

    interface CLib extends Library {
        int setpriority(int which, int who, int prio);
    }

    private static final class Linux {
        static final CLib C = Native.loadLibrary("c", CLib.class);
    }

    /**
     * Lowers the calling thread; returns whether the OS applied a lower priority (false where it
     * cannot be done here, e.g. macOS, or when setpriority failed: the thread keeps running as before).
     */
    public static boolean lowerCurrentThread() {
        Thread.currentThread().setPriority(Thread.NORM_PRIORITY - 2);
        if (!isLinux()) return isWindows();
        OptionalInt nice = currentNice();
        OptionalInt tid = currentThreadId();
        return nice.isPresent() && tid.isPresent() && lower(tid.getAsInt(), nice.getAsInt(), nice.getAsInt() + NICE_STEPS);
    }

    /**
     * Lowers this JVM's JIT compiler threads to {@link #JIT_NICE_STEPS} below the calling thread
     * (Linux). The JIT compiles all through training (hundreds of C2 compilations a minute) at the
     * normal priority, so a frame could wait behind it for a core. Compiler threads the JVM adds
     * later are started by a compiler thread and inherit the value. Returns how many threads were
     * lowered (0 on a second call).
     */
    public static int lowerJitCompilerThreads() {
        OptionalInt base = currentNice();
        if (!isLinux() || base.isEmpty()) return 0;
        int target = base.getAsInt() + JIT_NICE_STEPS;
        int lowered = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    // HotSpot's "C1 CompilerThread0", cut to 15 characters by the kernel
                    if (!name.matches("C[12] CompilerThr.*")) continue;
                    OptionalInt nice = niceOf(task.resolve("stat"));
                    if (nice.isPresent() && lower(Integer.parseInt(task.getFileName().toString()), nice.getAsInt(), target)) {
                        lowered++;
                    }
                } catch (IOException | NumberFormatException e) {
                    // a thread that ended while listed
                }
            }
        } catch (IOException e) {
            // no task list: the compiler keeps the normal priority
        }
        return lowered;
    }

    /** Sets a Linux thread's nice value to target (at most the lowest) if that is lower than its value now. */
    private static boolean lower(int tid, int niceNow, int target) {
        int nice = Math.min(LOWEST_NICE, target);
        if (nice <= niceNow) return false;
        try {
            return Linux.C.setpriority(PRIO_PROCESS, tid, nice) == 0;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // no libc to link against: stay at the priority it has
        }
    }

    /** The calling thread's nice value, where the OS shows it (Linux), for tests and benchmarks. */
    public static OptionalInt currentNice() {
        return niceOf(Path.of("/proc/thread-self/stat"));
    }

    /** Field 19 of a /proc stat file (stat(5)): the nice value. */
    static OptionalInt niceOf(Path statFile) {
        try {
            String stat = Files.readString(statFile);
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(f[16]));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The Linux thread id of the calling thread (/proc/thread-self points at /proc/PID/task/TID). */
    private static OptionalInt currentThreadId() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return OptionalInt.of(Integer.parseInt(self.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
