package org.latentlab.model;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Splits the {@link GemmVae} engine's Java-side passes (element-wise work, im2col and col2im, Adam,
 * the loss) into contiguous parts, one per thread that {@code sgemm} may use
 * ({@link NativeSetup#setMatrixThreads}). With 2 matrix threads the products ran on both cores but
 * the ~20 ms of Java work in a conv VAE step on one, while the other idled. With one thread (the
 * app's setting, which leaves a core to the JavaFX thread) every pass runs inline as before.
 *
 * <p>Parts only ever touch plain arrays and distinct ranges of off-heap buffers; every native call
 * stays on the caller's thread. Part p of every pass covers the same range for a given length and
 * thread count, so results do not depend on timing.
 */
final class Parts {
    /** The most parts a pass is split into (the size of per-part scratch tables). */
    static final int MAX = 64;

    private static volatile int count = 1;
    private static ForkJoinPool pool;

    private Parts() {
    }

    /** Work on the range [from, to) of a pass, done as part {@code part}. */
    interface Body {
        void run(int part, int from, int to);
    }

    /** Sets how many threads a pass may use (clamped to 1..MAX). */
    static synchronized void setCount(int threads) {
        int n = Math.max(1, Math.min(MAX, threads));
        if (n > 1 && (pool == null || pool.getParallelism() < n - 1)) {
            // the old pool is not shut down: a pass running now may still submit to it; its idle
            // workers end by themselves
            pool = new ForkJoinPool(n - 1);
        }
        count = n;
    }

    static int count() {
        return count;
    }

    /**
     * Runs body over [0, total) in at most {@link #count()} parts whose bounds are multiples of
     * {@code align} (or total), each at least {@code minLength} long unless the whole pass is
     * shorter: part 0 on the caller's thread, the others on the pool. Returns the number of parts.
     * An exception in any part is rethrown after all parts have ended.
     */
    static int run(int total, int align, int minLength, Body body) {
        int units = (total + align - 1) / align;
        int parts = Math.min(Math.min(count, units), Math.max(1, total / Math.max(1, minLength)));
        if (parts <= 1) {
            body.run(0, 0, total);
            return 1;
        }
        ForkJoinPool workers;
        synchronized (Parts.class) {
            workers = pool;
        }
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[parts];
        Throwable[] failures = new Throwable[parts];
        try {
            for (int p = 1; p < parts; p++) {
                int part = p, from = bound(p, parts, units, align, total), to = bound(p + 1, parts, units, align, total);
                // caught here, so that the caller rethrows the part's own exception, not the pool's wrapper
                tasks[p] = workers.submit(() -> {
                    try {
                        body.run(part, from, to);
                    } catch (Throwable e) {
                        failures[part] = e;
                    }
                });
            }
            body.run(0, 0, bound(1, parts, units, align, total));
        } catch (Throwable e) {
            failures[0] = e;
        } finally {
            // no part may still be writing when the caller goes on, whatever failed
            for (ForkJoinTask<?> t : tasks) if (t != null) t.join();
        }
        for (Throwable e : failures) {
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error r) throw r;
            if (e != null) throw new IllegalStateException(e);
        }
        return parts;
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
