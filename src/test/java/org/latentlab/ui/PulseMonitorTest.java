package org.latentlab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pulse-gap figures bench-gui prints: longest, where it fell, longest after a lead-in, percentiles. */
class PulseMonitorTest {
    private static PulseMonitor withGaps(double... millis) {
        PulseMonitor m = new PulseMonitor();
        for (double ms : millis) m.record(Math.round(ms * 1e6), Math.round(ms * 1e5)); // a tenth of each gap busy
        return m;
    }

    @Test
    void longestGapAndWhereItEnded() {
        PulseMonitor m = withGaps(16, 16, 60, 16, 40, 16);
        assertEquals(6, m.count());
        assertEquals(60.0, m.maxMillis(), 1e-9);
        assertEquals(0.092, m.maxAtSeconds(), 1e-9, "16 + 16 + 60 ms after the first frame");
        assertEquals(6.0, m.maxGapFxCpuMillis(), 1e-9, "the JavaFX thread's time within the longest gap");
        PulseMonitor unmeasured = new PulseMonitor();
        unmeasured.record(20_000_000, -1);
        assertTrue(Double.isNaN(unmeasured.maxGapFxCpuMillis()), "a JVM without thread CPU time: unknown, not 0");
    }

    @Test
    void longestAfterALeadInLeavesOutTheGapsEndingBeforeIt() {
        PulseMonitor m = withGaps(16, 16, 60, 16, 40, 16);
        assertEquals(40.0, m.maxMillisAfter(0.1), 1e-9, "the 60-ms gap ended at 92 ms");
        assertEquals(60.0, m.maxMillisAfter(0.091), 1e-9, "it ended after 91 ms");
        assertEquals(0.0, m.maxMillisAfter(1), 1e-9, "no gap ended after a second");
    }

    @Test
    void percentilesOfTheGaps() {
        PulseMonitor m = withGaps(10, 20, 30, 40, 50, 60, 70, 80, 90, 100);
        assertEquals(50.0, m.percentileMillis(50), 1e-9);
        assertEquals(100.0, m.percentileMillis(99), 1e-9);
        assertEquals(10.0, m.percentileMillis(0), 1e-9);
    }
}
