package org.latentlab.latent;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProjectionsTest {

    @Test
    void raw2dTakesTheFirstTwoDimensions() {
        float[][] x = {{1, 2}, {3, 4}, {-5, 6}};
        Projection p = Projections.project(ProjectionMethod.RAW_2D, x, null, null, null);
        assertArrayEquals(new float[] {1, 2, 3, 4, -5, 6}, p.xy());
        assertArrayEquals(new int[] {0, 1, 2}, p.rows());
        assertEquals(ProjectionMethod.RAW_2D, p.method());
        float[][] x3 = {{1, 2, 9}, {3, 4, 9}};
        Projection p3 = Projections.project(ProjectionMethod.RAW_2D, x3, null, null, null);
        assertArrayEquals(new float[] {1, 2, 3, 4}, p3.xy());
        assertTrue(p3.note().contains("first 2 of 3"), p3.note());
        Projection p1 = Projections.project(ProjectionMethod.RAW_2D, new float[][] {{7}, {8}}, null, null, null);
        assertArrayEquals(new float[] {7, 0, 8, 0}, p1.xy());
    }

    /** Points along a known direction plus small noise: PC1 must be that direction. */
    private static float[][] line(int n, int d, double[] dir, double[] dir2, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[n][d];
        for (int i = 0; i < n; i++) {
            double t = 5 * BarnesHutTsne.gaussian(r), s = 2 * BarnesHutTsne.gaussian(r);
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) (3 + t * dir[j] + s * dir2[j] + 0.1 * BarnesHutTsne.gaussian(r));
            }
        }
        return x;
    }

    private static double[] unit(int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[d];
        double s = 0;
        for (int j = 0; j < d; j++) {
            v[j] = BarnesHutTsne.gaussian(r);
            s += v[j] * v[j];
        }
        for (int j = 0; j < d; j++) v[j] /= Math.sqrt(s);
        return v;
    }

    private static double[] orthogonalTo(double[] v, double[] w) {
        double s = 0;
        for (int j = 0; j < v.length; j++) s += v[j] * w[j];
        double[] o = new double[v.length];
        double nn = 0;
        for (int j = 0; j < v.length; j++) {
            o[j] = w[j] - s * v[j];
            nn += o[j] * o[j];
        }
        for (int j = 0; j < v.length; j++) o[j] /= Math.sqrt(nn);
        return o;
    }

    private static double absCos(double[] a, double[] b) {
        double s = 0, na = 0, nb = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
            na += a[j] * a[j];
            nb += b[j] * b[j];
        }
        return Math.abs(s) / Math.sqrt(na * nb);
    }

    @Test
    void pcaFindsTheKnownPrincipalDirections() {
        for (int d : new int[] {16, 100}) { // Jacobi path and subspace-iteration path
            double[] v = unit(d, 1), w = orthogonalTo(v, unit(d, 2));
            float[][] x = line(3000, d, v, w, 3);
            Pca pca = Pca.fit(x, 2);
            assertTrue(absCos(pca.components()[0], v) > 0.999, "d=" + d + " PC1 " + absCos(pca.components()[0], v));
            assertTrue(absCos(pca.components()[1], w) > 0.99, "d=" + d + " PC2 " + absCos(pca.components()[1], w));
            assertEquals(25, pca.variance()[0], 2.5);
            assertEquals(4, pca.variance()[1], 0.5);
            Projection p = Projections.project(ProjectionMethod.PCA, x, ProjectionOptions.defaults(), null, null);
            // projection = centred data · components
            float[] xy = p.xy();
            double[] c0 = pca.components()[0];
            double s = 0;
            for (int j = 0; j < d; j++) s += (x[7][j] - pca.mean()[j]) * c0[j];
            assertEquals(s, xy[14], 1e-3);
            assertTrue(p.stat("explained_variance_pc1") > 0.8, p.note());
        }
    }

    @Test
    void pcaAgreesWithSmile() {
        ClusteredLatents data = ClusteredLatents.generate(2000, 16, 10, 4);
        Pca ours = Pca.fit(data.x(), 2);
        double[][] dx = new double[data.x().length][16];
        for (int i = 0; i < dx.length; i++) for (int j = 0; j < 16; j++) dx[i][j] = data.x()[i][j];
        smile.feature.extraction.PCA ref = smile.feature.extraction.PCA.fit(dx);
        for (int c = 0; c < 2; c++) {
            double[] col = new double[16];
            for (int j = 0; j < 16; j++) col[j] = ref.loadings().get(j, c);
            assertTrue(absCos(ours.components()[c], col) > 0.9999, "component " + c);
            // Smile's variance() is the sum of squares (n - 1 times the covariance eigenvalue): compare proportions
            assertEquals(ref.varianceProportion()[c], ours.explainedVarianceRatio()[c], 1e-9);
        }
    }

    @Test
    void cancelAfterTheFirstLayoutStopsPromptly() {
        ClusteredLatents data = ClusteredLatents.generate(1500, 16, 10, 1);
        for (ProjectionMethod m : new ProjectionMethod[] {ProjectionMethod.TSNE, ProjectionMethod.UMAP}) {
            AtomicBoolean cancel = new AtomicBoolean();
            AtomicLong cancelledAt = new AtomicLong();
            AtomicInteger layouts = new AtomicInteger();
            AtomicInteger progress = new AtomicInteger();
            ProjectionListener l = new ProjectionListener() {
                @Override
                public void layout(float[] xy, int iteration) {
                    assertEquals(3000, xy.length);
                    layouts.incrementAndGet();
                    if (cancel.compareAndSet(false, true)) cancelledAt.set(System.nanoTime());
                }

                @Override
                public void progress(double fraction, String message) {
                    assertTrue(fraction >= 0 && fraction <= 1);
                    progress.incrementAndGet();
                }
            };
            ProjectionOptions o = ProjectionOptions.defaults().withLayoutIntervalMillis(0);
            assertThrows(CancellationException.class,
                    () -> Projections.project(m, data.x(), o, l, cancel::get));
            double seconds = (System.nanoTime() - cancelledAt.get()) / 1e9;
            assertEquals(1, layouts.get(), m + ": no layouts after cancel");
            assertTrue(progress.get() > 0);
            assertTrue(seconds < 1.0, m + " took " + seconds + " s to stop");
        }
    }

    @Test
    void cancelDuringNeighbourSearch() {
        ClusteredLatents data = ClusteredLatents.generate(4000, 16, 10, 1);
        AtomicInteger polls = new AtomicInteger();
        assertThrows(CancellationException.class, () -> Projections.project(ProjectionMethod.TSNE, data.x(),
                ProjectionOptions.defaults(), null, () -> polls.incrementAndGet() > 5));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> Projections.project(ProjectionMethod.PCA, new float[0][], null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> Projections.project(ProjectionMethod.PCA, new float[][] {{1, 2}, {3}}, null, null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Projections.project(ProjectionMethod.TSNE, new float[][] {{1, 2}, {3, Float.NaN}}, null, null, null));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ProjectionOptions.defaults().withPerplexity(-1));
    }

    @Test
    void listenerSeesRowsBeforeLayouts() {
        ClusteredLatents data = ClusteredLatents.generate(300, 8, 3, 1);
        int[][] seen = new int[1][];
        AtomicInteger layouts = new AtomicInteger();
        ProjectionListener l = new ProjectionListener() {
            @Override
            public void started(ProjectionMethod method, int[] rows) {
                seen[0] = rows;
            }

            @Override
            public void layout(float[] xy, int iteration) {
                assertNotNull(seen[0]);
                assertEquals(2 * seen[0].length, xy.length);
                layouts.incrementAndGet();
            }
        };
        Projection p = Projections.project(ProjectionMethod.TSNE, data.x(),
                ProjectionOptions.defaults().withTsneIterations(100), l, null);
        assertArrayEquals(seen[0], p.rows());
        assertTrue(layouts.get() >= 1);
    }
}
