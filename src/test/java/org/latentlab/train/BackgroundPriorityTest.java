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

    @Test
    void aLoweredThreadRunsAtTheBackgroundNiceValueAndItsCallerDoesNot() throws Exception {
        OptionalInt mine = BackgroundPriority.currentNice();
        assumeTrue(mine.isPresent() && mine.getAsInt() < BackgroundPriority.NICE, "nice values are readable (Linux)");
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
        assertEquals(OptionalInt.of(BackgroundPriority.NICE), lowered.get());
        assertEquals(OptionalInt.of(BackgroundPriority.NICE), child.get(), "threads it starts inherit the value");
        assertEquals(mine, BackgroundPriority.currentNice());
    }

    @Test
    void theJitCompilerThreadsAreLoweredAndNoOtherThread() throws Exception {
        OptionalInt mine = BackgroundPriority.currentNice();
        assumeTrue(mine.isPresent() && mine.getAsInt() < BackgroundPriority.JIT_NICE, "nice values are readable (Linux)");
        int lowered = BackgroundPriority.lowerJitCompilerThreads();
        List<String> compilers = new ArrayList<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name, stat;
                try {
                    name = Files.readString(task.resolve("comm")).trim();
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException e) {
                    continue; // a thread that ended while listed
                }
                int nice = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
                if (name.startsWith("C1 CompilerThr") || name.startsWith("C2 CompilerThr")) {
                    compilers.add(name);
                    assertEquals(BackgroundPriority.JIT_NICE, nice, name);
                }
            }
        }
        assertFalse(compilers.isEmpty(), "this JVM compiles with C1 and C2");
        assertEquals(mine, BackgroundPriority.currentNice(), "the calling thread keeps its priority");
        assertTrue(lowered >= 1 && lowered <= compilers.size(), lowered + " lowered, compilers " + compilers);
    }
}
