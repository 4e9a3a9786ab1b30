package org.latentlab.latent;

/**
 * Exact k nearest neighbours (Euclidean) by blocked brute force: the data are transposed to
 * dimension-major order so that the inner loop over a block of candidate columns vectorises, and a
 * per-row bounded max-heap keeps the k best. Rows are split into chunks run on the {@link Workers}.
 * Cost n²·d, which for the 16-D latents here beats tree searches up to ~10⁵ points.
 */
final class Knn {
    /** Neighbour ids, row-major n × k, nearest first; a point is never its own neighbour. */
    final int[] idx;
    /** Squared Euclidean distances matching {@link #idx}. */
    final float[] dist2;
    final int n;
    final int k;

    Knn(int n, int k, int[] idx, float[] dist2) {
        this.n = n;
        this.k = k;
        this.idx = idx;
        this.dist2 = dist2;
    }

    private static final int ROWS_PER_CHUNK = 64;
    private static final int COL_BLOCK = 1024;

    static Knn exact(float[][] x, int k, Workers workers, Monitor mon) {
        int n = x.length;
        if (k < 1 || k > n - 1) throw new IllegalArgumentException("k = " + k + " for " + n + " points");
        int d = x[0].length;
        float[] xt = new float[d * n];
        for (int i = 0; i < n; i++) {
            float[] r = x[i];
            if (r.length != d) throw new IllegalArgumentException("row " + i + " has " + r.length + " values, expected " + d);
            for (int j = 0; j < d; j++) xt[j * n + i] = r[j];
        }
        int[] idx = new int[n * k];
        float[] dist2 = new float[n * k];
        int chunks = (n + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK;
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Thread caller = Thread.currentThread();
        workers.forEachChunk(chunks, c -> {
            mon.check();
            int r0 = c * ROWS_PER_CHUNK, r1 = Math.min(n, r0 + ROWS_PER_CHUNK);
            int rows = r1 - r0;
            float[] acc = new float[COL_BLOCK];
            float[] hd = new float[rows * k];
            int[] hi = new int[rows * k];
            int[] size = new int[rows];
            for (int b0 = 0; b0 < n; b0 += COL_BLOCK) {
                int len = Math.min(COL_BLOCK, n - b0);
                for (int r = 0; r < rows; r++) {
                    int i = r0 + r;
                    float[] xi = x[i];
                    java.util.Arrays.fill(acc, 0, len, 0f);
                    for (int dd = 0; dd < d; dd++) {
                        float a = xi[dd];
                        int off = dd * n + b0;
                        for (int j = 0; j < len; j++) {
                            float diff = a - xt[off + j];
                            acc[j] += diff * diff;
                        }
                    }
                    int h = r * k;
                    int sz = size[r];
                    float thr = sz < k ? Float.POSITIVE_INFINITY : hd[h];
                    for (int j = 0; j < len; j++) {
                        float v = acc[j];
                        if (v < thr) {
                            int jj = b0 + j;
                            if (jj == i) continue;
                            if (sz < k) {
                                siftUp(hd, hi, h, sz, v, jj);
                                sz++;
                                thr = sz < k ? Float.POSITIVE_INFINITY : hd[h];
                            } else {
                                replaceTop(hd, hi, h, k, v, jj);
                                thr = hd[h];
                            }
                        }
                    }
                    size[r] = sz;
                }
            }
            for (int r = 0; r < rows; r++) {
                int h = r * k;
                int o = (r0 + r) * k;
                // heap sort out: pop the max into the last slot
                for (int s = k; s > 0; s--) {
                    float topD = hd[h];
                    int topI = hi[h];
                    dist2[o + s - 1] = topD;
                    idx[o + s - 1] = topI;
                    float lastD = hd[h + s - 1];
                    int lastI = hi[h + s - 1];
                    if (s - 1 > 0) siftDown(hd, hi, h, s - 1, lastD, lastI);
                }
            }
            int dn = done.addAndGet(rows);
            if (Thread.currentThread() == caller) mon.progress(dn / (double) n, "nearest neighbours " + dn + "/" + n);
        });
        return new Knn(n, k, idx, dist2);
    }

    /** Max-heap by (distance, id): larger id loses ties so results do not depend on scan order. */
    private static boolean greater(float da, int ia, float db, int ib) {
        return da > db || (da == db && ia > ib);
    }

    private static void siftUp(float[] hd, int[] hi, int h, int pos, float v, int id) {
        while (pos > 0) {
            int parent = (pos - 1) >> 1;
            if (greater(v, id, hd[h + parent], hi[h + parent])) {
                hd[h + pos] = hd[h + parent];
                hi[h + pos] = hi[h + parent];
                pos = parent;
            } else {
                break;
            }
        }
        hd[h + pos] = v;
        hi[h + pos] = id;
    }

    private static void replaceTop(float[] hd, int[] hi, int h, int size, float v, int id) {
        siftDown(hd, hi, h, size, v, id);
    }

    /** Places (v, id) at the root of a heap of the given size and sifts it down. */
    private static void siftDown(float[] hd, int[] hi, int h, int size, float v, int id) {
        int pos = 0;
        while (true) {
            int l = 2 * pos + 1;
            if (l >= size) break;
            int r = l + 1;
            int big = (r < size && greater(hd[h + r], hi[h + r], hd[h + l], hi[h + l])) ? r : l;
            if (greater(hd[h + big], hi[h + big], v, id)) {
                hd[h + pos] = hd[h + big];
                hi[h + pos] = hi[h + big];
                pos = big;
            } else {
                break;
            }
        }
        hd[h + pos] = v;
        hi[h + pos] = id;
    }
}
