package org.latentlab.latent;

import java.util.Map;

/**
 * A finished 2-D projection.
 *
 * @param method  how it was made
 * @param xy      the points, flat: {@code xy[2p], xy[2p+1]} is point p
 * @param rows    the input row each point belongs to ({@code rows.length == xy.length / 2}); all rows
 *                in order unless t-SNE took a sample or Smile's UMAP dropped the points outside the
 *                largest connected component of its neighbour graph
 * @param seconds wall-clock time of the whole projection
 * @param note    one human-readable line: what was done, what was dropped, the final KL divergence...
 * @param stats   numbers for reports and JSON, e.g. "kl_divergence", "iterations", "knn_seconds"
 */
public record Projection(ProjectionMethod method, float[] xy, int[] rows, double seconds, String note,
                         Map<String, Double> stats) {

    public Projection {
        if (xy.length != 2 * rows.length) {
            throw new IllegalArgumentException("xy has " + xy.length / 2 + " points but rows " + rows.length);
        }
        stats = Map.copyOf(stats);
    }

    /** Number of projected points. */
    public int size() {
        return rows.length;
    }

    /** A statistic, or NaN when absent. */
    public double stat(String name) {
        Double v = stats.get(name);
        return v == null ? Double.NaN : v;
    }

    /** The points as an n × 2 array. */
    public float[][] points() {
        float[][] p = new float[rows.length][2];
        for (int i = 0; i < p.length; i++) {
            p[i][0] = xy[2 * i];
            p[i][1] = xy[2 * i + 1];
        }
        return p;
    }
}
