package org.latentlab.ui.training;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The axes' tick arithmetic and the legend's number format (no JavaFX toolkit needed). */
class CurveChartTest {

    @Test
    void tickStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(100, CurveChart.tickStep(480, 5), 1e-9);   // a loss falling from 580 to 100
        assertEquals(0.2, CurveChart.tickStep(1.18, 6), 1e-12);  // 1.18 epochs
        assertEquals(5, CurveChart.tickStep(20, 5), 1e-12);
        assertEquals(0.5, CurveChart.tickStep(2, 5), 1e-12);
        assertEquals(1000, CurveChart.tickStep(2600, 5), 1e-9);
        assertEquals(1, CurveChart.tickStep(0, 5), 0);   // no span: any positive step, never 0
    }

    @Test
    void ticksAreTheStepsMultiplesInsideTheRange() {
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1.0}, CurveChart.ticks(0, 1.18, 0.2), 1e-12);
        assertArrayEquals(new double[] {100, 200, 300, 400, 500, 600}, CurveChart.ticks(100, 600, 100), 1e-9);
        assertArrayEquals(new double[] {-5, 0, 5}, CurveChart.ticks(-7, 6, 5), 1e-12);
        assertEquals(0, CurveChart.ticks(0, 1, 1e-9).length, "too many ticks: none rather than millions");
    }

    @Test
    void tickLabelsShowAsManyDecimalsAsTheStepNeeds() {
        assertEquals("300", CurveChart.tickFormat(100).format(300));
        assertEquals("0.4", CurveChart.tickFormat(0.2).format(0.4));
        assertEquals("0.05", CurveChart.tickFormat(0.05).format(0.05));
        assertEquals("-5", CurveChart.tickFormat(5).format(-5));
        assertEquals("2.00E-7", CurveChart.tickFormat(1e-7).format(2e-7));   // a collapsed KL
        assertEquals("2.00E5", CurveChart.tickFormat(1e5).format(2e5));
    }

    @Test
    void legendValuesKeepFourSignificantDigits() {
        assertEquals("118.8", CurveChart.format(118.83));
        assertEquals("99.64", CurveChart.format(99.642));
        assertEquals("19.19", CurveChart.format(19.192));
        assertEquals("2819", CurveChart.format(2818.7));
        assertEquals("0.1235", CurveChart.format(0.12345));
        assertEquals("1.23E-3", CurveChart.format(0.00123));
        assertEquals("0", CurveChart.format(0));
    }
}
