package org.latentlab.latent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BarnesHutTsneTest {

    @Test
    void separatesThreeBlobsIn16D() {
        ClusteredLatents data = TestData.blobs(3, 200, 16, 1);
        Projection p = Projections.project(ProjectionMethod.TSNE, data.x(), ProjectionOptions.defaults(), null, null);
        assertEquals(600, p.size());
        double acc2d = TestData.oneNnAccuracy(p.xy(), 2, data.labels());
        double accHd = TestData.oneNnAccuracy(TestData.flat(data.x()), 16, data.labels());
        assertEquals(1.0, accHd, 1e-9);
        assertTrue(acc2d > 0.95, "1-NN class accuracy in 2-D " + acc2d);
        double kl = p.stat("kl_divergence");
        assertTrue(kl > 0 && kl < 3, "KL " + kl + " note " + p.note());
        assertEquals(1000, p.stat("iterations"));
        assertTrue(p.note().contains("KL divergence"), p.note());
    }

    @Test
    void keepsNeighbourhoodsOfClusteredLatents() {
        ClusteredLatents data = ClusteredLatents.generate(500, 16, 5, 3);
        BarnesHutTsne.Result r = BarnesHutTsne.run(data.x(), ProjectionOptions.defaults().withTsneIterations(500), null, null);
        double keep = TestData.neighbourhoodPreservation(data.x(), r.xy(), 10);
        double acc2d = TestData.oneNnAccuracy(r.xy(), 2, data.labels());
        double accHd = TestData.oneNnAccuracy(TestData.flat(data.x()), 16, data.labels());
        assertTrue(keep > 0.3, "10-NN preservation " + keep);
        assertTrue(acc2d >= accHd - 0.03, "1-NN accuracy 2-D " + acc2d + " vs 16-D " + accHd);
    }

    @Test
    void sameResultWithOneAndTwoThreads() {
        ClusteredLatents data = ClusteredLatents.generate(300, 16, 4, 5);
        ProjectionOptions o = ProjectionOptions.defaults().withTsneIterations(200).withSeed(9);
        BarnesHutTsne.Result one = BarnesHutTsne.run(data.x(), o.withThreads(1), null, null);
        BarnesHutTsne.Result two = BarnesHutTsne.run(data.x(), o.withThreads(2), null, null);
        BarnesHutTsne.Result again = BarnesHutTsne.run(data.x(), o.withThreads(2), null, null);
        assertArrayEquals(one.xy(), two.xy());
        assertArrayEquals(two.xy(), again.xy());
        assertEquals(one.klDivergence(), two.klDivergence());
    }

    @Test
    void affinitiesAreSymmetricAndNormalised() {
        ClusteredLatents data = ClusteredLatents.generate(300, 8, 3, 2);
        try (Workers w = new Workers(2)) {
            Knn knn = Knn.exact(data.x(), 90, w, Monitor.quiet());
            BarnesHutTsne.Csr p = BarnesHutTsne.affinities(knn, 30, w, Monitor.quiet());
            double sum = 0;
            java.util.Map<Long, Float> m = new java.util.HashMap<>();
            for (int i = 0; i < p.n; i++) {
                for (int e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
                    sum += p.val[e];
                    assertNotEquals(i, p.col[e]);
                    assertNull(m.put((long) i * p.n + p.col[e], p.val[e]), "duplicate entry");
                }
            }
            assertEquals(1.0, sum, 1e-4);
            for (var en : m.entrySet()) {
                long i = en.getKey() / p.n, j = en.getKey() % p.n;
                assertEquals(en.getValue(), m.get(j * p.n + i), 1e-9f);
            }
        }
    }

    /** The Barnes-Hut gradient with a tiny theta must match the exact t-SNE gradient. */
    @Test
    void barnesHutForcesMatchExactForces() {
        int n = 300;
        SplittableRandom r = new SplittableRandom(4);
        double[] y = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) y[i] = 5 * BarnesHutTsne.gaussian(r);
        // a random sparse symmetric P
        ClusteredLatents data = ClusteredLatents.generate(n, 4, 3, 8);
        BarnesHutTsne.Csr p;
        try (Workers w = new Workers(1)) {
            p = BarnesHutTsne.affinities(Knn.exact(data.x(), 20, w, Monitor.quiet()), 6, w, Monitor.quiet());
        }
        double[] exact = exactGradient(p, y);
        for (double theta : new double[] {0.05, 0.5}) {
            ProjectionOptions o = ProjectionOptions.defaults().withTheta(theta).withThreads(2);
            double[] y2 = y.clone();
            try (Workers w = new Workers(2)) {
                BarnesHutTsne.Optimizer opt = new BarnesHutTsne.Optimizer(p, y2, o, w, Monitor.quiet());
                // one step with lr tiny: update = -lr * grad (gains 1 at start, momentum on zero update)
                java.util.Arrays.fill(opt.gains, 1);
                double kl = opt.gradientStep(1.0, 0.0, true);
                double lr = opt.lr;
                double err = 0, norm = 0;
                for (int t = 0; t < 2 * n; t++) {
                    double g = (y[t] - y2[t]) / (lr * 0.8); // first step: gains 1 -> 0.8
                    err += (g - exact[t]) * (g - exact[t]);
                    norm += exact[t] * exact[t];
                }
                double rel = Math.sqrt(err / norm);
                assertTrue(rel < (theta < 0.1 ? 1e-3 : 0.05), "theta " + theta + ": relative gradient error " + rel);
                assertEquals(exactKl(p, y), kl, theta < 0.1 ? 1e-4 : 5e-2, "KL");
            }
        }
    }

    private static double[] exactGradient(BarnesHutTsne.Csr p, double[] y) {
        int n = p.n;
        double z = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) z += q(y, i, j);
        double[] g = new double[2 * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) continue;
                double qu = q(y, i, j);
                double rep = qu * qu / z;
                g[2 * i] -= 4 * rep * (y[2 * i] - y[2 * j]);
                g[2 * i + 1] -= 4 * rep * (y[2 * i + 1] - y[2 * j + 1]);
            }
            for (int e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
                int j = p.col[e];
                double qu = q(y, i, j);
                g[2 * i] += 4 * p.val[e] * qu * (y[2 * i] - y[2 * j]);
                g[2 * i + 1] += 4 * p.val[e] * qu * (y[2 * i + 1] - y[2 * j + 1]);
            }
        }
        return g;
    }

    private static double exactKl(BarnesHutTsne.Csr p, double[] y) {
        int n = p.n;
        double z = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) z += q(y, i, j);
        double kl = 0;
        for (int i = 0; i < n; i++) {
            for (int e = p.rowPtr[i]; e < p.rowPtr[i + 1]; e++) {
                double pij = p.val[e];
                kl += pij * Math.log(pij / (q(y, i, p.col[e]) / z));
            }
        }
        return kl;
    }

    private static double q(double[] y, int i, int j) {
        double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        return 1 / (1 + dx * dx + dy * dy);
    }

    @Test
    void knnIsExact() {
        ClusteredLatents data = ClusteredLatents.generate(1500, 16, 5, 11);
        int k = 12;
        try (Workers w = new Workers(2)) {
            Knn knn = Knn.exact(data.x(), k, w, Monitor.quiet());
            float[][] x = data.x();
            for (int i = 0; i < x.length; i += 37) {
                double[] d = new double[x.length];
                for (int j = 0; j < x.length; j++) {
                    double s = 0;
                    for (int t = 0; t < 16; t++) s += (x[i][t] - x[j][t]) * (x[i][t] - x[j][t]);
                    d[j] = j == i ? Double.POSITIVE_INFINITY : s;
                }
                double[] sorted = d.clone();
                java.util.Arrays.sort(sorted);
                for (int t = 0; t < k; t++) {
                    assertEquals(sorted[t], knn.dist2[i * k + t], 1e-3 * (1 + sorted[t]), "row " + i + " rank " + t);
                    assertEquals(d[knn.idx[i * k + t]], knn.dist2[i * k + t], 1e-3 * (1 + sorted[t]));
                }
            }
        }
    }

    @Test
    void tinyInputs() {
        float[][] two = {{0, 0}, {1, 1}};
        assertEquals(4, BarnesHutTsne.run(two, ProjectionOptions.defaults(), null, null).xy().length);
        float[][] five = ClusteredLatents.generate(5, 3, 1, 1).x();
        BarnesHutTsne.Result r = BarnesHutTsne.run(five, ProjectionOptions.defaults(), null, null);
        for (float v : r.xy()) assertTrue(Float.isFinite(v));
    }
}
