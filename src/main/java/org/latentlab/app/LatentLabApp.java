package org.latentlab.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.shell.MainWindowView;

/**
 * The JavaFX application: builds the main window, shows it at once and loads the default dataset
 * and model behind it. Options: {@code --screenshot DIR} renders every pane to DIR/NN-name.png and
 * exits; {@code --bench-gui} measures the explorer's speed and exits (see {@link GuiBenchRun});
 * {@code --dataset NAME|PATH} and {@code --model FILE} choose what is loaded at start.
 */
public class LatentLabApp extends Application {
    private static volatile String[] launchArgs = new String[0];

    /** The default dataset at start: the shipped MNIST. */
    public static final String DEFAULT_DATASET = "mnist";

    /** The model loaded at start: the shipped MNIST convolutional VAE with a 16-D latent. */
    public static final String DEFAULT_MODEL = "mnist-conv-z16.zip";

    private MainWindowView window;
    private StartOptions options;
    private AppModel model;
    private Wiring wiring;

    public static void launchGui(String[] args) {
        launchArgs = args.clone();
        Application.launch(LatentLabApp.class, args);
    }

    /** Parsed GUI options. */
    public record StartOptions(Path screenshotDir, String dataset, String model, boolean benchGui, boolean json) {
        static StartOptions parse(List<String> args) {
            Path shots = null;
            String dataset = null, model = null;
            boolean bench = false, json = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                String next = i + 1 < args.size() ? args.get(i + 1) : null;
                switch (a) {
                    case "--screenshot" -> { shots = Path.of(require(a, next)); i++; }
                    case "--dataset" -> { dataset = require(a, next); i++; }
                    case "--model" -> { model = require(a, next); i++; }
                    case "--bench-gui" -> bench = true;
                    case "--json" -> json = true;
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (GUI options: --screenshot DIR, --dataset NAME|PATH, --model FILE, --bench-gui [--json])");
                }
            }
            return new StartOptions(shots, dataset, model, bench, json);
        }

        private static String require(String opt, String value) {
            if (value == null) throw new IllegalArgumentException(opt + " needs a value");
            return value;
        }
    }

    @Override
    public void start(Stage stage) throws IOException {
        List<String> args = new ArrayList<>(getParameters() != null ? getParameters().getRaw() : List.of(launchArgs));
        options = StartOptions.parse(args);
        org.latentlab.train.BackgroundPriority.lowerJitCompilerThreads(); // frames before compilations
        double fxStarted = GuiBenchRun.secondsSinceLaunch();
        window = createWindow(stage);
        double windowBuilt = GuiBenchRun.secondsSinceLaunch();
        double[] shownAt = {Double.NaN};
        stage.setOnShown(e -> shownAt[0] = GuiBenchRun.secondsSinceLaunch());
        stage.show();
        // the model service starts loading ND4J on its own thread now, after the window: on two
        // cores its class loading slowed the window's FXML and first layout
        model = new AppModel();
        window.status("Starting …");
        // the window is up; the panes are built behind it, then data and model load
        Wiring.installInSteps(window, model, w -> {
            wiring = w;
            double panesBuilt = GuiBenchRun.secondsSinceLaunch();
            wiring.datasetView().viewModel().load(options.dataset() != null ? options.dataset() : DEFAULT_DATASET,
                    org.latentlab.data.LoadOptions.defaults());
            Path modelFile = options.model() != null ? Path.of(options.model()) : AppPaths.models().resolve(DEFAULT_MODEL);
            if (options.model() != null || java.nio.file.Files.isRegularFile(modelFile)) wiring.loadModel(modelFile);
            window.attachUnvisitedPanes();
            if (options.screenshotDir() != null) ScreenshotRun.whenReady(wiring, options.screenshotDir());
            if (options.benchGui()) {
                GuiBenchRun.start(wiring, options.json(), new double[] {fxStarted, windowBuilt, shownAt[0], panesBuilt});
            }
        });
    }

    @Override
    public void stop() {
        if (model != null) model.shutdown();
    }

    /** Builds and wires the main window on the given stage (also used by GUI tests). */
    public static MainWindowView createWindow(Stage stage) throws IOException {
        FXMLLoader loader = new FXMLLoader(MainWindowView.class.getResource("MainWindow.fxml"));
        Parent root = loader.load();
        MainWindowView view = loader.getController();
        Scene scene = new Scene(root, 1400, 860);
        scene.getStylesheets().add(LatentLabApp.class.getResource("/org/latentlab/ui/latentlab.css").toExternalForm());
        stage.setTitle("Latent Lab");
        stage.setScene(scene);
        view.installPaneShortcuts();
        return view;
    }

}
