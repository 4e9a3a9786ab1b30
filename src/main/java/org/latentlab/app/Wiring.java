package org.latentlab.app;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.stage.FileChooser;
import org.latentlab.train.ModelHandle;
import org.latentlab.ui.FxThread;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.dataset.DatasetView;
import org.latentlab.ui.generate.GenerateView;
import org.latentlab.ui.map.LatentMapView;
import org.latentlab.ui.reconstruction.ReconstructionView;
import org.latentlab.ui.shell.MainWindowView;
import org.latentlab.ui.sliders.SlidersView;
import org.latentlab.ui.training.TrainingView;

/** Creates the panes, connects them to the app model and the menu. The one place that knows them all. */
public final class Wiring {
    private final MainWindowView window;
    private final AppModel model;
    private final DatasetView datasetView;
    private final TrainingView trainingView;
    private final LatentMapView mapView;
    private final SlidersView slidersView;
    private final ReconstructionView reconstructionView;
    private final GenerateView generateView;
    private int modelLoads;

    /** The panes in tab order; each is built from the app model alone. */
    private static final List<Function<AppModel, PaneView>> PANES = List.of(
            DatasetView::create, TrainingView::create, LatentMapView::create,
            SlidersView::create, ReconstructionView::create, GenerateView::create);

    private Wiring(MainWindowView window, AppModel model, List<PaneView> panes) {
        this.window = window;
        this.model = model;
        model.setTaskTracker(window::track);
        datasetView = (DatasetView) panes.get(0);
        trainingView = (TrainingView) panes.get(1);
        mapView = (LatentMapView) panes.get(2);
        slidersView = (SlidersView) panes.get(3);
        reconstructionView = (ReconstructionView) panes.get(4);
        generateView = (GenerateView) panes.get(5);
        panes.forEach(window::addPane);
        model.datasetProperty().addListener((o, was, d) -> updateContext());
        model.modelProperty().addListener((o, was, m) -> updateContext());
        window.exploreTrainingItem().selectedProperty().bindBidirectional(model.exploreTrainingProperty());
        model.exploreTrainingProperty().addListener((o, was, on) -> updateContext());
        datasetView.viewModel().errorProperty().addListener((o, was, msg) -> {
            if (msg != null && !msg.isEmpty()) window.error(msg);
        });
        window.setActions(new MainWindowView.Actions() {
            @Override public void openDataset() { window.select(datasetView); datasetView.openFolderDialog(); }
            @Override public void openModel() { openModelDialog(); }
            @Override public void saveModel() { saveModelDialog(); }
            @Override public void exportPng() { ExportActions.exportPng(window); }
            @Override public void exportCsv() {
                window.select(mapView);
                mapView.exportCsvDialog();
            }
            @Override public void preferences() { window.setLectureMode(!window.lectureMode()); }
        });
    }

    /** Builds every pane at once (FX thread); used by the GUI tests. */
    public static Wiring install(MainWindowView window, AppModel model) {
        return new Wiring(window, model, PANES.stream().map(f -> f.apply(model)).toList());
    }

    /**
     * Builds the panes one per FX event after the window is up, so the shown window repaints and
     * takes input between them, then wires them and hands the wiring to {@code whenDone}.
     */
    public static void installInSteps(MainWindowView window, AppModel model, Consumer<Wiring> whenDone) {
        List<PaneView> built = new ArrayList<>();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            PaneView pane = PANES.get(built.size()).apply(model);
            built.add(pane);
            window.status("Building the " + pane.title() + " pane …");
            if (built.size() < PANES.size()) Platform.runLater(next[0]);
            else {
                window.status("Ready");
                whenDone.accept(new Wiring(window, model, built));
            }
        };
        Platform.runLater(next[0]);
    }

    private void updateContext() {
        var d = model.dataset();
        ModelHandle m = model.model();
        String ds = d == null ? "no dataset" : "dataset: " + d.name() + " (" + d.train().size() + " train / " + d.test().size() + " test"
                + ", exploring " + (model.explorationSet(d) == d.train() ? "train" : "test") + ")";
        String md = m == null ? "no model" : "model: " + m.name() + (AppModel.compatible(m, d) ? "" : " (input shape differs from the dataset)");
        window.context(ds + "  ·  " + md);
    }

    /** Loads a model file on the model service; a bad file leaves the current model in place. */
    public void loadModel(java.nio.file.Path file) {
        window.busy("Loading model " + file.getFileName() + " …", () -> {});
        modelLoads++;
        model.service().load(file).whenComplete((h, err) -> FxThread.EXECUTOR.execute(() -> {
            modelLoads--;
            window.idle();
            if (err != null) {
                Throwable cause = err.getCause() != null ? err.getCause() : err;
                window.error("Could not load model: " + cause.getMessage());
            } else {
                model.setModel(h);
                window.status("Loaded model " + h.name());
            }
        }));
    }

    private void openModelDialog() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open model");
        if (Files.isDirectory(AppPaths.models())) fc.setInitialDirectory(AppPaths.models().toFile());
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Latent Lab model", "*.zip"));
        var f = fc.showOpenDialog(window.root().getScene().getWindow());
        if (f != null) loadModel(f.toPath());
    }

    private void saveModelDialog() {
        ModelHandle m = model.model();
        if (m == null) {
            window.error("No model to save: train or open one first.");
            return;
        }
        FileChooser fc = new FileChooser();
        fc.setTitle("Save model");
        fc.setInitialFileName(m.name() + ".zip");
        var f = fc.showSaveDialog(window.root().getScene().getWindow());
        if (f == null) return;
        model.service().save(m, f.toPath()).whenComplete((p, err) -> FxThread.EXECUTOR.execute(() -> {
            if (err != null) window.error("Could not save " + f + ": " + (err.getCause() != null ? err.getCause().getMessage() : err.getMessage()));
            else window.status("Saved " + p + " (written atomically)");
        }));
    }

    /** True while a model file is being loaded (FX thread). */
    public boolean loadingModel() { return modelLoads > 0; }

    public DatasetView datasetView() { return datasetView; }
    public TrainingView trainingView() { return trainingView; }
    public LatentMapView mapView() { return mapView; }
    public SlidersView slidersView() { return slidersView; }
    public ReconstructionView reconstructionView() { return reconstructionView; }
    public GenerateView generateView() { return generateView; }
    public MainWindowView window() { return window; }
    public AppModel model() { return model; }
}
