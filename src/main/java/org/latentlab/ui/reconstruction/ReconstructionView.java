package org.latentlab.ui.reconstruction;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import org.latentlab.app.AppModel;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.train.ModelHandle;
import org.latentlab.ui.FxThread;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.render.DepthScale;
import org.latentlab.ui.render.Pixels;
import org.latentlab.ui.render.SampleImages;

/**
 * Originals beside their reconstructions by one or several models on the same inputs. RGB-D
 * shows colour and depth on one shared depth scale, and optionally the per-pixel error.
 */
public class ReconstructionView implements PaneView {
    @FXML private BorderPane root;
    @FXML private Spinner<Integer> countSpinner;
    @FXML private CheckBox errorToggle;
    @FXML private Label statusLabel;
    @FXML private FlowPane modelChecks;
    @FXML private HBox legendRow;
    @FXML private ImageView depthLegend;
    @FXML private Label depthMinLabel;
    @FXML private Label depthMaxLabel;
    @FXML private GridPane grid;

    private AppModel app;
    private final Map<Long, Boolean> chosen = new LinkedHashMap<>();
    private int[] indices = new int[0];
    private long seed = 1;
    private int refreshToken;

    public static ReconstructionView create(AppModel app) {
        ReconstructionView v = FxmlViews.load(ReconstructionView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        this.app = app;
        depthLegend.setImage(SampleImages.depthLegend(200, 12));
        app.loadedModels().addListener((javafx.collections.ListChangeListener<ModelHandle>) c -> refresh());
        app.modelProperty().addListener((o, was, m) -> {
            if (m != null) chosen.put(m.id(), true);
            refresh();
        });
        app.datasetProperty().addListener((o, was, d) -> {
            indices = new int[0];
            refresh();
        });
        countSpinner.valueProperty().addListener((o, was, v) -> {
            indices = new int[0];
            refresh();
        });
        errorToggle.selectedProperty().addListener((o, was, v) -> refresh());
    }

    @Override public String title() { return "Reconstruction"; }
    @Override public Node view() { return root; }
    @Override public void shown() { refresh(); }

    public GridPane grid() { return grid; }

    @FXML private void shuffle() {
        seed++;
        indices = new int[0];
        refresh();
    }

    @FXML private void addModel() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Add a model to compare");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Latent Lab model", "*.zip"));
        var f = fc.showOpenDialog(root.getScene().getWindow());
        if (f != null) addModel(f.toPath());
    }

    /**
     * Loads a model file (on the model service) and adds it to the comparison, checked; a bad file's
     * message goes to the status line. The future completes on the FX thread once it is in (or not).
     */
    public CompletableFuture<Void> addModel(Path file) {
        statusLabel.setText("Loading " + file + " …");
        CompletableFuture<Void> done = new CompletableFuture<>();
        app.service().load(file).whenComplete((h, err) -> FxThread.EXECUTOR.execute(() -> {
            try {
                if (err != null) {
                    statusLabel.setText(err.getCause() != null ? err.getCause().getMessage() : err.getMessage());
                } else {
                    chosen.put(h.id(), true);
                    app.loadedModels().add(h);
                    statusLabel.setText("Added " + h.name());
                }
            } finally {
                done.complete(null);
            }
        }));
        return done;
    }

    /** Rebuilds the comparison for the chosen models (FX thread; decoding on the model service). */
    public void refresh() {
        Dataset d = app.dataset();
        grid.getChildren().clear();
        modelChecks.getChildren().clear();
        if (d == null) return;
        ImageSet set = app.explorationSet(d);
        boolean depth = set.channels().hasDepth();
        legendRow.setVisible(depth);
        legendRow.setManaged(depth);
        float[] range = DepthScale.of(set);
        depthMinLabel.setText(String.format("%.2f m", range[0]));
        depthMaxLabel.setText(String.format("%.2f m", range[1]));
        int count = Math.min(countSpinner.getValue(), set.size());
        if (indices.length != count) indices = pick(set.size(), count, seed);

        List<ModelHandle> models = new ArrayList<>();
        for (ModelHandle m : app.loadedModels()) {
            boolean fits = AppModel.compatible(m, d);
            CheckBox box = new CheckBox(m.name() + (fits ? "" : " (other input shape)"));
            box.setDisable(!fits);
            box.setSelected(fits && chosen.getOrDefault(m.id(), m.equals(app.model())));
            box.selectedProperty().addListener((o, was, on) -> {
                chosen.put(m.id(), on);
                refresh();
            });
            modelChecks.getChildren().add(box);
            if (box.isSelected()) models.add(m);
        }
        int scale = Math.max(1, 84 / Math.max(set.height(), set.width()));
        grid.add(new Label("original"), 0, 0);
        for (int c = 0; c < count; c++) {
            grid.add(panels(set.sample(indices[c]), null, set, range, scale), c + 1, 0);
        }
        int token = ++refreshToken;
        for (int r = 0; r < models.size(); r++) {
            ModelHandle m = models.get(r);
            int row = r + 1;
            Label name = new Label(m.name() + describe(m));
            name.setWrapText(true);
            name.setMaxWidth(150);
            grid.add(name, 0, row);
            app.service().reconstruct(m, set, indices).thenAccept(recons -> FxThread.EXECUTOR.execute(() -> {
                if (token != refreshToken) return;
                for (int c = 0; c < recons.length; c++) {
                    grid.add(panels(recons[c], set.sample(indices[c]), set, range, scale), c + 1, row);
                }
            })).exceptionally(t -> {
                FxThread.EXECUTOR.execute(() -> statusLabel.setText(m.name() + ": " + t.getMessage()));
                return null;
            });
        }
        statusLabel.setText(models.isEmpty() ? "No model for this input shape: train one or add one from a file." : "");
    }

    private static String describe(ModelHandle m) {
        var t = m.card().test();
        return t == null ? "" : String.format("%ntest loss %.2f", t.total());
    }

    /** Colour (and depth) panels of one image; with the original given, also the error view. */
    private Node panels(float[] sample, float[] original, ImageSet set, float[] range, int scale) {
        int h = set.height(), w = set.width();
        HBox box = new HBox(2);
        box.getChildren().addAll(SampleImages.views(sample, set, range, scale));
        if (original != null && errorToggle.isSelected()) {
            int plane = h * w;
            int[] err = set.channels().hasDepth()
                    ? Pixels.error(original, sample, 3 * plane, plane, Math.max(0.1f, (range[1] - range[0]) / 4))
                    : Pixels.error(original, sample, 0, plane, 0.5f);
            box.getChildren().add(new ImageView(SampleImages.magnify(err, h, w, scale)));
        }
        return new VBox(box);
    }

    private static int[] pick(int n, int count, long seed) {
        if (seed == 1) {
            int[] first = new int[count];
            for (int i = 0; i < count; i++) first[i] = i;
            return first;
        }
        return new Random(seed).ints(0, n).distinct().limit(count).toArray();
    }
}
