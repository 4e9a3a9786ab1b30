package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Nice values read back from /proc (Linux), where the app lowers its background threads. */
class BackgroundPriorityTest {

    /** The calling thread's nice value, where it leaves room to be lowered by steps. */
    static int niceWithRoomFor(int steps) {
        OptionalInt mine = BackgroundPriority.currentNice();
        assumeTrue(mine.isPresent() && mine.getAsInt() + steps <= 19, "nice values are readable (Linux), with room to lower");
        return mine.getAsInt();
    }

    @Test
    void aLoweredThreadRunsStepsBelowItsCallerAndPassesThatOnToTheThreadsItStarts() throws Exception {
        int mine = niceWithRoomFor(BackgroundPriority.NICE_STEPS);
        AtomicReference<OptionalInt> lowered = new AtomicReference<>();
        AtomicReference<OptionalInt> child = new AtomicReference<>();
        Thread t = new Thread(() -> {
            assertTrue(BackgroundPriority.lowerCurrentThread());
            lowered.set(BackgroundPriority.currentNice());
            Thread started = new Thread(() -> child.set(BackgroundPriority.currentNice()));
            started.start();
            try {
                started.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join();
        assertEquals(OptionalInt.of(mine + BackgroundPriority.NICE_STEPS), lowered.get());
        assertEquals(OptionalInt.of(mine + BackgroundPriority.NICE_STEPS), child.get(), "threads it starts inherit the value");
        assertEquals(OptionalInt.of(mine), BackgroundPriority.currentNice(), "the caller is not lowered");
    }

    @Test
    void theJitCompilerThreadsAreLoweredStepsBelowTheCaller() throws Exception {
        int mine = niceWithRoomFor(BackgroundPriority.JIT_NICE_STEPS);
        int lowered = BackgroundPriority.lowerJitCompilerThreads();
        List<String> compilers = new ArrayList<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                OptionalInt nice;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    nice = BackgroundPriority.niceOf(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // a thread that ended while listed
                }
                if (name.startsWith("C1 CompilerThr") || name.startsWith("C2 CompilerThr")) {
                    compilers.add(name);
                    assertEquals(OptionalInt.of(mine + BackgroundPriority.JIT_NICE_STEPS), nice, name);
                }
            }
        }
        assertFalse(compilers.isEmpty(), "this JVM compiles with C1 and C2");
        assertTrue(lowered >= 0, "a second call (another test ran first) lowers none");
        assertEquals(0, BackgroundPriority.lowerJitCompilerThreads(), "already lowered: not again");
    }
}
