package org.latentlab.latent;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Barnes-Hut t-SNE (van der Maaten 2014) following scikit-learn's {@code TSNE(method="barnes_hut")}
 * step by step, so that timings and KL divergences can be compared with it one to one:
 * <ol>
 * <li>exact 3·perplexity nearest neighbours ({@link Knn}, blocked brute force on the workers);</li>
 * <li>per-row binary search of the Gaussian precision for the perplexity (scikit-learn's rule,
 * tolerance 1e-5 on the entropy, 100 steps), symmetrised P = (P + Pᵀ) / sum in CSR float arrays;</li>
 * <li>PCA initialisation scaled to a standard deviation of 1e-4 in the first axis;</li>
 * <li>gradient descent with gains (+0.2 / ×0.8, min 0.01), momentum 0.5 during the early
 * exaggeration (×12, 250 iterations) then 0.8, learning rate max(n / 12 / 4, 50), gains and
 * momentum restarted after the exaggeration phase, scikit-learn's stopping rules (no progress of the
 * KL divergence, checked every 50 iterations, for 300 iterations; gradient norm ≤ 1e-7) and an
 * optional relative KL tolerance;</li>
 * <li>each iteration builds a quadtree into flat arrays (no object per node; points are partitioned
 * in place and kept in tree order so that the traversals of consecutive points touch the same
 * cells), then one pass over chunks of points computes the attractive forces over the sparse P and
 * the repulsive forces by Barnes-Hut (a cell of width w at distance r is summarised when
 * w² &lt; θ²·r², θ = 0.5, as in scikit-learn; leaves hold up to 8 points, summed exactly when a
 * leaf is too close to be summarised), and a second pass
 * applies the update.</li>
 * </ol>
 * The KL divergence is computed the way scikit-learn does it (with the Barnes-Hut estimate of the
 * normalisation Z) at the check iterations and at the last one, on the positions before the update.
 *
 * <p>Determinism: the chunks never depend on the number of threads, every chunk writes only its own
 * points, and partial sums are added in chunk order, so a seed gives bit-identical results with 1 or
 * 2 threads (the tests check it). Only cancellation timing can differ.
 */
public final class BarnesHutTsne {

    /**
     * @param xy            n × 2 embedding, flat
     * @param klDivergence  final KL(P‖Q) as scikit-learn reports it ({@code kl_divergence_})
     * @param iterations    iterations run (scikit-learn's {@code n_iter_} is this minus one)
     * @param stopReason    "max iterations", or why it stopped early
     */
    public record Result(float[] xy, double klDivergence, int iterations, String stopReason, double knnSeconds,
                         double affinitySeconds, double optimizeSeconds, double perplexity, double learningRate) {
    }

    private static final int CHECK_EVERY = 50;
    private static final int NO_PROGRESS_EXPLORATION = 250;
    private static final int NO_PROGRESS = 300;
    private static final double MIN_GRAD_NORM = 1e-7;
    private static final double MIN_GAIN = 0.01;

    private BarnesHutTsne() {
    }

    /** Runs t-SNE on all rows of x (no sampling: see {@link Projections} for that). */
    public static Result run(float[][] x, ProjectionOptions o, ProjectionListener listener, BooleanSupplier cancelled) {
        Monitor mon = new Monitor(listener, cancelled, o.layoutIntervalMillis());
        try (Workers w = new Workers(o.threads())) {
            return compute(x, o, w, mon);
        }
    }

    static Result compute(float[][] x, ProjectionOptions o, Workers workers, Monitor mon) {
        int n = x.length;
        if (n <= 2) {
            float[] xy = new float[2 * n];
            if (n == 2) xy[2] = 1;
            return new Result(xy, 0, 0, "too few points", 0, 0, 0, 0, 0);
        }
        long t0 = System.nanoTime();
        int k = Math.min(n - 1, (int) (3 * o.perplexity() + 1));
        double perplexity = Math.min(o.perplexity(), k / 3.0);
        mon.phase(0.0, 0.06);
        mon.progress(0, "t-SNE: nearest neighbours");
        Knn knn = Knn.exact(x, k, workers, mon);
        long t1 = System.nanoTime();
        mon.phase(0.06, 0.08);
        mon.progress(0, "t-SNE: affinities");
        Csr p = affinities(knn, perplexity, workers, mon);
        Pca pca = Pca.fit(x, Math.min(2, x[0].length), workers, mon);
        long t2 = System.nanoTime();
        double[] y = initialLayout(x, pca, o.seed());
        mon.phase(0.08, 1.0);
        Optimizer opt = new Optimizer(p, y, o, workers, mon);
        opt.optimize();
        long t3 = System.nanoTime();
        float[] xy = new float[2 * n];
        for (int i = 0; i < 2 * n; i++) xy[i] = (float) y[i];
        return new Result(xy, opt.kl, opt.iterationsRun, opt.stopReason, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9, perplexity, opt.lr);
    }

    /** scikit-learn's init="pca": the first two principal components scaled to std 1e-4 on the first. */
    static double[] initialLayout(float[][] x, Pca pca, long seed) {
        int n = x.length;
        double[] y = new double[2 * n];
        float[] proj = pca.project(x);
        int k = pca.components().length;
        double mean = 0, sq = 0;
        for (int i = 0; i < n; i++) mean += proj[i * k];
        mean /= n;
        for (int i = 0; i < n; i++) sq += (proj[i * k] - mean) * (proj[i * k] - mean);
        double std = Math.sqrt(sq / n);
        if (std > 0 && k == 2) {
            double s = 1e-4 / std;
            for (int i = 0; i < n; i++) {
                y[2 * i] = proj[2 * i] * s;
                y[2 * i + 1] = proj[2 * i + 1] * s;
            }
        } else {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            for (int i = 0; i < 2 * n; i++) y[i] = 1e-4 * gaussian(r);
        }
        return y;
    }

    static double gaussian(java.util.SplittableRandom r) {
        double u = r.nextDouble(), v = r.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }

    /** Sparse symmetric P in CSR form. */
    static final class Csr {
        final int n;
        final int[] rowPtr;
        final int[] col;
        final float[] val;

        Csr(int n, int[] rowPtr, int[] col, float[] val) {
            this.n = n;
            this.rowPtr = rowPtr;
            this.col = col;
            this.val = val;
        }

        double sumPLogP() {
            double s = 0;
            for (float v : val) if (v > 0) s += v * Math.log(v);
            return s;
        }
    }

    /** Conditional P by perplexity search, then P = (P + Pᵀ) / sum(P + Pᵀ). */
    static Csr affinities(Knn knn, double perplexity, Workers workers, Monitor mon) {
        int n = knn.n, k = knn.k;
        float[] cond = new float[n * k];
        double desired = Math.log(perplexity);
        int chunks = Workers.chunks(n, 256);
        workers.forEachChunk(chunks, c -> {
            mon.check();
            int a = Workers.chunkStart(n, chunks, c), b = Workers.chunkStart(n, chunks, c + 1);
            double[] pr = new double[k];
            for (int i = a; i < b; i++) {
                int o = i * k;
                double dmin = knn.dist2[o];
                double beta = 1, betaMin = Double.NEGATIVE_INFINITY, betaMax = Double.POSITIVE_INFINITY;
                for (int step = 0; step < 100; step++) {
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        double e = Math.exp(-(knn.dist2[o + j] - dmin) * beta);
                        pr[j] = e;
                        sum += e;
                    }
                    if (sum == 0) sum = 1e-8;
                    double sumDP = 0;
                    for (int j = 0; j < k; j++) {
                        pr[j] /= sum;
                        sumDP += (knn.dist2[o + j] - dmin) * pr[j];
                    }
                    double diff = Math.log(sum) + beta * sumDP - desired;
                    if (Math.abs(diff) <= 1e-5) break;
                    if (diff > 0) {
                        betaMin = beta;
                        beta = betaMax == Double.POSITIVE_INFINITY ? beta * 2 : (beta + betaMax) / 2;
                    } else {
                        betaMax = beta;
                        beta = betaMin == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + betaMin) / 2;
                    }
                }
                for (int j = 0; j < k; j++) cond[o + j] = (float) pr[j];
            }
        });
        mon.check();
        // reverse lists: for each j, the rows i that have j as a neighbour
        int[] revCount = new int[n + 1];
        for (int e = 0; e < n * k; e++) revCount[knn.idx[e] + 1]++;
        for (int i = 0; i < n; i++) revCount[i + 1] += revCount[i];
        int[] revRow = new int[n * k];
        int[] revPos = new int[n * k];
        int[] fill = Arrays.copyOf(revCount, n);
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < k; t++) {
                int j = knn.idx[i * k + t];
                int f = fill[j]++;
                revRow[f] = i;
                revPos[f] = i * k + t;
            }
        }
        int[] rowPtr = new int[n + 1];
        int[] col = new int[2 * n * k];
        float[] tmp = new float[2 * n * k];
        int[] slot = new int[n];
        Arrays.fill(slot, -1);
        int nnz = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int start = nnz;
            for (int t = 0; t < k; t++) {
                int j = knn.idx[i * k + t];
                slot[j] = nnz;
                col[nnz] = j;
                tmp[nnz++] = cond[i * k + t];
            }
            for (int f = revCount[i]; f < revCount[i + 1]; f++) {
                int j = revRow[f];
                float v = cond[revPos[f]];
                int s = slot[j];
                if (s >= 0) {
                    tmp[s] += v;
                } else {
                    slot[j] = nnz;
                    col[nnz] = j;
                    tmp[nnz++] = v;
                }
            }
            for (int e = start; e < nnz; e++) {
                slot[col[e]] = -1;
                total += tmp[e];
            }
            rowPtr[i + 1] = nnz;
        }
        float[] val = new float[nnz];
        double inv = 1.0 / Math.max(total, Double.MIN_NORMAL);
        for (int e = 0; e < nnz; e++) val[e] = (float) (tmp[e] * inv);
        return new Csr(n, rowPtr, Arrays.copyOf(col, nnz), val);
    }

    /**
     * Quadtree in flat arrays, rebuilt every iteration; points kept in tree order. Node c keeps
     * centre of mass x, y, squared width and point count in {@code nd[4c .. 4c+3]} (one cache line
     * for the summary test) and its first child (or, for a leaf, its first point) and child count in
     * {@code ni[2c], ni[2c+1]}. Children of a node are contiguous; empty quadrants get no node.
     */
    static final class QuadTree {
        static final int LEAF_SIZE = 8; // small leaves are summed exactly (measured: 8 is no slower than 1 or 4)
        static final int MAX_DEPTH = 48;

        final int n;
        final int[] perm;     // tree position -> point id
        final double[] px, py; // positions in tree order
        int nodes;
        double[] nd;
        int[] ni;

        QuadTree(int n) {
            this.n = n;
            perm = new int[n];
            for (int i = 0; i < n; i++) perm[i] = i;
            px = new double[n];
            py = new double[n];
            int cap = Math.max(16, 2 * n);
            nd = new double[4 * cap];
            ni = new int[2 * cap];
        }

        int capacity() {
            return ni.length / 2;
        }

        private void grow(int need) {
            int cap = Math.max(capacity() * 2, need + 16);
            nd = Arrays.copyOf(nd, 4 * cap);
            ni = Arrays.copyOf(ni, 2 * cap);
        }

        /** Builds the tree over y (interleaved x, y), starting from the previous point order. */
        void build(double[] y) {
            double minX = Double.POSITIVE_INFINITY, minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                int i = perm[t];
                double a = y[2 * i], b = y[2 * i + 1];
                px[t] = a;
                py[t] = b;
                if (a < minX) minX = a;
                if (a > maxX) maxX = a;
                if (b < minY) minY = b;
                if (b > maxY) maxY = b;
            }
            double side = Math.max(maxX - minX, maxY - minY);
            side = side * (1 + 1e-9) + 1e-300;
            nodes = 1;
            split(0, 0, n, minX + side / 2, minY + side / 2, side / 2, 0);
        }

        private void split(int node, int lo, int hi, double cx, double cy, double half, int depth) {
            int m = hi - lo;
            int b4 = 4 * node, b2 = 2 * node;
            nd[b4 + 2] = 4 * half * half;
            nd[b4 + 3] = m;
            if (m <= LEAF_SIZE || depth >= MAX_DEPTH) {
                double sx = 0, sy = 0;
                for (int t = lo; t < hi; t++) {
                    sx += px[t];
                    sy += py[t];
                }
                nd[b4] = sx / m;
                nd[b4 + 1] = sy / m;
                ni[b2] = lo;
                ni[b2 + 1] = 0;
                return;
            }
            int mid = partition(lo, hi, px, cx);     // [lo, mid) x < cx
            int q1 = partition(lo, mid, py, cy);     // [lo, q1) y < cy
            int q3 = partition(mid, hi, py, cy);     // [mid, q3) y < cy
            int children = (q1 > lo ? 1 : 0) + (mid > q1 ? 1 : 0) + (q3 > mid ? 1 : 0) + (hi > q3 ? 1 : 0);
            if (nodes + children > capacity()) grow(nodes + children);
            int first = nodes;
            nodes += children;
            ni[b2] = first;
            ni[b2 + 1] = children;
            double h = half / 2;
            int c = first;
            double sx = 0, sy = 0;
            for (int q = 0; q < 4; q++) {
                int a = q == 0 ? lo : q == 1 ? q1 : q == 2 ? mid : q3;
                int b = q == 0 ? q1 : q == 1 ? mid : q == 2 ? q3 : hi;
                if (b <= a) continue;
                double ccx = q < 2 ? cx - h : cx + h;
                double ccy = (q & 1) == 0 ? cy - h : cy + h;
                split(c, a, b, ccx, ccy, h, depth + 1);
                sx += nd[4 * c] * (b - a);
                sy += nd[4 * c + 1] * (b - a);
                c++;
            }
            nd[b4] = sx / m;
            nd[b4 + 1] = sy / m;
        }

        /** Moves the points with key &lt; pivot to the front of [lo, hi); returns the boundary. */
        private int partition(int lo, int hi, double[] key, double pivot) {
            int i = lo, j = hi - 1;
            while (true) {
                while (i <= j && key[i] < pivot) i++;
                while (i <= j && key[j] >= pivot) j--;
                if (i >= j) return i;
                swap(i, j);
                i++;
                j--;
            }
        }

        private void swap(int a, int b) {
            int tp = perm[a];
            perm[a] = perm[b];
            perm[b] = tp;
            double t = px[a];
            px[a] = px[b];
            px[b] = t;
            t = py[a];
            py[a] = py[b];
            py[b] = t;
        }
    }

    /** The gradient descent state and loop. */
    static final class Optimizer {
        final Csr p;
        final double[] y;
        final int n;
        final ProjectionOptions o;
        final Workers workers;
        final Monitor mon;
        final double lr;
        final double theta2;
        final QuadTree tree;
        final double[] attr, rep, update, gains;
        final int chunks;
        final double[] chunkSumQ, chunkPLogQ, chunkGrad2;
        final int[][] stacks;
        final double sumPLogP;
        double kl = Double.NaN;
        int iterationsRun;
        String stopReason = "max iterations";

        Optimizer(Csr p, double[] y, ProjectionOptions o, Workers workers, Monitor mon) {
            this.p = p;
            this.y = y;
            this.n = p.n;
            this.o = o;
            this.workers = workers;
            this.mon = mon;
            this.lr = o.tsneLearningRate(n);
            this.theta2 = o.theta() * o.theta();
            this.tree = new QuadTree(n);
            attr = new double[2 * n];
            rep = new double[2 * n];
            update = new double[2 * n];
            gains = new double[2 * n];
            chunks = Workers.chunks(n, 128);
            chunkSumQ = new double[chunks];
            chunkPLogQ = new double[chunks];
            chunkGrad2 = new double[chunks];
            stacks = new int[chunks][];
            sumPLogP = p.sumPLogP();
        }

        void optimize() {
            int total = o.tsneIterations();
            int explore = Math.min(o.exaggerationIterations(), total);
            int it = 0;
            if (explore > 0) {
                it = descend(0, explore, 0.5, o.earlyExaggeration(), NO_PROGRESS_EXPLORATION, false);
            }
            if (it < total) {
                descend(it, total, 0.8, 1.0, NO_PROGRESS, true);
            }
        }

        /** Iterations [from, to); returns the next iteration index (to, or earlier when it stopped). */
        private int descend(int from, int to, double momentum, double exaggeration, int noProgress, boolean main) {
            Arrays.fill(update, 0);
            Arrays.fill(gains, 1);
            double best = Double.POSITIVE_INFINITY;
            int bestIter = from;
            double prevKl = Double.NaN;
            int total = o.tsneIterations();
            for (int i = from; i < to; i++) {
                mon.check();
                boolean check = (i + 1) % CHECK_EVERY == 0;
                boolean error = check || i == total - 1 || i == to - 1;
                double err = gradientStep(exaggeration, momentum, error);
                iterationsRun = i + 1;
                if (error) kl = err;
                if (mon.layoutDue() || i == to - 1) {
                    float[] xy = new float[2 * n];
                    for (int t = 0; t < 2 * n; t++) xy[t] = (float) y[t];
                    mon.layout(xy, i + 1);
                }
                mon.progress((i + 1) / (double) total, "t-SNE iteration " + (i + 1) + "/" + total
                        + (main ? "" : " (early exaggeration)") + (Double.isNaN(kl) ? "" : String.format(", KL %.3f", kl)));
                if (check) {
                    double gradNorm = Math.sqrt(sumChunks(chunkGrad2));
                    if (err < best) {
                        best = err;
                        bestIter = i;
                    } else if (i - bestIter > noProgress) {
                        if (main) stopReason = "no KL progress for " + noProgress + " iterations";
                        return i + 1;
                    }
                    if (gradNorm <= MIN_GRAD_NORM) {
                        if (main) stopReason = "gradient norm " + gradNorm + " <= " + MIN_GRAD_NORM;
                        return i + 1;
                    }
                    if (main && o.klTolerance() > 0 && !Double.isNaN(prevKl)
                            && prevKl - err < o.klTolerance() * Math.abs(err)) {
                        stopReason = String.format("KL change %.2g < tolerance %.2g over %d iterations",
                                (prevKl - err) / Math.abs(err), o.klTolerance(), CHECK_EVERY);
                        return i + 1;
                    }
                    prevKl = err;
                }
            }
            return to;
        }

        private double sumChunks(double[] a) {
            double s = 0;
            for (double v : a) s += v;
            return s;
        }

        /** One gradient evaluation and update; returns the KL divergence when asked, else NaN. */
        double gradientStep(double exaggeration, double momentum, boolean computeError) {
            tree.build(y);
            final double th2 = theta2;
            workers.forEachChunk(chunks, c -> forces(c, th2, computeError));
            double sumQ = sumChunks(chunkSumQ);
            double invZ = 1.0 / sumQ;
            workers.forEachChunk(chunks, c -> {
                int a = 2 * Workers.chunkStart(n, chunks, c), b = 2 * Workers.chunkStart(n, chunks, c + 1);
                double g2 = 0;
                for (int t = a; t < b; t++) {
                    double g = 4.0 * (exaggeration * attr[t] - rep[t] * invZ);
                    double u = update[t];
                    double gain = gains[t];
                    gain = (u * g < 0) ? gain + 0.2 : gain * 0.8;
                    if (gain < MIN_GAIN) gain = MIN_GAIN;
                    gains[t] = gain;
                    g *= gain;
                    g2 += g * g;
                    u = momentum * u - lr * g;
                    update[t] = u;
                    y[t] += u;
                }
                chunkGrad2[c] = g2;
            });
            if (!computeError) return Double.NaN;
            // KL = sum p' log p' - sum p' log q_unnorm + log(Z) sum p', with p' = exaggeration * P, sum P = 1
            double plogp = exaggeration * (sumPLogP + Math.log(exaggeration));
            double plogq = exaggeration * sumChunks(chunkPLogQ);
            return plogp - plogq + exaggeration * Math.log(sumQ);
        }

        /** Attractive and repulsive forces of the points in tree positions of chunk c. */
        private void forces(int c, double th2, boolean computeError) {
            if ((c & 7) == 0) mon.check();
            int a = Workers.chunkStart(n, chunks, c), b = Workers.chunkStart(n, chunks, c + 1);
            int[] stack = stacks[c];
            if (stack == null) stack = stacks[c] = new int[4 * QuadTree.MAX_DEPTH + 8];
            final double[] px = tree.px, py = tree.py, nd = tree.nd;
            final int[] ni = tree.ni;
            final int[] perm = tree.perm, rowPtr = p.rowPtr, col = p.col;
            final float[] val = p.val;
            final double[] yy = y;
            double sumQ = 0, pLogQ = 0;
            for (int t = a; t < b; t++) {
                int i = perm[t];
                double x0 = px[t], y0 = py[t];
                // repulsion
                double fx = 0, fy = 0, sq = 0;
                int sp = 0;
                stack[sp++] = 0;
                while (sp > 0) {
                    int node = stack[--sp];
                    int b4 = node << 2;
                    double dx = x0 - nd[b4], dy = y0 - nd[b4 + 1];
                    double d2 = dx * dx + dy * dy;
                    if (nd[b4 + 2] < th2 * d2) {
                        double q = 1.0 / (1.0 + d2);
                        double m = nd[b4 + 3] * q;
                        sq += m;
                        m *= q;
                        fx += m * dx;
                        fy += m * dy;
                    } else {
                        int f = ni[node << 1], cc = ni[(node << 1) + 1];
                        if (cc == 0) {
                            int s1 = f + (int) nd[b4 + 3];
                            for (int s = f; s < s1; s++) {
                                if (s == t) continue;
                                double ex = x0 - px[s], ey = y0 - py[s];
                                double q = 1.0 / (1.0 + ex * ex + ey * ey);
                                sq += q;
                                q *= q;
                                fx += q * ex;
                                fy += q * ey;
                            }
                        } else {
                            for (int k = 0; k < cc; k++) stack[sp++] = f + k;
                        }
                    }
                }
                rep[2 * i] = fx;
                rep[2 * i + 1] = fy;
                sumQ += sq;
                // attraction over row i of P
                double ax = 0, ay = 0;
                double yx = yy[2 * i], yyy = yy[2 * i + 1];
                for (int e = rowPtr[i], end = rowPtr[i + 1]; e < end; e++) {
                    int j = col[e];
                    double dx = yx - yy[2 * j], dy = yyy - yy[2 * j + 1];
                    double q = 1.0 / (1.0 + dx * dx + dy * dy);
                    double pq = val[e] * q;
                    ax += pq * dx;
                    ay += pq * dy;
                    if (computeError) pLogQ += val[e] * Math.log(q);
                }
                attr[2 * i] = ax;
                attr[2 * i + 1] = ay;
            }
            chunkSumQ[c] = sumQ;
            chunkPLogQ[c] = pLogQ;
        }
    }
}
