package org.latentlab.train;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Lowers the scheduling priority of the calling thread, so that on a machine with few cores the
 * JavaFX thread (and the renderer and the display server) gets a core as soon as it wakes while
 * training holds one. On the 2-core VM (bench-gui, Shenandoah), training at the normal priority
 * left the JavaFX thread waiting 52 ms for a frame in one run of four; at nice 10 the longest wait
 * was 26–45 ms in three runs, and nice 19 gave about the same. The JIT compiler's threads are
 * lowered a little too ({@link #lowerJitCompilerThreads}).
 *
 * <p>Java's own {@link Thread#setPriority} changes nothing on Linux unless the JVM was started
 * with {@code -XX:ThreadPriorityPolicy=1}, so on Linux the thread's nice value is set with
 * {@code setpriority(2)} on its thread id (JNA, already a dependency of ND4J's). Elsewhere
 * {@code Thread.setPriority} is what the JVM maps to the OS (Windows honours it). Threads the
 * lowered thread starts inherit its nice value. An unprivileged process can never raise it back,
 * so only threads that stay in the background are lowered.
 */
public final class BackgroundPriority {
    /** Nice value of a lowered thread (0 normal, 19 lowest): low enough to yield at once, not starved. */
    public static final int NICE = 10;
    /** Nice value of the JIT compiler's threads: below the JavaFX thread, above training. */
    public static final int JIT_NICE = 5;
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
        Thread.currentThread().setPriority(Thread.MIN_PRIORITY);
        OptionalInt tid = currentThreadId();
        if (tid.isEmpty()) return isWindows();
        try {
            return Linux.C.setpriority(PRIO_PROCESS, tid.getAsInt(), NICE) == 0;
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return false; // no libc to link against: stay at the normal priority
        }
    }

    /**
     * Lowers this JVM's JIT compiler threads to {@link #JIT_NICE} (Linux). The JIT compiles all
     * through training (hundreds of C2 compilations a minute) at the normal priority, so a frame
     * could wait behind it for a core. Compiler threads the JVM adds later are started by a
     * compiler thread and inherit the value. Returns how many threads were lowered.
     */
    public static int lowerJitCompilerThreads() {
        if (!isLinux()) return 0;
        int lowered = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    // HotSpot's "C1 CompilerThread0", cut to 15 characters by the kernel
                    if (name.matches("C[12] CompilerThr.*")
                            && Linux.C.setpriority(PRIO_PROCESS, Integer.parseInt(task.getFileName().toString()), JIT_NICE) == 0) {
                        lowered++;
                    }
                } catch (IOException | NumberFormatException e) {
                    // a thread that ended while listed
                }
            }
        } catch (IOException | UnsatisfiedLinkError | NoClassDefFoundError e) {
            // no task list or no libc: the compiler keeps the normal priority
        }
        return lowered;
    }

    /** The calling thread's nice value, where the OS shows it (Linux), for tests and benchmarks. */
    public static OptionalInt currentNice() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            // fields after the command name, which is in parentheses and may hold spaces
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return OptionalInt.of(Integer.parseInt(f[16])); // field 19 of stat(5): nice
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    /** The Linux thread id of the calling thread (/proc/thread-self points at /proc/PID/task/TID). */
    private static OptionalInt currentThreadId() {
        if (!isLinux()) return OptionalInt.empty();
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            return OptionalInt.of(Integer.parseInt(self.getFileName().toString()));
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
    }
}
