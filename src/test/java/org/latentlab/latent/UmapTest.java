package org.latentlab.latent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class UmapTest {

    @Test
    void curveParametersMatchUmapLearn() {
        double[] ab = Umap.fitAB(1.0, 0.1);
        assertEquals(1.577, ab[0], 0.01);
        assertEquals(0.895, ab[1], 0.01);
    }

    @Test
    void ownUmapKeepsEveryRowAndSeparatesBlobs() {
        ClusteredLatents data = TestData.blobs(3, 100, 16, 2);
        ProjectionOptions o = ProjectionOptions.defaults().withUmap(15, 0.1, 200).withThreads(1);
        Projection p = Projections.project(ProjectionMethod.UMAP, data.x(), o, null, null);
        assertEquals(300, p.size());
        for (int i = 0; i < 300; i++) assertEquals(i, p.rows()[i]);
        assertTrue(TestData.oneNnAccuracy(p.xy(), 2, data.labels()) > 0.95);
        Projection again = Projections.project(ProjectionMethod.UMAP, data.x(), o, null, null);
        assertArrayEquals(p.xy(), again.xy(), "deterministic for a seed with 1 thread");
        Projection two = Projections.project(ProjectionMethod.UMAP, data.x(), o.withThreads(2), null, null);
        assertTrue(TestData.oneNnAccuracy(two.xy(), 2, data.labels()) > 0.95);
    }

    @Test
    void gradientTablesMatchTheUmapCurves() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (double minDist : new double[] {0.0, 0.1, 0.5, 0.99}) {
            double[] ab = Umap.fitAB(1.0, minDist);
            double a = ab[0], b = ab[1];
            SquaredDistanceTable attraction = new SquaredDistanceTable(d2 -> Umap.attractionCoefficient(d2, a, b));
            SquaredDistanceTable repulsion = new SquaredDistanceTable(d2 -> Umap.repulsionCoefficient(d2, a, b));
            for (int t = 0; t < 100_000; t++) {
                // the whole table, both ends beyond it (2^-40 to 2^40), and the knots themselves
                float d2 = t % 10 == 0 ? Float.intBitsToFloat(r.nextInt(0x2B800000, 0x53800000) & ~0xFFFF)
                        : (float) Math.pow(10, r.nextDouble(-12, 12));
                double wantA = Umap.attractionCoefficient(d2, a, b), wantR = Umap.repulsionCoefficient(d2, a, b);
                assertEquals(wantA, attraction.at(d2), 1e-4 * Math.abs(wantA), "attraction at " + d2 + ", b " + b);
                assertEquals(wantR, repulsion.at(d2), 1e-4 * Math.abs(wantR), "repulsion at " + d2 + ", b " + b);
            }
            assertTrue(Float.isNaN(repulsion.at(Float.NaN)));
        }
    }

    @Test
    void nnDescentGivesTheSameListsOnTwoThreadsAsOnOne() {
        // more than one block of the local join, so the parallel filter and the ordered pushes both matter
        ClusteredLatents data = ClusteredLatents.generate(9000, 16, 10, 3);
        Knn one = NnDescent.build(data.x(), 10, 5, Monitor.quiet());
        Knn two;
        try (Workers w = new Workers(2)) {
            two = NnDescent.build(data.x(), 10, 5, w, Monitor.quiet());
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.idx, two.idx);
        org.junit.jupiter.api.Assertions.assertArrayEquals(one.dist2, two.dist2);
    }

    @Test
    void nnDescentFindsMostTrueNeighbours() {
        ClusteredLatents data = ClusteredLatents.generate(3000, 16, 10, 7);
        int k = 14;
        Knn approx = NnDescent.build(data.x(), k, 1, Monitor.quiet());
        Knn exact;
        try (Workers w = new Workers(2)) {
            exact = Knn.exact(data.x(), k, w, Monitor.quiet());
        }
        long hits = 0;
        for (int i = 0; i < 3000; i++) {
            java.util.Set<Integer> truth = new java.util.HashSet<>();
            for (int t = 0; t < k; t++) truth.add(exact.idx[i * k + t]);
            for (int t = 0; t < k; t++) {
                if (truth.contains(approx.idx[i * k + t])) hits++;
                if (t > 0) assertTrue(approx.dist2[i * k + t] >= approx.dist2[i * k + t - 1], "sorted");
                assertNotEquals(i, approx.idx[i * k + t]);
            }
        }
        double recall = hits / (3000.0 * k);
        assertTrue(recall > 0.95, "recall " + recall);
    }

    /** Two far-apart groups: Smile keeps only the larger component; rows must name exactly those points. */
    @Test
    void smileUmapMapsRowsBack() {
        ClusteredLatents big = TestData.blobs(1, 120, 8, 3);
        ClusteredLatents small = TestData.blobs(1, 40, 8, 4);
        int n = 160;
        float[][] x = new float[n][];
        boolean[] inBig = new boolean[n];
        // interleave so that the kept rows are not simply a prefix
        int b = 0, s = 0;
        for (int i = 0; i < n; i++) {
            if (i % 4 == 3 && s < 40) {
                x[i] = small.x()[s++].clone();
                for (int j = 0; j < 8; j++) x[i][j] += 1000f;
            } else {
                x[i] = big.x()[b++];
                inBig[i] = true;
            }
        }
        ProjectionOptions o = ProjectionOptions.defaults().withUmapBackend(ProjectionOptions.UmapBackend.SMILE)
                .withUmap(10, 0.1, 100);
        Projection p = Projections.project(ProjectionMethod.UMAP, x, o, null, null);
        // Smile may also cut a few outliers of the big group off its directed kNN graph
        assertTrue(p.size() >= 100 && p.size() <= 120, p.note());
        assertEquals(2 * p.rows().length, p.xy().length);
        int[] sorted = p.rows().clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) assertTrue(sorted[i] > sorted[i - 1], "distinct rows");
        for (int r : p.rows()) assertTrue(inBig[r], "row " + r + " is in the largest component");
        assertTrue(p.note().contains((n - p.size()) + " dropped"), p.note());
        assertEquals(n - p.size(), p.stat("dropped_points"));
        // the coordinates belong to the rows named: neighbourhoods of the kept rows survive
        float[][] kept = new float[p.size()][];
        for (int i = 0; i < kept.length; i++) kept[i] = x[p.rows()[i]];
        double keep = TestData.neighbourhoodPreservation(kept, p.xy(), 10);
        assertTrue(keep > 0.25, "10-NN preservation " + keep + " (a wrong row mapping gives ~0.08)");
        for (float v : p.xy()) assertTrue(Float.isFinite(v));
    }
}
