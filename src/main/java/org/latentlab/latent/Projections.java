package org.latentlab.latent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Entry point: one call per projection, on a background thread of the caller's choosing. */
public final class Projections {

    private Projections() {
    }

    /** {@link #project(ProjectionMethod, float[][], int[], ProjectionOptions, ProjectionListener, BooleanSupplier)} without labels. */
    public static Projection project(ProjectionMethod method, float[][] latents, ProjectionOptions opts,
                                     ProjectionListener listener, BooleanSupplier cancelled) {
        return project(method, latents, null, opts, listener, cancelled);
    }

    /**
     * Projects latents to 2-D.
     *
     * @param latents   n × d latent vectors (not modified)
     * @param labels    class of each row, or null; used only to stratify the t-SNE sample
     * @param opts      settings, see {@link ProjectionOptions#defaults()}
     * @param listener  progress and intermediate layouts, may be null; called on this thread
     * @param cancelled polled at least once per iteration and every few hundred rows (also from
     *                  worker threads: it must be thread-safe, e.g. an AtomicBoolean::get), may be null
     * @throws CancellationException when {@code cancelled} turns true (or this thread is interrupted)
     * @throws IllegalArgumentException for empty or ragged input or NaN/infinite values
     */
    public static Projection project(ProjectionMethod method, float[][] latents, int[] labels, ProjectionOptions opts,
                                     ProjectionListener listener, BooleanSupplier cancelled) {
        if (opts == null) opts = ProjectionOptions.defaults();
        validate(latents, labels);
        Monitor mon = new Monitor(listener, cancelled, opts.layoutIntervalMillis());
        long t0 = System.nanoTime();
        mon.check();
        return switch (method) {
            case RAW_2D -> raw(latents, mon, t0);
            case PCA -> pca(latents, opts, mon, t0);
            case TSNE -> tsne(latents, labels, opts, mon, t0);
            case UMAP -> opts.umapBackend() == ProjectionOptions.UmapBackend.SMILE
                    ? smileUmap(latents, opts, mon, t0) : umap(latents, opts, mon, t0);
        };
    }

    private static void validate(float[][] x, int[] labels) {
        if (x == null || x.length == 0) throw new IllegalArgumentException("no latent vectors to project");
        int d = x[0].length;
        if (d == 0) throw new IllegalArgumentException("latent vectors have no dimensions");
        for (int i = 0; i < x.length; i++) {
            float[] r = x[i];
            if (r.length != d) {
                throw new IllegalArgumentException("latent row " + i + " has " + r.length + " values, expected " + d);
            }
            for (float v : r) {
                if (!Float.isFinite(v)) throw new IllegalArgumentException("latent row " + i + " holds " + v);
            }
        }
        if (labels != null && labels.length != x.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + x.length + " latent rows");
        }
    }

    private static int[] allRows(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    private static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static Projection raw(float[][] x, Monitor mon, long t0) {
        int n = x.length, d = x[0].length;
        int[] rows = allRows(n);
        mon.started(ProjectionMethod.RAW_2D, rows);
        float[] xy = new float[2 * n];
        for (int i = 0; i < n; i++) {
            if ((i & 4095) == 0) mon.check();
            xy[2 * i] = x[i][0];
            xy[2 * i + 1] = d > 1 ? x[i][1] : 0f;
        }
        mon.progressNow(1, "raw latent dimensions");
        String note = d == 1 ? "1-D latents: x = z0, y = 0"
                : d == 2 ? "2-D latents as they are" : "first 2 of " + d + " latent dimensions (z0, z1)";
        return new Projection(ProjectionMethod.RAW_2D, xy, rows, since(t0), note, Map.of("dimensions", (double) d));
    }

    private static Projection pca(float[][] x, ProjectionOptions o, Monitor mon, long t0) {
        int n = x.length, d = x[0].length;
        int[] rows = allRows(n);
        mon.started(ProjectionMethod.PCA, rows);
        mon.progressNow(0, "PCA");
        Pca p;
        try (Workers w = new Workers(o.threads())) {
            p = Pca.fit(x, Math.min(2, d), w, mon);
        }
        float[] proj = p.project(x);
        float[] xy = new float[2 * n];
        int k = p.components().length;
        for (int i = 0; i < n; i++) {
            xy[2 * i] = proj[i * k];
            xy[2 * i + 1] = k > 1 ? proj[i * k + 1] : 0f;
        }
        double[] ev = p.explainedVarianceRatio();
        mon.progressNow(1, "PCA done");
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("explained_variance_pc1", ev[0]);
        if (k > 1) stats.put("explained_variance_pc2", ev[1]);
        String note = String.format("PCA of %d-D latents: PC1 %.1f%%, PC2 %.1f%% of the variance", d, 100 * ev[0],
                k > 1 ? 100 * ev[1] : 0.0);
        return new Projection(ProjectionMethod.PCA, xy, rows, since(t0), note, stats);
    }

    private static Projection tsne(float[][] x, int[] labels, ProjectionOptions o, Monitor mon, long t0) {
        int n = x.length;
        int[] rows;
        float[][] sub;
        String sampled = "";
        if (n > o.tsneSampleCap()) {
            rows = StratifiedSample.indices(labels, n, o.tsneSampleCap(), o.seed());
            sub = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) sub[i] = x[rows[i]];
            sampled = String.format(" on a %s sample of %d of %d points (cap %d)",
                    labels == null ? "uniform" : "class-stratified", rows.length, n, o.tsneSampleCap());
        } else {
            rows = allRows(n);
            sub = x;
        }
        mon.started(ProjectionMethod.TSNE, rows);
        BarnesHutTsne.Result r;
        try (Workers w = new Workers(o.threads())) {
            r = BarnesHutTsne.compute(sub, o, w, mon);
        }
        mon.progressNow(1, "t-SNE done");
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("kl_divergence", r.klDivergence());
        stats.put("iterations", (double) r.iterations());
        stats.put("knn_seconds", r.knnSeconds());
        stats.put("affinity_seconds", r.affinitySeconds());
        stats.put("optimize_seconds", r.optimizeSeconds());
        stats.put("perplexity", r.perplexity());
        stats.put("learning_rate", r.learningRate());
        String note = String.format("Barnes-Hut t-SNE%s: perplexity %.3g, theta %.2f, %d iterations (%s), KL divergence %.4f",
                sampled, r.perplexity(), o.theta(), r.iterations(), r.stopReason(), r.klDivergence());
        return new Projection(ProjectionMethod.TSNE, r.xy(), rows, since(t0), note, stats);
    }

    private static Projection umap(float[][] x, ProjectionOptions o, Monitor mon, long t0) {
        int[] rows = allRows(x.length);
        mon.started(ProjectionMethod.UMAP, rows);
        Umap.Result r;
        try (Workers w = new Workers(o.threads())) {
            r = Umap.compute(x, o, w, mon);
        }
        mon.progressNow(1, "UMAP done");
        Map<String, Double> stats = new LinkedHashMap<>();
        stats.put("epochs", (double) r.epochs());
        stats.put("edges", (double) r.edges());
        stats.put("knn_seconds", r.knnSeconds());
        stats.put("graph_seconds", r.graphSeconds());
        stats.put("optimize_seconds", r.optimizeSeconds());
        String note = String.format("UMAP (Latent Lab): %d neighbours, min_dist %.2g, %d epochs, PCA init, all %d points",
                Math.min(o.umapNeighbors(), x.length), o.umapMinDist(), r.epochs(), x.length);
        return new Projection(ProjectionMethod.UMAP, r.xy(), rows, since(t0), note, stats);
    }

    /**
     * Smile's UMAP in a daemon thread; the caller polls for cancellation every 100 ms and on
     * cancel abandons it (Smile cannot be stopped: the thread finishes its computation in the
     * background and its result is dropped).
     */
    private static Projection smileUmap(float[][] x, ProjectionOptions o, Monitor mon, long t0) {
        int n = x.length;
        double[][] data = new double[n][];
        for (int i = 0; i < n; i++) {
            data[i] = new double[x[i].length];
            for (int j = 0; j < x[i].length; j++) data[i][j] = x[i][j];
        }
        int k = Math.min(o.umapNeighbors(), n - 1);
        mon.progressNow(0, "UMAP (Smile): running, no progress until it ends");
        FutureTask<smile.manifold.UMAP> task = new FutureTask<>(() -> o.umapEpochs() > 0 || o.umapMinDist() != 0.1
                ? smile.manifold.UMAP.of(data, k, 2, o.umapEpochs() > 0 ? o.umapEpochs() : (n > 10_000 ? 200 : 500),
                1.0, o.umapMinDist(), 1.0, 5, 1.0)
                : smile.manifold.UMAP.of(data, k));
        Thread t = new Thread(task, "smile-umap");
        t.setDaemon(true);
        t.start();
        smile.manifold.UMAP u;
        while (true) {
            try {
                mon.check();
            } catch (CancellationException e) {
                task.cancel(true);
                throw new CancellationException("UMAP cancelled (Smile's computation is abandoned and ends in the background)");
            }
            try {
                u = task.get(100, TimeUnit.MILLISECONDS);
                break;
            } catch (TimeoutException e) {
                // poll again
            } catch (InterruptedException e) {
                task.cancel(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("UMAP interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                throw new IllegalStateException("Smile UMAP failed: " + c, c);
            }
        }
        int[] rows = u.index.clone();
        float[] xy = new float[2 * rows.length];
        for (int p = 0; p < rows.length; p++) {
            xy[2 * p] = (float) u.coordinates[p][0];
            xy[2 * p + 1] = (float) u.coordinates[p][1];
        }
        mon.started(ProjectionMethod.UMAP, rows);
        mon.layout(xy.clone(), 0);
        mon.progressNow(1, "UMAP done");
        int dropped = n - rows.length;
        String note = String.format("UMAP (Smile 3.1.1): %d neighbours, largest connected component of the neighbour graph: "
                + "%d of %d points%s", k, rows.length, n, dropped > 0 ? ", " + dropped + " dropped" : "");
        return new Projection(ProjectionMethod.UMAP, xy, rows, since(t0), note,
                Map.of("dropped_points", (double) dropped));
    }
}
