package org.latentlab.latent;

import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/** Progress, throttled layouts and cancellation for one projection run. Thread-safe for check(). */
final class Monitor {
    private static final long PROGRESS_INTERVAL_NANOS = 50_000_000L;

    private final ProjectionListener listener;
    private final BooleanSupplier cancelled;
    private final long layoutIntervalNanos;
    private long lastLayout;
    private long lastProgress;
    private double lo = 0, hi = 1;

    Monitor(ProjectionListener listener, BooleanSupplier cancelled, long layoutIntervalMillis) {
        this.listener = listener == null ? ProjectionListener.NONE : listener;
        this.cancelled = cancelled == null ? () -> false : cancelled;
        this.layoutIntervalNanos = layoutIntervalMillis * 1_000_000L;
        long now = System.nanoTime();
        this.lastLayout = now;
        this.lastProgress = now - PROGRESS_INTERVAL_NANOS;
    }

    static Monitor quiet() {
        return new Monitor(null, null, 0);
    }

    /** Throws CancellationException when the run was cancelled (or the calling thread interrupted). */
    void check() {
        if (cancelled.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            throw new CancellationException("projection cancelled");
        }
    }

    boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /** Maps the following progress fractions (0..1) into [lo, hi] of the whole job. */
    void phase(double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** Throttled progress (at most ~20 per second), local fraction within the current phase. */
    void progress(double local, String message) {
        long now = System.nanoTime();
        if (now - lastProgress >= PROGRESS_INTERVAL_NANOS || local >= 1.0) {
            lastProgress = now;
            listener.progress(lo + (hi - lo) * Math.min(1.0, Math.max(0.0, local)), message);
        }
    }

    /** Unthrottled progress in whole-job terms. */
    void progressNow(double fraction, String message) {
        lastProgress = System.nanoTime();
        listener.progress(fraction, message);
    }

    void started(ProjectionMethod m, int[] rows) {
        listener.started(m, rows);
    }

    /** True when an intermediate layout may be sent now. */
    boolean layoutDue() {
        return System.nanoTime() - lastLayout >= layoutIntervalNanos;
    }

    void layout(float[] xy, int iteration) {
        lastLayout = System.nanoTime();
        listener.layout(xy, iteration);
    }
}
