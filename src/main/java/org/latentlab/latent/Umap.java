package org.latentlab.latent;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * UMAP (McInnes, Healy and Melville 2018) written after umap-learn's defaults:
 * <ul>
 * <li>n_neighbors − 1 nearest neighbours besides the point itself: exact ({@link Knn}) up to
 * {@link #EXACT_KNN_LIMIT} points, approximate by NN-descent ({@link NnDescent}) above, as
 * umap-learn (which switches at 4,096);</li>
 * <li>smooth kNN distances: ρᵢ = distance to the nearest neighbour, σᵢ by binary search so that
 * Σⱼ exp(−(dᵢⱼ − ρᵢ)/σᵢ) = log₂(n_neighbors), σ floored at 1e-3 of the mean distance;</li>
 * <li>fuzzy union W = A + Aᵀ − A∘Aᵀ; edges below max(W)/epochs dropped;</li>
 * <li>a, b fitted to min_dist and spread 1 (Levenberg-Marquardt on the same 300 points);</li>
 * <li>stochastic gradient descent over the edges, each sampled every max(W)/w epochs, 5 negative
 * samples per positive, gradients clipped to ±4, learning rate 1 falling linearly to 0.</li>
 * </ul>
 * Differences from umap-learn: the layout starts from the first two principal components (scaled
 * to [0, 10]) instead of the spectral embedding, which is much cheaper on 60,000 points; the random
 * generator differs; the layout is float (as umap-learn's) and its gradient coefficients come from a
 * table ({@link SquaredDistanceTable}); an edge's negative samples all see the head where its
 * attractive step left it. Nothing is dropped: every input row gets a point.
 * The SGD splits the edges over the worker threads, which update the shared layout without locks
 * ("Hogwild", like umap-learn with parallel=True): with 1 thread a seed always gives the same layout,
 * with 2 threads the layout varies slightly from run to run.
 */
public final class Umap {

    /** @param a the fitted curve parameter a, @param b the fitted curve parameter b */
    public record Result(float[] xy, int epochs, int edges, double knnSeconds, double graphSeconds,
                         double optimizeSeconds, double a, double b) {
    }

    /** Up to this many points the neighbours are exact (n² search), above it NN-descent. */
    public static final int EXACT_KNN_LIMIT = 20_000;
    private static final int NEGATIVE_SAMPLE_RATE = 5;
    private static final double REPULSION = 1.0;
    private static final double SPREAD = 1.0;

    private Umap() {
    }

    public static Result run(float[][] x, ProjectionOptions o, ProjectionListener listener, BooleanSupplier cancelled) {
        Monitor mon = new Monitor(listener, cancelled, o.layoutIntervalMillis());
        try (Workers w = new Workers(o.threads())) {
            return compute(x, o, w, mon);
        }
    }

    static Result compute(float[][] x, ProjectionOptions o, Workers workers, Monitor mon) {
        int n = x.length;
        double[] ab = fitAB(SPREAD, o.umapMinDist());
        if (n <= 2) {
            float[] xy = new float[2 * n];
            if (n == 2) xy[2] = 1;
            return new Result(xy, 0, 0, 0, 0, 0, ab[0], ab[1]);
        }
        long t0 = System.nanoTime();
        int nNeighbors = Math.min(o.umapNeighbors(), n);
        int k = Math.max(1, nNeighbors - 1);
        mon.phase(0, 0.3);
        mon.progress(0, "UMAP: nearest neighbours");
        Knn knn = n > EXACT_KNN_LIMIT ? NnDescent.build(x, k, o.seed(), workers, mon) : Knn.exact(x, k, workers, mon);
        long t1 = System.nanoTime();
        mon.phase(0.3, 0.35);
        mon.progress(0, "UMAP: fuzzy graph");
        int epochs = o.umapEpochs() > 0 ? o.umapEpochs() : (n <= 10_000 ? 500 : 200);
        Graph g = fuzzyGraph(knn, nNeighbors, epochs, workers, mon);
        Pca pca = Pca.fit(x, Math.min(2, x[0].length), workers, mon);
        float[] y = initialLayout(x, pca, o.seed());
        long t2 = System.nanoTime();
        mon.phase(0.35, 1.0);
        optimize(y, g, epochs, ab[0], ab[1], o.seed(), workers, mon);
        long t3 = System.nanoTime();
        return new Result(y, epochs, g.head.length, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, ab[0], ab[1]);
    }

    /** Directed edge list (each undirected edge twice) with the epochs between samples. */
    static final class Graph {
        final int[] head, tail;
        final double[] epochsPerSample;

        Graph(int[] head, int[] tail, double[] epochsPerSample) {
            this.head = head;
            this.tail = tail;
            this.epochsPerSample = epochsPerSample;
        }
    }

    static Graph fuzzyGraph(Knn knn, int nNeighbors, int epochs, Workers workers, Monitor mon) {
        int n = knn.n, k = knn.k;
        float[] w = new float[n * k];
        double target = Math.log(nNeighbors) / Math.log(2);
        double meanAll = 0;
        for (int e = 0; e < n * k; e++) meanAll += Math.sqrt(knn.dist2[e]);
        meanAll /= n * k;
        final double meanDist = meanAll;
        int chunks = Workers.chunks(n, 512);
        workers.forEachChunk(chunks, c -> {
            mon.check();
            int a = Workers.chunkStart(n, chunks, c), b = Workers.chunkStart(n, chunks, c + 1);
            double[] d = new double[k];
            for (int i = a; i < b; i++) {
                double rowMean = 0;
                for (int j = 0; j < k; j++) {
                    d[j] = Math.sqrt(knn.dist2[i * k + j]);
                    rowMean += d[j];
                }
                rowMean /= k;
                double rho = 0;
                for (int j = 0; j < k; j++) {
                    if (d[j] > 0) {
                        rho = d[j];
                        break;
                    }
                }
                double lo = 0, hi = Double.POSITIVE_INFINITY, mid = 1;
                for (int it = 0; it < 64; it++) {
                    double psum = 0;
                    for (int j = 0; j < k; j++) {
                        double dd = d[j] - rho;
                        psum += dd > 0 ? Math.exp(-dd / mid) : 1.0;
                    }
                    if (Math.abs(psum - target) < 1e-5) break;
                    if (psum > target) {
                        hi = mid;
                        mid = (lo + hi) / 2;
                    } else {
                        lo = mid;
                        mid = hi == Double.POSITIVE_INFINITY ? mid * 2 : (lo + hi) / 2;
                    }
                }
                double sigma = mid;
                if (rho > 0) {
                    sigma = Math.max(sigma, 1e-3 * rowMean);
                } else {
                    sigma = Math.max(sigma, 1e-3 * meanDist);
                }
                for (int j = 0; j < k; j++) {
                    double dd = d[j] - rho;
                    w[i * k + j] = (float) (dd <= 0 || sigma == 0 ? 1.0 : Math.exp(-dd / sigma));
                }
            }
        });
        mon.check();
        // fuzzy union into CSR
        int[] revCount = new int[n + 1];
        for (int e = 0; e < n * k; e++) revCount[knn.idx[e] + 1]++;
        for (int i = 0; i < n; i++) revCount[i + 1] += revCount[i];
        int[] revRow = new int[n * k];
        float[] revVal = new float[n * k];
        int[] fill = Arrays.copyOf(revCount, n);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                int j = knn.idx[i * k + t];
                int f = fill[j]++;
                revRow[f] = i;
                revVal[f] = w[i * k + t];
            }
        }
        int[] col = new int[2 * n * k];
        int[] row = new int[2 * n * k];
        double[] val = new double[2 * n * k];
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        int nnz = 0;
        double max = 0;
        for (int i = 0; i < n; i++) {
            int start = nnz;
            for (int t = 0; t < k; t++) {
                int j = knn.idx[i * k + t];
                slot[j] = nnz;
                row[nnz] = i;
                col[nnz] = j;
                val[nnz++] = w[i * k + t];
            }
            for (int f = revCount[i]; f < revCount[i + 1]; f++) {
                int j = revRow[f];
                double v = revVal[f];
                int s = slot[j];
                if (s >= 0) {
                    val[s] = val[s] + v - val[s] * v;
                } else {
                    slot[j] = nnz;
                    row[nnz] = i;
                    col[nnz] = j;
                    val[nnz++] = v;
                }
            }
            for (int e = start; e < nnz; e++) {
                slot[col[e]] = -1;
                if (val[e] > max) max = val[e];
            }
        }
        double cut = max / epochs;
        int m = 0;
        for (int e = 0; e < nnz; e++) if (val[e] >= cut && val[e] > 0) m++;
        int[] head = new int[m], tail = new int[m];
        double[] eps = new double[m];
        int o = 0;
        for (int e = 0; e < nnz; e++) {
            if (val[e] >= cut && val[e] > 0) {
                head[o] = row[e];
                tail[o] = col[e];
                eps[o++] = max / val[e];
            }
        }
        return new Graph(head, tail, eps);
    }

    /** First two principal components, each scaled to [0, 10] (umap-learn's final init scaling). */
    static float[] initialLayout(float[][] x, Pca pca, long seed) {
        int n = x.length;
        float[] y = new float[2 * n];
        float[] proj = pca.project(x);
        int k = pca.components().length;
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        for (int dim = 0; dim < 2; dim++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = dim < k ? proj[i * k + dim] : 0;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            for (int i = 0; i < n; i++) {
                double v = dim < k ? proj[i * k + dim] : 0;
                y[2 * i + dim] = (float) (hi - lo <= 0 ? 10 * r.nextDouble() : (v - lo) * (10 / (hi - lo)));
            }
        }
        return y;
    }

    /** umap-learn's attractive gradient coefficient −2ab·d²⁽ᵇ⁻¹⁾ / (1 + a·d²ᵇ) for a squared distance d² &gt; 0. */
    static double attractionCoefficient(double d2, double a, double b) {
        double pw = Math.pow(d2, b);
        return -2 * a * b * pw / (d2 * (a * pw + 1));
    }

    /** umap-learn's repulsive gradient coefficient 2γb / ((0.001 + d²)(1 + a·d²ᵇ)) for d² &gt; 0. */
    static double repulsionCoefficient(double d2, double a, double b) {
        return 2 * REPULSION * b / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
    }

    private static float clip(float v) {
        return v > 4 ? 4 : (v < -4 ? -4 : v);
    }

    static void optimize(float[] y, Graph g, int epochs, double a, double b, long seed, Workers workers, Monitor mon) {
        int n = y.length / 2;
        int m = g.head.length;
        SquaredDistanceTable attraction = new SquaredDistanceTable(d2 -> attractionCoefficient(d2, a, b));
        SquaredDistanceTable repulsion = new SquaredDistanceTable(d2 -> repulsionCoefficient(d2, a, b));
        double[] eps = g.epochsPerSample;
        double[] epsNeg = new double[m];
        double[] nextSample = new double[m];
        double[] nextNeg = new double[m];
        for (int e = 0; e < m; e++) {
            epsNeg[e] = eps[e] / NEGATIVE_SAMPLE_RATE;
            nextSample[e] = eps[e];
            nextNeg[e] = epsNeg[e];
        }
        int parts = Math.max(1, Math.min(workers.threads(), m / 1024 + 1));
        long[] rng = new long[parts];
        for (int p = 0; p < parts; p++) {
            long s = (seed + p) * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
            rng[p] = s == 0 ? 1 : s;
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            mon.check();
            float alpha = (float) (1.0 - epoch / (double) epochs);
            final int ep = epoch;
            workers.forEachChunk(parts, p -> rng[p] = sgd(y, g, attraction, repulsion, eps, epsNeg, nextSample, nextNeg,
                    Workers.chunkStart(m, parts, p), Workers.chunkStart(m, parts, p + 1), ep, alpha, n, rng[p]));
            if (mon.layoutDue() || epoch == epochs - 1) mon.layout(y.clone(), epoch + 1);
            mon.progress((epoch + 1) / (double) epochs, "UMAP epoch " + (epoch + 1) + "/" + epochs);
        }
    }

    /**
     * One epoch over edges [e0, e1) (umap-learn's optimize_layout_euclidean in float, as umap-learn);
     * returns the RNG state. One difference: every negative sample of an edge is measured from the
     * head's position after its attractive step, where umap-learn moves the head between negative
     * samples. The samples then no longer wait on each other, which made the layout 1.5× faster.
     */
    private static long sgd(float[] y, Graph g, SquaredDistanceTable attraction, SquaredDistanceTable repulsion,
                            double[] eps, double[] epsNeg, double[] nextSample, double[] nextNeg,
                            int e0, int e1, int epoch, float alpha, int n, long s) {
        int[] head = g.head, tail = g.tail;
        for (int e = e0; e < e1; e++) {
            if (nextSample[e] > epoch) continue;
            int j = head[e], kk = tail[e];
            int j2 = 2 * j, k2 = 2 * kk;
            float cx = y[j2], cy = y[j2 + 1];
            float dx = cx - y[k2], dy = cy - y[k2 + 1];
            float d2 = dx * dx + dy * dy;
            if (d2 > 0) {
                float coeff = attraction.at(d2);
                float gx = clip(coeff * dx) * alpha, gy = clip(coeff * dy) * alpha;
                cx += gx;
                cy += gy;
                y[k2] -= gx;
                y[k2 + 1] -= gy;
            }
            nextSample[e] += eps[e];
            int negs = (int) ((epoch - nextNeg[e]) / epsNeg[e]);
            float hx = cx, hy = cy;
            for (int p = 0; p < negs; p++) {
                s ^= s << 13;
                s ^= s >>> 7;
                s ^= s << 17;
                int o = (int) (((s >>> 33) * n) >>> 31);
                if (o == j) continue;
                int o2 = 2 * o;
                float ex = hx - y[o2], ey = hy - y[o2 + 1];
                float e2 = ex * ex + ey * ey;
                if (e2 > 0) {
                    float coeff = repulsion.at(e2);
                    cx += clip(coeff * ex) * alpha;
                    cy += clip(coeff * ey) * alpha;
                } else {
                    cx += 4 * alpha;
                    cy += 4 * alpha;
                }
            }
            y[j2] = cx;
            y[j2 + 1] = cy;
            nextNeg[e] += negs * epsNeg[e];
        }
        return s;
    }

    /**
     * Fits a, b of 1 / (1 + a·x^(2b)) to the UMAP target curve (1 below min_dist, then
     * exp(−(x − min_dist)/spread)) on 300 points in [0, 3·spread], by Levenberg-Marquardt.
     * For min_dist 0.1 and spread 1 this gives a ≈ 1.577, b ≈ 0.895 as umap-learn.
     */
    static double[] fitAB(double spread, double minDist) {
        int m = 300;
        double[] xs = new double[m], ys = new double[m];
        for (int i = 0; i < m; i++) {
            xs[i] = 3 * spread * i / (m - 1);
            ys[i] = xs[i] < minDist ? 1.0 : Math.exp(-(xs[i] - minDist) / spread);
        }
        double a = 1, b = 1, lambda = 1e-3;
        double cost = abCost(xs, ys, a, b);
        for (int it = 0; it < 500; it++) {
            double jaa = 0, jab = 0, jbb = 0, ga = 0, gb = 0;
            for (int i = 1; i < m; i++) {
                double x = xs[i];
                double u = Math.pow(x, 2 * b);
                double f = 1 / (1 + a * u);
                double r = f - ys[i];
                double da = -u * f * f;
                double db = -a * u * 2 * Math.log(x) * f * f;
                jaa += da * da;
                jab += da * db;
                jbb += db * db;
                ga += da * r;
                gb += db * r;
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double a11 = jaa * (1 + lambda), a22 = jbb * (1 + lambda), a12 = jab;
                double det = a11 * a22 - a12 * a12;
                double stepA = -(a22 * ga - a12 * gb) / det;
                double stepB = -(a11 * gb - a12 * ga) / det;
                double na = a + stepA, nb = b + stepB;
                double nc = na > 0 && nb > 0 ? abCost(xs, ys, na, nb) : Double.POSITIVE_INFINITY;
                if (nc < cost) {
                    improved = Math.abs(cost - nc) > 1e-15 * cost;
                    a = na;
                    b = nb;
                    cost = nc;
                    lambda = Math.max(1e-9, lambda / 10);
                    break;
                }
                lambda *= 10;
            }
            if (!improved) break;
        }
        return new double[] {a, b};
    }

    private static double abCost(double[] xs, double[] ys, double a, double b) {
        double c = 0;
        for (int i = 0; i < xs.length; i++) {
            double f = 1 / (1 + a * Math.pow(xs[i], 2 * b));
            c += (f - ys[i]) * (f - ys[i]);
        }
        return c;
    }
}
