package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PartsTest {

    @AfterEach
    void backToOneThread() {
        Parts.setCount(1);
    }

    @Test
    void partsCoverTheRangeOnceOnAlignedBoundsAndRunOnSeveralThreads() {
        Parts.setCount(3);
        AtomicIntegerArray seen = new AtomicIntegerArray(1000);
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        int parts = Parts.run(1000, 64, 100, (part, from, to) -> {
            threads.add(Thread.currentThread());
            assertEquals(0, from % 64, "part " + part + " starts at " + from);
            assertTrue(to == 1000 || to % 64 == 0, "part " + part + " ends at " + to);
            for (int i = from; i < to; i++) seen.incrementAndGet(i);
        });
        assertEquals(3, parts);
        for (int i = 0; i < 1000; i++) assertEquals(1, seen.get(i), "index " + i);
        assertTrue(threads.contains(Thread.currentThread()), "part 0 runs on the caller");
        assertTrue(threads.size() >= 2, "the other parts run on the pool");
    }

    @Test
    void shortPassesAndOneThreadRunInlineAsOnePart() {
        Parts.setCount(2);
        Thread caller = Thread.currentThread();
        assertEquals(1, Parts.run(150, 1, 100, (part, from, to) -> {
            assertSame(caller, Thread.currentThread());
            assertEquals(0, from);
            assertEquals(150, to);
        }));
        Parts.setCount(1);
        assertEquals(1, Parts.run(100_000, 1, 10, (part, from, to) -> assertSame(caller, Thread.currentThread())));
    }

    @Test
    void aFailingPartFailsThePassAfterEveryPartEnded() {
        Parts.setCount(2);
        AtomicIntegerArray done = new AtomicIntegerArray(2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parts.run(1000, 1, 10, (part, from, to) -> {
            if (part == 1) throw new IllegalStateException("part 1 failed");
            done.set(part, 1);
        }));
        assertEquals("part 1 failed", e.getMessage());
        assertEquals(1, done.get(0), "part 0 still ran to its end");
    }

    @Test
    void aPassInsideAPassRunsItsPartsOnItsOwnThread() {
        Parts.setCount(2);
        AtomicIntegerArray seen = new AtomicIntegerArray(400);
        Parts.run(2, 1, 1, (outer, from, to) -> {
            Thread runner = Thread.currentThread();
            // the workers are taken by the outer pass: the inner one runs both its parts here
            int parts = Parts.run(200, 1, 10, (part, f, t) -> {
                assertSame(runner, Thread.currentThread());
                for (int i = f; i < t; i++) seen.incrementAndGet(outer * 200 + i);
            });
            assertEquals(2, parts);
        });
        for (int i = 0; i < 400; i++) assertEquals(1, seen.get(i), "index " + i);
    }
}
