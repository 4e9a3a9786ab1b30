package org.latentlab.ui.map;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.stage.FileChooser;
import org.latentlab.app.AppModel;
import org.latentlab.data.ImageSet;
import org.latentlab.latent.ProjectionMethod;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.render.ClassPalette;
import org.latentlab.ui.render.DepthScale;
import org.latentlab.ui.render.SampleImages;

/**
 * The Latent map pane: the encoded set projected to 2-D (raw, PCA, t-SNE, UMAP), coloured by
 * class; hover shows the image and its reconstruction, click selects the sliders' base vector.
 */
public class LatentMapView implements PaneView {
    @FXML private BorderPane root;
    @FXML private ComboBox<ProjectionMethod> methodChoice;
    @FXML private Spinner<Integer> capSpinner;
    @FXML private Button runButton;
    @FXML private Button cancelProjectionButton;
    @FXML private ProgressBar progress;
    @FXML private Label statusLabel;
    @FXML private StackPane plotHolder;
    @FXML private VBox legendBox;
    @FXML private HBox hoverBox;
    @FXML private Label hoverLabel;
    @FXML private HBox selectionBox;
    @FXML private FlowPane neighbourBox;

    private final ScatterPlot plot = new ScatterPlot();
    private LatentMapViewModel viewModel;
    private int hoverToken, selectionToken;

    public static LatentMapView create(AppModel app) {
        LatentMapView v = FxmlViews.load(LatentMapView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        viewModel = new LatentMapViewModel(app);
        plotHolder.getChildren().add(plot);
        plot.setId("latent-scatter");
        methodChoice.getItems().setAll(ProjectionMethod.values());
        methodChoice.setValue(ProjectionMethod.PCA);
        viewModel.setListener(new LatentMapViewModel.Listener() {
            @Override public void layout(float[] xy, int[] labels, boolean fit) { plot.setPoints(xy, labels, fit); }
            @Override public void progress(double fraction, String message) {
                progress.setProgress(fraction);
                statusLabel.setText(message);
            }
            @Override public void running(boolean running) {
                runButton.setDisable(running);
                cancelProjectionButton.setDisable(!running);
                if (!running) progress.setProgress(0);
            }
            @Override public void classes(List<String> names) { buildLegend(names); }
            @Override public void defaultMethod(ProjectionMethod m) { methodChoice.setValue(m); }
            @Override public void laidOut() { showSelection(); } // the selection's point has a new place
        });
        plot.setOnHover(this::hover);
        // a click makes the point the app's selection; whatever selects (a click, a new encoding),
        // the map marks it and lists its neighbours
        plot.setOnSelect(viewModel::select);
        app.selectionProperty().addListener((o, was, s) -> showSelection());
    }

    public ScatterPlot plot() { return plot; }
    public LatentMapViewModel viewModel() { return viewModel; }

    @Override public String title() { return "Latent map"; }
    @Override public Node view() { return root; }

    @FXML private void run() {
        viewModel.project(methodChoice.getValue(), capSpinner.getValue());
    }

    @FXML private void cancel() { viewModel.cancel(); }

    @FXML private void resetView() { plot.fitView(); }

    /** The save dialog of "Export latents as CSV". */
    public void exportCsvDialog() { exportCsv(); }

    @FXML private void exportCsv() {
        FileChooser fc = new FileChooser();
        fc.setInitialFileName("latents.csv");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        var f = fc.showSaveDialog(root.getScene().getWindow());
        if (f == null) return;
        try {
            viewModel.exportCsv(f.toPath());
            statusLabel.setText("Exported " + f);
        } catch (IOException | RuntimeException e) {
            statusLabel.setText("Export failed: " + f + ": " + e.getMessage());
        }
    }

    private void buildLegend(List<String> names) {
        legendBox.getChildren().clear();
        for (int c = 0; c < names.size(); c++) {
            int cls = c;
            ToggleButton t = new ToggleButton(names.get(c));
            t.setGraphic(new Rectangle(12, 12, ClassPalette.fx(c)));
            t.setSelected(true);
            t.setMaxWidth(Double.MAX_VALUE);
            t.setAlignment(Pos.CENTER_LEFT);
            t.selectedProperty().addListener((o, was, on) -> plot.setClassHidden(cls, !on));
            legendBox.getChildren().add(t);
        }
    }

    private void hover(int point) {
        int token = ++hoverToken;
        if (point < 0) {
            hoverLabel.setText("");
            return;
        }
        ImageSet set = viewModel.set();
        int image = viewModel.imageIndex(point);
        hoverBox.getChildren().setAll(thumbs(set.sample(image), 96));
        hoverLabel.setText("#" + image + "  " + viewModel.className(point));
        viewModel.reconstruct(point, recon -> {
            if (token != hoverToken) return; // the pointer has moved on
            List<Node> both = new ArrayList<>(thumbs(set.sample(image), 96));
            both.addAll(thumbs(recon, 96));
            hoverBox.getChildren().setAll(both);
        });
    }

    /** Marks the app's selection on the map with its image and its nearest neighbours (none: clears them). */
    private void showSelection() {
        int point = viewModel.selectedPoint();
        int token = ++selectionToken;
        plot.select(point);
        plot.setHighlighted(new int[0]);
        selectionBox.getChildren().clear();
        neighbourBox.getChildren().clear();
        if (point < 0) return;
        ImageSet set = viewModel.set();
        selectionBox.getChildren().setAll(thumbs(set.sample(viewModel.imageIndex(point)), 96));
        selectionBox.getChildren().add(new Label(viewModel.className(point)));
        viewModel.neighbours(point, 12, rows -> {
            if (token != selectionToken) return; // selected elsewhere meanwhile
            plot.setHighlighted(rows);
            neighbourBox.getChildren().clear();
            for (int r : rows) neighbourBox.getChildren().addAll(thumbs(set.sample(viewModel.imageIndex(r)), 40));
        });
    }

    private List<Node> thumbs(float[] sample, int size) {
        ImageSet set = viewModel.set();
        int scale = Math.max(1, size / Math.max(set.height(), set.width()));
        return SampleImages.views(sample, set, set.channels().hasDepth() ? DepthScale.of(set) : null, scale);
    }
}
