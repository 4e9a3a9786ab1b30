package org.latentlab.latent;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic per-class proportional sampling of rows (for t-SNE above its sample cap). */
public final class StratifiedSample {

    private StratifiedSample() {
    }

    /**
     * Picks {@code min(cap, n)} row indices, sorted ascending. Each class (distinct label value)
     * gets a share proportional to its size, rounded by largest remainder so the shares add up to
     * exactly {@code cap}; the rows within a class are a uniform sample without replacement.
     * The same labels, cap and seed always give the same indices.
     *
     * @param labels class of each row, any int values; null means a single class (uniform sample)
     */
    public static int[] indices(int[] labels, int cap, long seed) {
        return indices(labels, labels == null ? 0 : labels.length, cap, seed);
    }

    /** As {@link #indices(int[], int, long)} for n rows (labels may be null). */
    public static int[] indices(int[] labels, int n, int cap, long seed) {
        if (cap < 0) throw new IllegalArgumentException("cap must be >= 0: " + cap);
        if (labels != null && labels.length != n) throw new IllegalArgumentException("labels for " + labels.length + " rows, not " + n);
        if (cap >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        int[] lab = labels == null ? new int[n] : labels;
        int[] classes = Arrays.stream(lab).distinct().sorted().toArray();
        int m = classes.length;
        int[] count = new int[m];
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            int c = Arrays.binarySearch(classes, lab[i]);
            cls[i] = c;
            count[c]++;
        }
        int[] quota = new int[m];
        double[] rem = new double[m];
        int given = 0;
        for (int c = 0; c < m; c++) {
            double exact = (double) count[c] * cap / n;
            quota[c] = (int) Math.floor(exact);
            rem[c] = exact - quota[c];
            given += quota[c];
        }
        Integer[] order = new Integer[m];
        for (int c = 0; c < m; c++) order[c] = c;
        // largest remainder first; ties to the larger class, then the smaller class value
        Arrays.sort(order, (a, b) -> rem[a] != rem[b] ? Double.compare(rem[b], rem[a])
                : count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
        for (int t = 0; given < cap; t++, given++) quota[order[t % m]]++;
        // rows of each class, in input order
        int[][] members = new int[m][];
        int[] fill = new int[m];
        for (int c = 0; c < m; c++) members[c] = new int[count[c]];
        for (int i = 0; i < n; i++) members[cls[i]][fill[cls[i]]++] = i;
        int[] out = new int[cap];
        int o = 0;
        for (int c = 0; c < m; c++) {
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + classes[c]);
            int[] mem = members[c];
            for (int t = 0; t < quota[c]; t++) { // partial Fisher-Yates
                int j = t + r.nextInt(mem.length - t);
                int tmp = mem[t];
                mem[t] = mem[j];
                mem[j] = tmp;
                out[o++] = mem[t];
            }
        }
        Arrays.sort(out);
        return out;
    }
}
