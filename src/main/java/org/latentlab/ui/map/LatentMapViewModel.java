package org.latentlab.ui.map;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.latentlab.app.AppModel;
import org.latentlab.app.AppModel.EncodedSet;
import org.latentlab.data.AtomicFiles;
import org.latentlab.data.ImageSet;
import org.latentlab.latent.Projection;
import org.latentlab.latent.ProjectionListener;
import org.latentlab.latent.ProjectionMethod;
import org.latentlab.latent.Projections;
import org.latentlab.latent.ProjectionOptions;
import org.latentlab.ui.FxThread;

/**
 * Runs projections of the encoded set on a "projection" thread (plain Java, never the FX thread),
 * streams intermediate layouts so the map animates while t-SNE converges, and answers the map's
 * questions (which image is this point, its reconstruction, its nearest neighbours).
 */
public class LatentMapViewModel {
    /** What the view is told, always on the FX thread. */
    public interface Listener {
        void layout(float[] xy, int[] labels, boolean fit);
        void progress(double fraction, String message);
        void running(boolean running);
        void classes(List<String> names);
        void defaultMethod(ProjectionMethod m);
        /** A projection's final layout is in (not an animation frame, not a cancel). */
        void laidOut();
    }

    private final AppModel app;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "projection");
        t.setDaemon(true);
        return t;
    });
    private Listener listener;
    private EncodedSet encoded;
    private Projection projection;
    private int[] pointRows = new int[0];
    private int[] pointLabels = new int[0];
    private AtomicBoolean cancelFlag = new AtomicBoolean();

    public LatentMapViewModel(AppModel app) {
        this.app = app;
        app.encodedProperty().addListener((o, was, e) -> encodedChanged(e));
    }

    public void setListener(Listener l) {
        listener = l;
        encodedChanged(app.encoded());
    }

    public ImageSet set() { return encoded.set(); }
    public Projection projection() { return projection; }
    public int pointCount() { return pointRows.length; }
    public int imageIndex(int point) { return encoded.indices()[pointRows[point]]; }

    public String className(int point) {
        int l = pointLabels[point];
        List<String> names = encoded.set().classNames();
        return l >= 0 && l < names.size() ? names.get(l) : "?";
    }

    private void encodedChanged(EncodedSet e) {
        cancel();
        encoded = e;
        projection = null;
        if (listener == null) return;
        if (e == null) {
            pointRows = new int[0];
            pointLabels = new int[0];
            listener.layout(new float[0], new int[0], true);
            listener.progress(0, app.model() == null ? "No model loaded" : "Encoding …");
            return;
        }
        listener.classes(e.set().classNames());
        ProjectionMethod m = e.latentSize() == 2 ? ProjectionMethod.RAW_2D : ProjectionMethod.PCA;
        listener.defaultMethod(m);
        project(m, 10_000);
    }

    /** Projects the encoded set; t-SNE on a stratified sample of at most {@code tsneCap} points. */
    public void project(ProjectionMethod method, int tsneCap) {
        if (encoded == null || listener == null) return;
        cancel();
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelFlag = cancelled;
        EncodedSet e = encoded;
        listener.running(true);
        listener.progress(0, method + " of " + e.size() + " points …");
        worker.execute(() -> {
            float[][] latents = e.mu();
            int[] labels = e.labels();
            ProjectionOptions options = ProjectionOptions.defaults().withTsneSampleCap(tsneCap);
            int[][] layoutRows = {null};
            ProjectionListener progress = new ProjectionListener() {
                @Override public void started(ProjectionMethod m, int[] rows) { layoutRows[0] = rows; }
                @Override public void progress(double fraction, String message) {
                    FxThread.EXECUTOR.execute(() -> { if (!cancelled.get()) listener.progress(fraction, message); });
                }
                @Override public void layout(float[] xy, int iteration) {
                    int[] rows = layoutRows[0];
                    if (rows == null) return;
                    int[] pointLabelsNow = labelsOf(rows, labels);
                    boolean fit = iteration < 60 || iteration % 100 == 0;
                    FxThread.EXECUTOR.execute(() -> {
                        if (cancelled.get() || encoded != e) return;
                        pointRows = rows;
                        pointLabels = pointLabelsNow;
                        listener.layout(xy, pointLabelsNow, fit);
                    });
                }
            };
            try {
                Projection p = Projections.project(method, latents, labels, options, progress, cancelled::get);
                int[] finalLabels = labelsOf(p.rows(), labels);
                FxThread.EXECUTOR.execute(() -> {
                    if (encoded != e) return;
                    projection = p;
                    pointRows = p.rows();
                    pointLabels = finalLabels;
                    listener.layout(p.xy(), finalLabels, true);
                    listener.running(false);
                    listener.laidOut();
                    String sampled = p.rows().length < e.size()
                            ? String.format(" (%,d of %,d points%s)", p.rows().length, e.size(), method == ProjectionMethod.TSNE ? ", stratified sample, cap " + tsneCap : "") : "";
                    listener.progress(1, String.format("%s of %,d points in %.1f s%s%s", method, p.rows().length,
                            p.seconds(), sampled, p.note() == null || p.note().isEmpty() ? "" : " · " + p.note()));
                });
            } catch (CancellationException ex) {
                FxThread.EXECUTOR.execute(() -> {
                    listener.running(false);
                    listener.progress(0, method + " cancelled");
                });
            } catch (RuntimeException | OutOfMemoryError ex) {
                FxThread.EXECUTOR.execute(() -> {
                    listener.running(false);
                    listener.progress(0, method + " failed: " + ex.getMessage());
                });
            }
        });
    }

    private static int[] labelsOf(int[] rows, int[] labels) {
        int[] out = new int[rows.length];
        for (int k = 0; k < rows.length; k++) out[k] = labels[rows[k]];
        return out;
    }

    public void cancel() {
        cancelFlag.set(true);
        if (listener != null) listener.running(false);
    }

    /** The plotted point of the app's selection, or -1 (nothing selected, or not in a sampled layout). */
    public int selectedPoint() {
        AppModel.Selection s = app.selection();
        if (s == null || encoded == null) return -1;
        for (int p = 0; p < pointRows.length; p++) if (pointRows[p] == s.row()) return p;
        return -1;
    }

    /** Makes a point the app's selection (the sliders' base vector). */
    public void select(int point) {
        int row = pointRows[point];
        app.select(new AppModel.Selection(row, encoded.indices()[row], encoded.label(row), encoded.mu()[row].clone()));
    }

    /** The reconstruction of a point's image, delivered on the FX thread. */
    public void reconstruct(int point, Consumer<float[]> done) {
        EncodedSet e = encoded;
        app.service().reconstruct(e.model(), e.set(), new int[] {imageIndex(point)})
                .thenAccept(r -> FxThread.EXECUTOR.execute(() -> done.accept(r[0])));
    }

    /** The k plotted points nearest to a point in latent space (not in the 2-D map), on the FX thread. */
    public void neighbours(int point, int k, Consumer<int[]> done) {
        EncodedSet e = encoded;
        int[] rows = pointRows;
        worker.execute(() -> {
            float[][] mu = e.mu();
            float[] q = mu[rows[point]];
            int[] best = new int[k];
            double[] bestD = new double[k];
            java.util.Arrays.fill(bestD, Double.MAX_VALUE);
            java.util.Arrays.fill(best, -1);
            for (int p = 0; p < rows.length; p++) {
                if (p == point) continue;
                float[] v = mu[rows[p]];
                double d = 0;
                for (int j = 0; j < q.length; j++) {
                    double t = v[j] - q[j];
                    d += t * t;
                }
                if (d < bestD[k - 1]) {
                    int at = k - 1;
                    while (at > 0 && bestD[at - 1] > d) {
                        bestD[at] = bestD[at - 1];
                        best[at] = best[at - 1];
                        at--;
                    }
                    bestD[at] = d;
                    best[at] = p;
                }
            }
            int[] found = java.util.Arrays.stream(best).filter(i -> i >= 0).toArray();
            FxThread.EXECUTOR.execute(() -> { if (encoded == e) done.accept(found); });
        });
    }

    /** Writes index, label, class, latent means and the 2-D coordinates of every plotted point (atomically). */
    public void exportCsv(Path file) throws IOException {
        if (encoded == null) throw new IllegalStateException("nothing encoded yet");
        AtomicFiles.write(file, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                int z = encoded.latentSize();
                StringBuilder h = new StringBuilder("index,label,class");
                for (int j = 0; j < z; j++) h.append(",z").append(j);
                h.append(",x,y\n");
                w.write(h.toString());
                float[] xy = projection == null ? null : projection.xy();
                for (int p = 0; p < pointRows.length; p++) {
                    int row = pointRows[p];
                    StringBuilder s = new StringBuilder();
                    s.append(encoded.indices()[row]).append(',').append(pointLabels[p]).append(',').append(csv(className(p)));
                    for (float v : encoded.mu()[row]) s.append(',').append(v);
                    s.append(',').append(xy == null ? "" : Float.toString(xy[2 * p]));
                    s.append(',').append(xy == null ? "" : Float.toString(xy[2 * p + 1])).append('\n');
                    w.write(s.toString());
                }
            }
        });
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
