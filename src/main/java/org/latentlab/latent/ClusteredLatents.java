package org.latentlab.latent;

import java.util.SplittableRandom;

/**
 * Synthetic stand-in for VAE latents, for benchmarks and tests: a mixture of Gaussian clusters in d
 * dimensions, each with its own random rotation and per-axis spreads (anisotropic, spreads 0.25–1.0
 * log-uniform), centres drawn from N(0, 1.2²) per dimension, and unequal cluster sizes (weights
 * 0.5–1.5). With 10 clusters in 16-D neighbouring clusters touch but stay mostly apart, roughly like
 * the class clusters of a VAE trained on Fashion-MNIST. Deterministic for a seed.
 *
 * @param x      n × d latents
 * @param labels cluster of each row, 0..clusters-1
 */
public record ClusteredLatents(float[][] x, int[] labels) {

    public static ClusteredLatents generate(int n, int d, int clusters, long seed) {
        if (n < 1 || d < 1 || clusters < 1) throw new IllegalArgumentException("n, d and clusters must be >= 1");
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] centre = new double[clusters][d];
        double[][][] rot = new double[clusters][][];
        double[][] spread = new double[clusters][d];
        double[] weight = new double[clusters];
        double wsum = 0;
        for (int c = 0; c < clusters; c++) {
            for (int j = 0; j < d; j++) centre[c][j] = 1.2 * BarnesHutTsne.gaussian(rnd);
            for (int j = 0; j < d; j++) spread[c][j] = Math.exp(Math.log(0.25) + rnd.nextDouble() * Math.log(4.0));
            rot[c] = randomRotation(d, rnd);
            weight[c] = 0.5 + rnd.nextDouble();
            wsum += weight[c];
        }
        float[][] x = new float[n][d];
        int[] labels = new int[n];
        double[] z = new double[d];
        for (int i = 0; i < n; i++) {
            double u = rnd.nextDouble() * wsum;
            int c = 0;
            while (c < clusters - 1 && u >= weight[c]) {
                u -= weight[c];
                c++;
            }
            labels[i] = c;
            for (int j = 0; j < d; j++) z[j] = spread[c][j] * BarnesHutTsne.gaussian(rnd);
            for (int j = 0; j < d; j++) {
                double s = centre[c][j];
                double[] r = rot[c][j];
                for (int m = 0; m < d; m++) s += r[m] * z[m];
                x[i][j] = (float) s;
            }
        }
        return new ClusteredLatents(x, labels);
    }

    /** A random orthogonal matrix (Gram-Schmidt on Gaussian rows). */
    private static double[][] randomRotation(int d, SplittableRandom rnd) {
        double[][] q = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) q[i][j] = BarnesHutTsne.gaussian(rnd);
            for (int p = 0; p < i; p++) {
                double s = 0;
                for (int j = 0; j < d; j++) s += q[i][j] * q[p][j];
                for (int j = 0; j < d; j++) q[i][j] -= s * q[p][j];
            }
            double nrm = 0;
            for (int j = 0; j < d; j++) nrm += q[i][j] * q[i][j];
            nrm = Math.sqrt(nrm);
            for (int j = 0; j < d; j++) q[i][j] /= nrm;
        }
        return q;
    }
}
