package org.latentlab.ui.generate;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import org.latentlab.app.AppModel;
import org.latentlab.app.AppModel.EncodedSet;
import org.latentlab.latent.Interpolation;
import org.latentlab.ui.FxThread;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.render.DepthScale;
import org.latentlab.ui.render.ImageGrid;

/** The Generate pane: samples from the prior (per class for conditional models) and interpolation strips. */
public class GenerateView implements PaneView {
    private static final int GRID = 8;

    @FXML private BorderPane root;
    @FXML private Label statusLabel;
    @FXML private Label classLabel;
    @FXML private ComboBox<String> classChoice;
    @FXML private ImageView samplesImage;
    @FXML private ChoiceBox<Interpolation.Mode> modeChoice;
    @FXML private Spinner<Integer> stepsSpinner;
    @FXML private Label pairLabel;
    @FXML private ImageView interpolationImage;

    private AppModel app;
    private long seed = 7;
    private int rowA = -1, rowB = -1;

    public static GenerateView create(AppModel app) {
        GenerateView v = FxmlViews.load(GenerateView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        this.app = app;
        modeChoice.getItems().setAll(Interpolation.Mode.values());
        modeChoice.setValue(Interpolation.Mode.SPHERICAL);
        modeChoice.setOnAction(e -> interpolate());
        stepsSpinner.valueProperty().addListener((o, was, v) -> interpolate());
        classChoice.setOnAction(e -> samples());
        app.encodedProperty().addListener((o, was, e) -> encodedChanged(e));
        encodedChanged(app.encoded());
    }

    @Override public String title() { return "Generate"; }
    @Override public Node view() { return root; }

    public ImageView samplesImage() { return samplesImage; }
    public ImageView interpolationImage() { return interpolationImage; }

    private void encodedChanged(EncodedSet e) {
        samplesImage.setImage(null);
        interpolationImage.setImage(null);
        if (e == null) {
            statusLabel.setText("Load or train a model whose input matches the dataset.");
            return;
        }
        boolean conditional = e.model().spec().conditional();
        classLabel.setVisible(conditional);
        classChoice.setVisible(conditional);
        if (conditional) {
            classChoice.getItems().setAll(e.set().classNames());
            classChoice.getItems().add(0, "one row per class");
            classChoice.getSelectionModel().select(0);
        }
        statusLabel.setText(e.model().name() + " · " + e.latentSize() + "-D latent");
        rowA = 0;
        rowB = Math.min(e.size() - 1, 1);
        samples();
        interpolate();
    }

    @FXML private void newSamples() {
        seed++;
        samples();
    }

    private void samples() {
        EncodedSet e = app.encoded();
        if (e == null) return;
        boolean conditional = e.model().spec().conditional();
        int chosen = classChoice.getSelectionModel().getSelectedIndex();
        int z = e.latentSize();
        int rows = GRID, cols = GRID;
        int[] labels = new int[rows * cols];
        if (conditional && chosen <= 0) {
            rows = e.set().classCount();
            labels = new int[rows * cols];
            for (int i = 0; i < labels.length; i++) labels[i] = i / cols;
        } else if (conditional) {
            Arrays.fill(labels, chosen - 1);
        }
        Random rnd = new Random(seed);
        float[][] zs = new float[labels.length][z];
        for (float[] v : zs) for (int j = 0; j < z; j++) v[j] = (float) rnd.nextGaussian();
        int r = rows;
        app.service().decode(e.model(), zs, labels).thenAccept(images -> FxThread.EXECUTOR.execute(() ->
                samplesImage.setImage(compose(e, Arrays.asList(images), r, cols, 420, 480))));
    }

    @FXML private void useSelectionAsA() {
        if (app.selection() != null) rowA = app.selection().row();
        interpolate();
    }

    @FXML private void useSelectionAsB() {
        if (app.selection() != null) rowB = app.selection().row();
        interpolate();
    }

    @FXML private void randomPair() {
        EncodedSet e = app.encoded();
        if (e == null) return;
        Random rnd = new Random(++seed);
        rowA = rnd.nextInt(e.size());
        rowB = rnd.nextInt(e.size());
        interpolate();
    }

    private void interpolate() {
        EncodedSet e = app.encoded();
        if (e == null || rowA < 0 || rowB < 0) return;
        float[] a = e.mu()[rowA], b = e.mu()[rowB];
        int steps = stepsSpinner.getValue();
        float[][] zs = Interpolation.path(a, b, steps, modeChoice.getValue());
        int[] labels = new int[steps];
        for (int i = 0; i < steps; i++) labels[i] = i < steps / 2 ? Math.max(0, e.label(rowA)) : Math.max(0, e.label(rowB));
        pairLabel.setText("A = image #" + e.indices()[rowA] + ", B = image #" + e.indices()[rowB]);
        app.service().decode(e.model(), zs, labels).thenAccept(images -> FxThread.EXECUTOR.execute(() ->
                interpolationImage.setImage(compose(e, Arrays.asList(images), 1, steps, 900, 200))));
    }

    /**
     * A grid at the whole scale nearest to the target width (8 MNIST digits for 420 px: 2×), at most
     * a quarter wider than it, that stays within maxHeight (ten class rows: 1×, so the interpolation
     * strip stays in view); never below 1×.
     */
    private static javafx.scene.image.WritableImage compose(EncodedSet e, List<float[]> images, int rows, int cols,
                                                            int width, int maxHeight) {
        var set = e.set();
        float[] range = DepthScale.of(set);
        int cellW = set.width() * (set.channels().hasDepth() ? 2 : 1);
        long byWidth = Math.round(width / (double) (cols * cellW));
        if (byWidth > 1 && byWidth * cols * cellW > 1.25 * width) byWidth--; // 20 digits for 900 px: 1×, not 2×
        long byHeight = maxHeight / ((long) rows * set.height());
        int scale = (int) Math.max(1, Math.min(byWidth, byHeight));
        return ImageGrid.compose(images, rows, cols, set.channels(), set.height(), set.width(), range[0], range[1], scale);
    }
}
