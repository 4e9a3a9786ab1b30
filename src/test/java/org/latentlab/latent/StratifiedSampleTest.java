package org.latentlab.latent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StratifiedSampleTest {

    private static int[] labels() {
        // classes of 5000, 3000, 1500, 499, 1 rows, interleaved
        int[] sizes = {5000, 3000, 1500, 499, 1};
        int n = Arrays.stream(sizes).sum();
        int[] lab = new int[n];
        int[] left = sizes.clone();
        int c = 0;
        for (int i = 0; i < n; i++) {
            while (left[c % 5] == 0) c++;
            lab[i] = (c % 5) * 7 - 3; // arbitrary label values, negative too
            left[c % 5]--;
            c++;
        }
        return lab;
    }

    @Test
    void keepsClassProportions() {
        int[] lab = labels();
        int cap = 1000;
        int[] idx = StratifiedSample.indices(lab, cap, 42);
        assertEquals(cap, idx.length);
        for (int i = 1; i < idx.length; i++) assertTrue(idx[i] > idx[i - 1], "sorted and distinct");
        int[] values = Arrays.stream(lab).distinct().sorted().toArray();
        for (int v : values) {
            long total = Arrays.stream(lab).filter(l -> l == v).count();
            long got = Arrays.stream(idx).filter(i -> lab[i] == v).count();
            double expected = total * (double) cap / lab.length;
            assertTrue(Math.abs(got - expected) < 1.0, "class " + v + ": " + got + " vs " + expected);
        }
    }

    @Test
    void deterministicForASeed() {
        int[] lab = labels();
        assertArrayEquals(StratifiedSample.indices(lab, 777, 5), StratifiedSample.indices(lab, 777, 5));
        assertFalse(Arrays.equals(StratifiedSample.indices(lab, 777, 5), StratifiedSample.indices(lab, 777, 6)));
    }

    @Test
    void allRowsBelowTheCapAndUniformWithoutLabels() {
        int[] all = StratifiedSample.indices(new int[] {3, 3, 1}, 10, 1);
        assertArrayEquals(new int[] {0, 1, 2}, all);
        int[] u = StratifiedSample.indices(null, 5000, 100, 1);
        assertEquals(100, u.length);
        assertEquals(100, Arrays.stream(u).distinct().count());
        assertTrue(Arrays.stream(u).allMatch(i -> i >= 0 && i < 5000));
    }

    @Test
    void tsneUsesTheSampleAboveTheCap() {
        ClusteredLatents data = ClusteredLatents.generate(700, 8, 4, 1);
        ProjectionOptions o = ProjectionOptions.defaults().withTsneSampleCap(300).withTsneIterations(50);
        Projection p = Projections.project(ProjectionMethod.TSNE, data.x(), data.labels(), o, null, null);
        assertEquals(300, p.size());
        assertArrayEquals(StratifiedSample.indices(data.labels(), 300, o.seed()), p.rows());
        assertTrue(p.note().contains("sample of 300 of 700"), p.note());
    }
}
