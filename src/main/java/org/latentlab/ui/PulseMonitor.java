package org.latentlab.ui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import javafx.animation.AnimationTimer;

/**
 * Measures how long the JavaFX thread goes between pulses (frames). A gap far above the 16.7 ms
 * frame time means the FX thread was busy or blocked, or that it, the pulse timer or the renderer
 * waited for a core. Start and stop on the FX thread.
 */
public final class PulseMonitor {
    private long[] gaps = new long[4096];
    /** CPU time the JavaFX thread used within each gap: near the gap, it was busy; far below, it waited. */
    private long[] fxCpu = new long[4096];
    private int n;
    private long last;
    private long lastCpu;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    /** Made on the first start(): an AnimationTimer needs the JavaFX toolkit, the statistics do not. */
    private AnimationTimer timer;

    public void start() {
        n = 0;
        last = 0;
        lastCpu = 0;
        if (timer == null) {
            timer = new AnimationTimer() {
                @Override public void handle(long now) {
                    // -1 where the JVM does not measure thread CPU time: reported as unknown
                    long cpu = threads.getCurrentThreadCpuTime();
                    if (last != 0) record(now - last, cpu < 0 || lastCpu < 0 ? -1 : cpu - lastCpu);
                    last = now;
                    lastCpu = cpu;
                }
            };
        }
        timer.start();
    }

    public void stop() {
        if (timer != null) timer.stop();
    }

    /** One gap between two frames, and the JavaFX thread's CPU time within it. */
    void record(long gapNanos, long fxCpuNanos) {
        if (n == gaps.length) {
            gaps = Arrays.copyOf(gaps, n * 2);
            fxCpu = Arrays.copyOf(fxCpu, n * 2);
        }
        fxCpu[n] = fxCpuNanos;
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

    /** CPU time the JavaFX thread used within the longest gap, in milliseconds (NaN where unknown). */
    public double maxGapFxCpuMillis() {
        int longest = -1;
        for (int i = 0; i < n; i++) if (longest < 0 || gaps[i] > gaps[longest]) longest = i;
        return longest < 0 || fxCpu[longest] < 0 ? Double.NaN : fxCpu[longest] / 1e6;
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
