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
 * was 26–45 ms in three runs, and nice 19 gave about the same.
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
