package org.latentlab.latent;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * A fixed set of worker threads (threads - 1 pooled daemon threads plus the caller) running chunked
 * loops. Results stay deterministic when each chunk writes only its own slots and partial sums are
 * kept per chunk and added in chunk order afterwards: the chunking never depends on the thread count.
 */
final class Workers implements AutoCloseable {
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int threads;
    private final ExecutorService pool;
    private final Future<?>[] futures;

    Workers(int threads) {
        this.threads = Math.max(1, threads);
        if (this.threads > 1) {
            int id = POOL_IDS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            pool = Executors.newFixedThreadPool(this.threads - 1, r -> {
                Thread t = new Thread(r, "latent-projection-" + id + "-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        } else {
            pool = null;
        }
        futures = new Future<?>[Math.max(0, this.threads - 1)];
    }

    int threads() {
        return threads;
    }

    /** Runs body(c) once for every c in [0, chunks), spread over the threads; rethrows the first failure. */
    void forEachChunk(int chunks, IntConsumer body) {
        if (pool == null || chunks <= 1) {
            for (int c = 0; c < chunks; c++) body.accept(c);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        Runnable r = () -> {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.accept(c);
                } catch (RuntimeException | Error e) {
                    next.set(chunks);
                    throw e;
                }
            }
        };
        int helpers = Math.min(futures.length, chunks - 1);
        for (int t = 0; t < helpers; t++) futures[t] = pool.submit(r);
        Throwable failure = null;
        try {
            r.run();
        } catch (Throwable e) {
            failure = e;
        }
        for (int t = 0; t < helpers; t++) {
            try {
                boolean interrupted = false;
                while (true) {
                    try {
                        futures[t].get();
                        break;
                    } catch (InterruptedException ie) {
                        interrupted = true; // wait for the helpers anyway: they write into our arrays
                        next.set(chunks);
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                    if (failure == null) failure = new CancellationException("projection interrupted");
                }
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            }
            futures[t] = null;
        }
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** Chunk count for n items of about {@code target} items each, independent of the thread count. */
    static int chunks(int n, int target) {
        return Math.max(1, Math.min(1024, (n + target - 1) / target));
    }

    static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
