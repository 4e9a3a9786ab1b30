package org.latentlab.ui.sliders;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.latentlab.app.AppModel;
import org.latentlab.app.AppModel.EncodedSet;
import org.latentlab.data.ImageSet;
import org.latentlab.train.ModelHandle;
import org.latentlab.ui.render.DepthScale;

/**
 * State of the Sliders pane: the base vector (the selected sample's latent mean, or the first
 * encoded sample), the current vector the sliders edit, and the dimension order by per-dimension
 * KL. Decodes go to the model service as latest-wins requests, so dragging never queues work.
 */
public class SlidersViewModel {
    /** A grid of decoded images with a caption and one label per row (which dimension, or which value). */
    public record Grid(int rows, int cols, List<float[]> images, String caption, List<String> rowLabels) {}

    private final AppModel app;
    private EncodedSet encoded;
    private float[] base = new float[0];
    private float[] current = new float[0];
    private float[] baseImage;
    private int baseRow = -1;
    private int[] order = new int[0];
    private double[] kl;
    private int label;
    private Consumer<float[]> onDecoded = f -> {};
    private Runnable onLayout = () -> {};
    private float[] depthRange = {0, 1};
    private long decodesRequested;

    public SlidersViewModel(AppModel app) {
        this.app = app;
        app.encodedProperty().addListener((o, was, e) -> encodedChanged(e));
        app.selectionProperty().addListener((o, was, s) -> {
            if (s != null && encoded != null) setBase(s.row());
        });
        encodedChanged(app.encoded());
    }

    public void setOnDecoded(Consumer<float[]> c) { onDecoded = c; }
    public void setOnLayout(Runnable r) { onLayout = r; }

    public ModelHandle model() { return encoded == null ? null : encoded.model(); }
    public int[] dimensionOrder() { return order; }
    public double[] perDimensionKl() { return kl; }
    public float[] base() { return base; }
    public float[] current() { return current; }
    public float[] baseImage() { return baseImage; }
    public int label() { return label; }
    public ImageSet imageShape() { return encoded == null ? null : encoded.set(); }
    public float[] depthRange() { return depthRange; }
    public long decodesRequested() { return decodesRequested; }

    public List<String> classNames() {
        return encoded == null ? List.of() : encoded.set().classNames();
    }

    public String selectionText() {
        if (encoded == null || baseRow < 0) return "";
        int l = encoded.label(baseRow);
        String cls = l >= 0 && l < encoded.set().classCount() ? encoded.set().classNames().get(l) : "?";
        return "image #" + encoded.indices()[baseRow] + " (" + cls + ")";
    }

    private void encodedChanged(EncodedSet e) {
        encoded = e;
        kl = null;
        if (e == null) {
            order = new int[0];
            base = current = new float[0];
            baseImage = null;
            baseRow = -1;
            onLayout.run();
            return;
        }
        int z = e.latentSize();
        order = new int[z];
        for (int i = 0; i < z; i++) order[i] = i;
        depthRange = DepthScale.of(e.set());
        setBase(app.selection() != null ? app.selection().row() : 0);
        ImageSet set = e.set();
        app.service().perDimensionKl(e.model(), set, 2000).thenAccept(values -> {
            if (encoded != e) return;
            kl = values;
            order = byDescending(values);
            onLayout.run();
        }).exceptionally(t -> null); // a plain autoencoder has no KL: keep the natural order
    }

    static int[] byDescending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Double.compare(v[b], v[a]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    private void setBase(int row) {
        if (encoded == null || encoded.size() == 0) return;
        baseRow = Math.max(0, Math.min(encoded.size() - 1, row));
        base = encoded.mu()[baseRow].clone();
        current = base.clone();
        baseImage = encoded.set().sample(encoded.indices()[baseRow]);
        label = Math.max(0, encoded.label(baseRow));
        onLayout.run();
    }

    public void setValue(int dim, float v) {
        current[dim] = v;
        decodeCurrent();
    }

    public void setLabel(int l) {
        label = l;
        decodeCurrent();
    }

    public void resetToBase() { current = base.clone(); }

    public void resetToZero() { current = new float[current.length]; }

    /** Sends the current vector to the model service; stale requests are dropped there. */
    public void decodeCurrent() {
        if (encoded == null || current.length == 0) return;
        decodesRequested++;
        app.service().decodeLatest(encoded.model(), current.clone(), label, onDecoded);
    }

    /** Each of the first {@code dims} dimensions (in KL order) swept over ±3 in {@code steps} values. */
    public void traversal(int dims, int steps, Consumer<Grid> done) {
        if (encoded == null || dims == 0) return;
        List<float[]> zs = new ArrayList<>();
        List<String> rowLabels = new ArrayList<>();
        for (int k = 0; k < dims; k++) {
            for (int s = 0; s < steps; s++) {
                float[] z = current.clone();
                z[order[k]] = (float) (-SlidersView.RANGE + 2 * SlidersView.RANGE * s / (steps - 1));
                zs.add(z);
            }
            rowLabels.add("z" + order[k] + (kl == null ? "" : String.format(Locale.ROOT, "\nKL %.2f", kl[order[k]])));
        }
        decodeGrid(zs, dims, steps, "Traversal: rows = the " + dims + " most active dimensions, columns = values from −3 to +3 (others fixed)",
                rowLabels, done);
    }

    /** For 2-D latents: the decoder's output over a grid of the latent plane. */
    public void manifold(int n, Consumer<Grid> done) {
        if (encoded == null || current.length != 2) return;
        List<float[]> zs = new ArrayList<>();
        List<String> rowLabels = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            float y = (float) (SlidersView.RANGE - 2 * SlidersView.RANGE * r / (n - 1));
            for (int c = 0; c < n; c++) {
                float x = (float) (-SlidersView.RANGE + 2 * SlidersView.RANGE * c / (n - 1));
                zs.add(new float[] {x, y});
            }
            rowLabels.add(String.format(Locale.ROOT, "z1 %+.1f", y));
        }
        decodeGrid(zs, n, n, "2-D manifold: z0 from −3 (left) to +3 (right), z1 from +3 (top) to −3 (bottom)", rowLabels, done);
    }

    private void decodeGrid(List<float[]> zs, int rows, int cols, String caption, List<String> rowLabels, Consumer<Grid> done) {
        int[] labels = new int[zs.size()];
        Arrays.fill(labels, label);
        app.service().decode(encoded.model(), zs.toArray(new float[0][]), labels)
                .thenAccept(images -> done.accept(new Grid(rows, cols, Arrays.asList(images), caption, List.copyOf(rowLabels))));
    }
}
