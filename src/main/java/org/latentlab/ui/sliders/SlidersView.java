package org.latentlab.ui.sliders;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.embed.swing.SwingFXUtils;
import javafx.fxml.FXML;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Polygon;
import javafx.stage.FileChooser;
import org.latentlab.app.AppModel;
import org.latentlab.data.ImageSet;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.render.ImageGrid;
import org.latentlab.ui.render.LiveSampleViews;
import org.latentlab.ui.render.Pixels;
import org.latentlab.ui.render.SampleImages;

/**
 * The Sliders pane: one slider per latent dimension (most active first, by per-dimension KL),
 * the decoded image following the sliders while dragging, traversal and manifold grids.
 */
public class SlidersView implements PaneView {
    /** More sliders than this are not shown (a 2048-D latent has mostly inactive dimensions). */
    static final int MAX_SLIDERS = 64;
    static final double RANGE = 3;

    @FXML private BorderPane root;
    @FXML private ComboBox<String> classChoice;
    @FXML private Label classLabel;
    @FXML private Label infoLabel;
    @FXML private VBox sliderBox;
    @FXML private HBox decodedBox;
    @FXML private HBox baseBox;
    @FXML private Spinner<Integer> stepsSpinner;
    @FXML private Button manifoldButton;
    @FXML private ImageView gridImage;
    @FXML private VBox gridRowLabels;

    private SlidersViewModel viewModel;
    private final List<Slider> sliders = new ArrayList<>();
    private final LiveSampleViews decoded = new LiveSampleViews();
    private final ReadOnlyLongWrapper decodedShown = new ReadOnlyLongWrapper();
    private boolean updating;

    public static SlidersView create(AppModel app) {
        SlidersView v = FxmlViews.load(SlidersView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        viewModel = new SlidersViewModel(app);
        viewModel.setOnDecoded(this::showDecoded);
        viewModel.setOnLayout(this::rebuild);
        classChoice.setOnAction(e -> {
            if (!updating && classChoice.getSelectionModel().getSelectedIndex() >= 0) {
                viewModel.setLabel(classChoice.getSelectionModel().getSelectedIndex());
            }
        });
    }

    public SlidersViewModel viewModel() { return viewModel; }
    public List<Slider> sliders() { return List.copyOf(sliders); }

    @Override public String title() { return "Sliders"; }
    @Override public Node view() { return root; }

    /** Rebuilds the sliders for the current model and base vector (FX thread). */
    private void rebuild() {
        updating = true;
        sliders.clear();
        sliderBox.getChildren().clear();
        var m = viewModel.model();
        if (m == null) {
            infoLabel.setText("Load or train a model whose input matches the dataset.");
            updating = false;
            return;
        }
        int[] order = viewModel.dimensionOrder();
        double[] kl = viewModel.perDimensionKl();
        float[] base = viewModel.base();
        int shown = Math.min(order.length, MAX_SLIDERS);
        for (int k = 0; k < shown; k++) {
            int dim = order[k];
            sliderBox.getChildren().add(row(dim, kl == null ? Double.NaN : kl[dim], base[dim]));
        }
        infoLabel.setText(m.name() + ": " + order.length + "-D latent"
                + (order.length > shown ? ", showing the " + shown + " most active" : "")
                + (viewModel.selectionText().isEmpty() ? "" : " · base: " + viewModel.selectionText()));
        boolean conditional = m.spec().conditional();
        classLabel.setVisible(conditional);
        classChoice.setVisible(conditional);
        classChoice.getItems().setAll(viewModel.classNames());
        if (conditional && viewModel.label() >= 0 && viewModel.label() < classChoice.getItems().size()) {
            classChoice.getSelectionModel().select(viewModel.label());
        }
        manifoldButton.setDisable(order.length != 2);
        showBase();
        updating = false;
        viewModel.decodeCurrent();
    }

    private Node row(int dim, double kl, float baseValue) {
        Slider s = new Slider(-RANGE, RANGE, clamp(viewModel.current()[dim]));
        s.setPrefWidth(250);
        s.setId("latent-slider-" + dim);
        Label name = new Label(String.format("z%-3d", dim));
        name.setMinWidth(44);
        Label klLabel = new Label(Double.isNaN(kl) ? "" : String.format("KL %.2f", kl));
        klLabel.setMinWidth(70);
        klLabel.getStyleClass().add("pane-hint");
        Label value = new Label(String.format("%+.2f", s.getValue()));
        value.setMinWidth(52);
        value.getStyleClass().add("metric-value");
        s.valueProperty().addListener((o, was, v) -> {
            value.setText(String.format("%+.2f", v.doubleValue()));
            if (!updating) viewModel.setValue(dim, v.floatValue());
        });
        // the base vector's value, marked under the track
        Polygon marker = new Polygon(0, 0, -5, 8, 5, 8);
        marker.getStyleClass().add("base-marker");
        marker.setStyle("-fx-fill: #D55E00;");
        Pane markerLayer = new Pane(marker);
        markerLayer.setMouseTransparent(true);
        markerLayer.setPrefHeight(8);
        markerLayer.widthProperty().addListener((o, was, w) -> placeMarker(marker, w.doubleValue(), baseValue));
        placeMarker(marker, markerLayer.getWidth(), baseValue);
        VBox sliderWithMarker = new VBox(0, s, markerLayer);
        sliders.add(s);
        HBox row = new HBox(6, name, sliderWithMarker, value, klLabel);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private static void placeMarker(Polygon marker, double width, float baseValue) {
        double inset = 8; // the slider thumb's half width: the track starts this far in
        double f = (clamp(baseValue) + RANGE) / (2 * RANGE);
        marker.setLayoutX(inset + f * Math.max(0, width - 2 * inset));
    }

    private static double clamp(double v) {
        return Math.max(-RANGE, Math.min(RANGE, v));
    }

    /** Moves every slider to the view model's current vector without decoding once per slider. */
    private void syncSliders() {
        updating = true;
        int[] order = viewModel.dimensionOrder();
        for (int k = 0; k < sliders.size(); k++) sliders.get(k).setValue(clamp(viewModel.current()[order[k]]));
        updating = false;
        viewModel.decodeCurrent();
    }

    private void showDecoded(float[] image) {
        ImageSet like = viewModel.imageShape();
        if (like == null) {
            // between two encodings (a model or dataset change): the next image makes its views anew
            decodedBox.getChildren().clear();
            decoded.reset();
            return;
        }
        if (decoded.draw(image, like, viewModel.depthRange(), scaleFor(like, 280))) decodedBox.getChildren().setAll(decoded.nodes());
        decodedShown.set(decodedShown.get() + 1);
    }

    private void showBase() {
        float[] img = viewModel.baseImage();
        baseBox.getChildren().setAll(img == null ? List.of(new Label("(none: select a point on the map)")) : images(img, 140));
    }

    private List<Node> images(float[] sample, int targetSize) {
        ImageSet like = viewModel.imageShape();
        if (like == null) return List.of();
        return SampleImages.views(sample, like, viewModel.depthRange(), scaleFor(like, targetSize));
    }

    private static int scaleFor(ImageSet like, int targetSize) {
        return Math.max(1, targetSize / Math.max(like.height(), like.width()));
    }

    /** The decoded image view (for tests and export). */
    public HBox decodedBox() { return decodedBox; }

    /** How many decoded images have been drawn (each redraws the views in decodedBox in place; for the GUI bench). */
    public ReadOnlyLongProperty decodedShown() { return decodedShown.getReadOnlyProperty(); }

    @FXML private void resetToSelection() {
        viewModel.resetToBase();
        syncSliders();
    }

    @FXML private void resetToZero() {
        viewModel.resetToZero();
        syncSliders();
    }

    @FXML private void traversalGrid() {
        int steps = stepsSpinner.getValue();
        viewModel.traversal(Math.min(10, sliders.size()), steps, this::showGrid);
    }

    @FXML private void manifoldGrid() {
        viewModel.manifold(15, this::showGrid);
    }

    private void showGrid(SlidersViewModel.Grid g) {
        ImageSet like = viewModel.imageShape();
        float[] r = viewModel.depthRange();
        int scale = Math.max(1, 900 / (g.cols() * like.width() * (like.channels().hasDepth() ? 2 : 1)));
        WritableImage img = ImageGrid.compose(g.images(), g.rows(), g.cols(), like.channels(), like.height(), like.width(), r[0], r[1], scale);
        gridImage.setImage(img);
        infoLabel.setText(g.caption());
        // one label beside each row, at the row's height in the magnified sheet
        gridRowLabels.getChildren().clear();
        gridRowLabels.setPadding(new Insets(Pixels.GRID_GAP * scale, 0, 0, 0));
        gridRowLabels.setSpacing(Pixels.GRID_GAP * scale);
        for (String text : g.rowLabels()) {
            Label l = new Label(text);
            l.getStyleClass().add("pane-hint");
            l.setMinHeight(like.height() * scale);
            l.setMaxHeight(like.height() * scale);
            gridRowLabels.getChildren().add(l);
        }
    }

    @FXML private void exportGrid() {
        if (gridImage.getImage() == null) return;
        FileChooser fc = new FileChooser();
        fc.setInitialFileName("latent-grid.png");
        var f = fc.showSaveDialog(root.getScene().getWindow());
        if (f == null) return;
        try {
            Snapshots.writePng(SwingFXUtils.fromFXImage(gridImage.getImage(), null), f.toPath());
            infoLabel.setText("Exported " + f);
        } catch (IOException e) {
            infoLabel.setText("Export failed: " + f + ": " + e.getMessage());
        }
    }

}
