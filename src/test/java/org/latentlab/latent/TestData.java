package org.latentlab.latent;

import java.util.SplittableRandom;

/** Small synthetic data sets for the projection tests. */
final class TestData {
    private TestData() {
    }

    /** {@code perBlob} points around each of {@code blobs} centres 10 apart along different axes, unit noise. */
    static ClusteredLatents blobs(int blobs, int perBlob, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] x = new float[blobs * perBlob][d];
        int[] labels = new int[x.length];
        for (int b = 0; b < blobs; b++) {
            for (int p = 0; p < perBlob; p++) {
                int i = b * perBlob + p;
                labels[i] = b;
                for (int j = 0; j < d; j++) x[i][j] = (float) BarnesHutTsne.gaussian(r);
                x[i][b % d] += 10f;
            }
        }
        return new ClusteredLatents(x, labels);
    }

    /** Leave-one-out 1-nearest-neighbour class accuracy of points p (flat, dim values per point). */
    static double oneNnAccuracy(float[] p, int dim, int[] labels) {
        int n = labels.length;
        int ok = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            int bl = -1;
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                double s = 0;
                for (int k = 0; k < dim; k++) {
                    double t = p[i * dim + k] - p[j * dim + k];
                    s += t * t;
                }
                if (s < best) {
                    best = s;
                    bl = labels[j];
                }
            }
            if (bl == labels[i]) ok++;
        }
        return ok / (double) n;
    }

    static float[] flat(float[][] x) {
        int d = x[0].length;
        float[] f = new float[x.length * d];
        for (int i = 0; i < x.length; i++) System.arraycopy(x[i], 0, f, i * d, d);
        return f;
    }

    /** Mean fraction of each point's 10 nearest neighbours in x that are also among its 10 nearest in 2-D. */
    static double neighbourhoodPreservation(float[][] x, float[] xy, int k) {
        int n = x.length;
        float[] fx = flat(x);
        int d = x[0].length;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            int[] a = nearest(fx, d, i, n, k), b = nearest(xy, 2, i, n, k);
            java.util.Set<Integer> s = new java.util.HashSet<>();
            for (int v : a) s.add(v);
            int c = 0;
            for (int v : b) if (s.contains(v)) c++;
            sum += c / (double) k;
        }
        return sum / n;
    }

    private static int[] nearest(float[] p, int dim, int i, int n, int k) {
        double[] dist = new double[n];
        Integer[] idx = new Integer[n];
        for (int j = 0; j < n; j++) {
            idx[j] = j;
            double s = 0;
            for (int t = 0; t < dim; t++) {
                double v = p[i * dim + t] - p[j * dim + t];
                s += v * v;
            }
            dist[j] = j == i ? Double.POSITIVE_INFINITY : s;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(dist[a], dist[b]));
        int[] out = new int[k];
        for (int t = 0; t < k; t++) out[t] = idx[t];
        return out;
    }
}
