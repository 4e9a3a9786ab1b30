package org.latentlab.ui;

import java.util.Arrays;
import javafx.animation.AnimationTimer;

/**
 * Measures how long the JavaFX thread goes between pulses (frames). A gap far above the 16.7 ms
 * frame time means the FX thread was busy or blocked, or that it, the pulse timer or the renderer
 * waited for a core. Start and stop on the FX thread.
 */
public final class PulseMonitor {
    private long[] gaps = new long[4096];
    private int n;
    private long last;
    /** Made on the first start(): an AnimationTimer needs the JavaFX toolkit, the statistics do not. */
    private AnimationTimer timer;

    public void start() {
        n = 0;
        last = 0;
        if (timer == null) {
            timer = new AnimationTimer() {
                @Override public void handle(long now) {
                    if (last != 0) record(now - last);
                    last = now;
                }
            };
        }
        timer.start();
    }

    public void stop() {
        if (timer != null) timer.stop();
    }

    /** One gap between two frames. */
    void record(long gapNanos) {
        if (n == gaps.length) gaps = Arrays.copyOf(gaps, n * 2);
        gaps[n++] = gapNanos;
    }

    public int count() { return n; }

    /** Seconds from the first frame to the end of the longest gap (where in the window it fell). */
    public double maxAtSeconds() {
        long at = 0, sum = 0, longest = -1;
        for (int i = 0; i < n; i++) {
            sum += gaps[i];
            if (gaps[i] > longest) {
                longest = gaps[i];
                at = sum;
            }
        }
        return at / 1e9;
    }

    /** Longest gap in milliseconds. */
    public double maxMillis() {
        return maxMillisAfter(0);
    }

    /** Longest gap that ended more than {@code seconds} after the first frame, in milliseconds. */
    public double maxMillisAfter(double seconds) {
        long m = 0, sum = 0, skip = Math.round(seconds * 1e9);
        for (int i = 0; i < n; i++) {
            sum += gaps[i];
            if (sum > skip) m = Math.max(m, gaps[i]);
        }
        return m / 1e6;
    }

    /** Gap at the given percentile (0..100) in milliseconds. */
    public double percentileMillis(double p) {
        if (n == 0) return Double.NaN;
        long[] s = Arrays.copyOf(gaps, n);
        Arrays.sort(s);
        return s[Math.min(n - 1, (int) Math.ceil(p / 100.0 * n) - 1 < 0 ? 0 : (int) Math.ceil(p / 100.0 * n) - 1)] / 1e6;
    }
}
