package org.latentlab.latent;

import java.util.SplittableRandom;

/**
 * Principal components of latent vectors: the covariance matrix (double precision, accumulated per
 * chunk of rows on the worker threads) and its leading eigenvectors, by cyclic Jacobi for d ≤ 64
 * and by subspace iteration with a Rayleigh-Ritz step above. Pure Java (no native LAPACK), so it
 * starts instantly; the test checks it against Smile's PCA.
 *
 * @param mean       column means (length d)
 * @param components the leading principal directions, unit length, {@code components[c][j]};
 *                   the sign is fixed so that the largest-magnitude loading is positive
 * @param variance   the variance along each component (eigenvalues of the covariance, n - 1 divisor)
 * @param totalVariance trace of the covariance matrix
 */
public record Pca(double[] mean, double[][] components, double[] variance, double totalVariance) {

    /** Fits the first {@code k} principal components (k ≤ d). */
    public static Pca fit(float[][] x, int k) {
        try (Workers w = new Workers(1)) {
            return fit(x, k, w, Monitor.quiet());
        }
    }

    static Pca fit(float[][] x, int k, Workers workers, Monitor mon) {
        int n = x.length;
        if (n < 1) throw new IllegalArgumentException("PCA of no rows");
        int d = x[0].length;
        if (k < 1 || k > d) throw new IllegalArgumentException("PCA: " + k + " components of " + d + "-D data");
        double[] mean = new double[d];
        for (float[] r : x) {
            if (r.length != d) throw new IllegalArgumentException("rows of different lengths: " + r.length + " vs " + d);
            for (int j = 0; j < d; j++) mean[j] += r[j];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;
        int chunks = Workers.chunks(n, 2048);
        double[][] partial = new double[chunks][];
        workers.forEachChunk(chunks, c -> {
            mon.check();
            int a = Workers.chunkStart(n, chunks, c), b = Workers.chunkStart(n, chunks, c + 1);
            double[] cov = new double[d * d];
            double[] v = new double[d];
            for (int i = a; i < b; i++) {
                float[] r = x[i];
                for (int j = 0; j < d; j++) v[j] = r[j] - mean[j];
                for (int p = 0; p < d; p++) {
                    double vp = v[p];
                    int o = p * d;
                    for (int q = p; q < d; q++) cov[o + q] += vp * v[q];
                }
            }
            partial[c] = cov;
        });
        double[] cov = new double[d * d];
        for (double[] p : partial) for (int i = 0; i < cov.length; i++) cov[i] += p[i];
        double div = Math.max(1, n - 1);
        for (int p = 0; p < d; p++) {
            for (int q = p; q < d; q++) {
                double v = cov[p * d + q] / div;
                cov[p * d + q] = v;
                cov[q * d + p] = v;
            }
        }
        double trace = 0;
        for (int p = 0; p < d; p++) trace += cov[p * d + p];
        mon.check();
        double[][] vecs;
        double[] vals;
        if (d <= 64) {
            double[][] a = new double[d][d];
            for (int p = 0; p < d; p++) System.arraycopy(cov, p * d, a[p], 0, d);
            double[][] ev = new double[d][];
            double[] e = jacobi(a, ev);
            vecs = new double[k][];
            vals = new double[k];
            for (int c = 0; c < k; c++) {
                vecs[c] = ev[c];
                vals[c] = e[c];
            }
        } else {
            double[][][] out = new double[1][][];
            vals = subspace(cov, d, k, out, mon);
            vecs = out[0];
        }
        for (double[] v : vecs) {
            int big = 0;
            for (int j = 1; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
            if (v[big] < 0) for (int j = 0; j < d; j++) v[j] = -v[j];
        }
        return new Pca(mean, vecs, vals, trace);
    }

    /** Projects rows onto the components: a flat n × k array. */
    public float[] project(float[][] x) {
        int k = components.length, d = mean.length;
        float[] out = new float[x.length * k];
        double[] v = new double[d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) v[j] = x[i][j] - mean[j];
            for (int c = 0; c < k; c++) {
                double s = 0;
                double[] comp = components[c];
                for (int j = 0; j < d; j++) s += v[j] * comp[j];
                out[i * k + c] = (float) s;
            }
        }
        return out;
    }

    /** Fraction of the total variance each component explains. */
    public double[] explainedVarianceRatio() {
        double[] r = new double[variance.length];
        for (int c = 0; c < r.length; c++) r[c] = totalVariance > 0 ? variance[c] / totalVariance : 0;
        return r;
    }

    /**
     * Cyclic Jacobi eigen-decomposition of a symmetric matrix (destroyed). Fills {@code vecsOut} with
     * the eigenvectors as rows, sorted by decreasing eigenvalue, and returns the eigenvalues.
     */
    static double[] jacobi(double[][] a, double[][] vecsOut) {
        int d = a.length;
        double[][] v = new double[d][d];
        for (int i = 0; i < d; i++) v[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int p = 0; p < d; p++) {
                diag += a[p][p] * a[p][p];
                for (int q = p + 1; q < d; q++) off += a[p][q] * a[p][q];
            }
            if (off <= 1e-30 * Math.max(diag, 1e-300) || off == 0) break;
            for (int p = 0; p < d - 1; p++) {
                for (int q = p + 1; q < d; q++) {
                    double apq = a[p][q];
                    if (apq == 0) continue;
                    double theta = (a[q][q] - a[p][p]) / (2 * apq);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < d; r++) {
                        double arp = a[r][p], arq = a[r][q];
                        a[r][p] = c * arp - s * arq;
                        a[r][q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < d; r++) {
                        double apr = a[p][r], aqr = a[q][r];
                        a[p][r] = c * apr - s * aqr;
                        a[q][r] = s * apr + c * aqr;
                    }
                    for (int r = 0; r < d; r++) {
                        double vrp = v[r][p], vrq = v[r][q];
                        v[r][p] = c * vrp - s * vrq;
                        v[r][q] = s * vrp + c * vrq;
                    }
                }
            }
        }
        Integer[] order = new Integer[d];
        for (int i = 0; i < d; i++) order[i] = i;
        java.util.Arrays.sort(order, (i, j) -> Double.compare(a[j][j], a[i][i]));
        double[] vals = new double[d];
        for (int c = 0; c < d; c++) {
            int col = order[c];
            vals[c] = a[col][col];
            double[] vec = new double[d];
            for (int r = 0; r < d; r++) vec[r] = v[r][col];
            vecsOut[c] = vec;
        }
        return vals;
    }

    /** Leading k eigenpairs of a symmetric d × d matrix (row-major) by subspace iteration. */
    private static double[] subspace(double[] cov, int d, int k, double[][][] vecsOut, Monitor mon) {
        int b = Math.min(d, k + 8);
        SplittableRandom rnd = new SplittableRandom(7);
        double[][] q = new double[b][d];
        for (double[] row : q) for (int j = 0; j < d; j++) row[j] = rnd.nextDouble() - 0.5;
        orthonormalize(q);
        double[] prev = new double[k];
        double[][] z = new double[b][d];
        double[] vals = null;
        double[][] ritz = null;
        for (int it = 0; it < 500; it++) {
            mon.check();
            for (int c = 0; c < b; c++) {
                double[] qc = q[c], zc = z[c];
                for (int r = 0; r < d; r++) {
                    double s = 0;
                    int o = r * d;
                    for (int j = 0; j < d; j++) s += cov[o + j] * qc[j];
                    zc[r] = s;
                }
            }
            // Rayleigh-Ritz on span(q): T = q^T C q, then rotate.
            double[][] t = new double[b][b];
            for (int i = 0; i < b; i++) for (int j = 0; j < b; j++) t[i][j] = dot(q[i], z[j]);
            for (int i = 0; i < b; i++) for (int j = i + 1; j < b; j++) t[i][j] = t[j][i] = 0.5 * (t[i][j] + t[j][i]);
            double[][] ev = new double[b][];
            vals = jacobi(t, ev);
            ritz = new double[b][d];
            for (int c = 0; c < b; c++) for (int i = 0; i < b; i++) {
                double w = ev[c][i];
                for (int j = 0; j < d; j++) ritz[c][j] += w * q[i][j];
            }
            double change = 0;
            for (int c = 0; c < k; c++) change = Math.max(change, Math.abs(vals[c] - prev[c]) / Math.max(1e-300, Math.abs(vals[c])));
            System.arraycopy(vals, 0, prev, 0, k);
            if (it > 3 && change < 1e-13) break;
            for (int c = 0; c < b; c++) System.arraycopy(z[c], 0, q[c], 0, d);
            orthonormalize(q);
        }
        double[][] vecs = new double[k][];
        for (int c = 0; c < k; c++) vecs[c] = ritz[c];
        vecsOut[0] = vecs;
        return java.util.Arrays.copyOf(vals, k);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    private static void orthonormalize(double[][] q) {
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < q.length; c++) {
                for (int p = 0; p < c; p++) {
                    double s = dot(q[c], q[p]);
                    for (int j = 0; j < q[c].length; j++) q[c][j] -= s * q[p][j];
                }
                double nrm = Math.sqrt(dot(q[c], q[c]));
                if (nrm == 0) nrm = 1;
                for (int j = 0; j < q[c].length; j++) q[c][j] /= nrm;
            }
        }
    }
}
