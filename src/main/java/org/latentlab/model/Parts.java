package org.latentlab.model;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits the {@link GemmVae} engine's work into contiguous parts, one per thread it may use
 * ({@link NativeSetup#setMatrixThreads}): its Java-side passes (element-wise work, im2col and
 * col2im, Adam, the loss) and its matrix products ({@link Blas} cuts those into blocks of rows or
 * columns). With one thread (the app's setting, which leaves a core to the JavaFX thread) every
 * pass runs inline.
 *
 * <p>Parts only ever touch plain arrays and distinct ranges of off-heap buffers; the only native
 * call a part makes is a single-threaded sgemm on its own block. Part p of every pass covers the
 * same range for a given length and thread count, so results do not depend on timing.
 */
final class Parts {
    /** The most parts a pass is split into (the size of per-part scratch tables). */
    static final int MAX = 64;

    /**
     * How long an idle worker spins for its next part before it parks. Waking a parked thread took
     * ~90 µs on the 2-core VM (an empty 2-part pass after 0.2 ms of other work: median 90 µs), and a
     * training step hands out some 30 parts; the gaps between a step's passes are shorter than this.
     */
    private static final long SPIN_NANOS = 2_000_000;

    private static volatile int count = 1;
    /** Workers for parts 1, 2, …; grown by setCount, never shrunk (idle ones park). */
    private static volatile Worker[] workers = new Worker[0];
    /** Set by the one pass that uses the workers; another (or a nested) pass runs its parts inline. */
    private static final AtomicBoolean inUse = new AtomicBoolean();

    private Parts() {
    }

    /** Work on the range [from, to) of a pass, done as part {@code part}. */
    interface Body {
        void run(int part, int from, int to);
    }

    /** Sets how many threads a pass may use (clamped to 1..MAX). */
    static synchronized void setCount(int threads) {
        int n = Math.max(1, Math.min(MAX, threads));
        if (workers.length < n - 1) {
            Worker[] grown = Arrays.copyOf(workers, n - 1);
            for (int i = workers.length; i < grown.length; i++) grown[i] = new Worker(i + 1);
            workers = grown;
        }
        count = n;
    }

    static int count() {
        return count;
    }

    /**
     * Runs body over [0, total) in at most {@link #count()} parts whose bounds are multiples of
     * {@code align} (or total), each at least {@code minLength} long unless the whole pass is
     * shorter: part 0 on the caller's thread, the others on the workers (or all on the caller while
     * another pass holds the workers). Returns the number of parts. An exception in any part is
     * rethrown after all parts have ended.
     */
    static int run(int total, int align, int minLength, Body body) {
        int units = (total + align - 1) / align;
        int parts = Math.min(Math.min(count, units), Math.max(1, total / Math.max(1, minLength)));
        if (parts <= 1) {
            body.run(0, 0, total);
            return 1;
        }
        Throwable[] failures = new Throwable[parts];
        if (!inUse.compareAndSet(false, true)) {
            // part p covers the same range on any thread, so the result is the same
            for (int p = 0; p < parts; p++) runPart(body, p, bound(p, parts, units, align, total), bound(p + 1, parts, units, align, total), failures);
            rethrow(failures);
            return parts;
        }
        try {
            Worker[] ws = workers;
            for (int p = 1; p < parts; p++) ws[p - 1].assign(body, p, bound(p, parts, units, align, total), bound(p + 1, parts, units, align, total), failures);
            runPart(body, 0, 0, bound(1, parts, units, align, total), failures);
            // no part may still be writing when the caller goes on, whatever failed
            for (int p = 1; p < parts; p++) ws[p - 1].awaitDone();
        } finally {
            inUse.set(false);
        }
        rethrow(failures);
        return parts;
    }

    private static void runPart(Body body, int part, int from, int to, Throwable[] failures) {
        try {
            body.run(part, from, to);
        } catch (Throwable e) {
            failures[part] = e;
        }
    }

    private static void rethrow(Throwable[] failures) {
        for (Throwable e : failures) {
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error r) throw r;
            if (e != null) throw new IllegalStateException(e);
        }
    }

    /** A daemon thread that runs one part at a time, spinning between parts, then parking. */
    private static final class Worker extends Thread {
        private volatile Runnable task;
        private volatile boolean done = true;

        Worker(int index) {
            super("latentlab-part-" + index);
            setDaemon(true);
            start();
        }

        void assign(Body body, int part, int from, int to, Throwable[] failures) {
            done = false;
            task = () -> runPart(body, part, from, to, failures);
            LockSupport.unpark(this);
        }

        void awaitDone() {
            while (!done) Thread.onSpinWait();
        }

        @Override
        public void run() {
            while (true) {
                Runnable t = nextTask();
                t.run();
                task = null;
                done = true;
            }
        }

        private Runnable nextTask() {
            long idleSince = System.nanoTime();
            Runnable t;
            while ((t = task) == null) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) Thread.onSpinWait();
                else LockSupport.park(this);
            }
            return t;
        }
    }

    private static int bound(int p, int parts, int units, int align, int total) {
        return (int) Math.min(total, (long) units * p / parts * align);
    }

    /** Heap arrays of one length, one per part: lane p is used only by part p of a pass. */
    static final class Lanes {
        private final int length;
        private final float[][] arrays = new float[MAX][];

        Lanes(int length) {
            this.length = length;
        }

        float[] get(int part) {
            float[] a = arrays[part];
            if (a == null) arrays[part] = a = new float[length];
            return a;
        }
    }
}
