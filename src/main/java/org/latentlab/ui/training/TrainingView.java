package org.latentlab.ui.training;

import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.BeanPropertyUtils;
import org.latentlab.app.AppModel;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.train.TrainingListener;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.render.SampleImages;

/** The Training pane: every hyper-parameter, start/pause/resume/cancel, live curves and previews. */
public class TrainingView implements PaneView {
    @FXML private BorderPane root;
    @FXML private Label datasetLabel;
    @FXML private StackPane sheetHolder;
    @FXML private Button startButton;
    @FXML private Button pauseButton;
    @FXML private Button cancelButton;
    @FXML private Label messageLabel;
    @FXML private Label epochLabel;
    @FXML private Label speedLabel;
    @FXML private Label etaLabel;
    @FXML private Label elboLabel;
    @FXML private ProgressBar progressBar;
    @FXML private GridPane charts;
    @FXML private VBox previewStrip;

    private TrainingViewModel viewModel;
    private final CurveChart totalChart = new CurveChart("total loss (nats / image)", "epoch");
    private final CurveChart reconChart = new CurveChart("reconstruction", "epoch");
    private final CurveChart klChart = new CurveChart("KL divergence", "epoch");
    private final CurveChart speedChart = new CurveChart("samples / s", "epoch");
    private CurveChart.Series totalTrain, totalTest, reconTrain, reconTest, klTrain, klTest, speed;
    private PropertySheet sheet;

    public static TrainingView create(AppModel app) {
        TrainingView v = FxmlViews.load(TrainingView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        viewModel = new TrainingViewModel(app, new TrainingListener() {
            @Override public void onIteration(IterationEvent e) { iteration(e); }
            @Override public void onEpoch(EpochEvent e) { epoch(e); }
            @Override public void onPaused(boolean paused) { pauseButton.setText(paused ? "Resume" : "Pause"); }
            @Override public void onFinished(Finished f) { finished(f); }
        });
        sheet = new PropertySheet();
        showSettings();
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setSearchBoxVisible(false);
        sheet.setModeSwitcherVisible(false);
        sheetHolder.getChildren().add(sheet);
        // an architecture change replaces the shown default layer sizes: rebuild the editors after
        // the combo box that caused it has finished its event
        viewModel.settings().whenLayerDefaultsChange(() -> javafx.application.Platform.runLater(
                this::showSettings));
        Color blue = Color.web("#0072B2"), orange = Color.web("#D55E00");
        totalTrain = totalChart.addSeries("train", blue, false);
        totalTest = totalChart.addSeries("test", orange, true);
        reconTrain = reconChart.addSeries("train", blue, false);
        reconTest = reconChart.addSeries("test", orange, true);
        klTrain = klChart.addSeries("train", blue, false);
        klTest = klChart.addSeries("test", orange, true);
        speed = speedChart.addSeries("train", Color.web("#009E73"), false);
        charts.add(totalChart, 0, 0);
        charts.add(reconChart, 1, 0);
        charts.add(klChart, 0, 1);
        charts.add(speedChart, 1, 1);
        app.datasetProperty().addListener((o, was, d) -> datasetChanged(d));
        datasetChanged(app.dataset());
    }

    /** One editor per setting, labelled and ordered by {@link TrainingSettingsBeanInfo}. */
    private void showSettings() {
        sheet.getItems().setAll(TrainingSettingsBeanInfo.ordered(BeanPropertyUtils.getProperties(viewModel.settings())));
    }

    public TrainingViewModel viewModel() { return viewModel; }

    /** The curves: total, reconstruction, KL, samples/s (tests read their series). */
    public List<CurveChart> charts() { return List.of(totalChart, reconChart, klChart, speedChart); }

    /** Epochs of the current run whose end is shown (a test point each). */
    public int epochsShown() { return totalTest.size(); }

    @Override public String title() { return "Training"; }
    @Override public Node view() { return root; }

    private void datasetChanged(Dataset d) {
        if (d == null) {
            datasetLabel.setText("No dataset loaded");
            return;
        }
        viewModel.settings().adaptTo(d);
        showSettings();
        datasetLabel.setText("Trains on " + d.name() + ": " + d.train().size() + " train / " + d.test().size()
                + " test images, " + d.channels() + " " + d.height() + "×" + d.width());
    }

    @FXML private void start() {
        String error = viewModel.start();
        if (error != null) {
            messageLabel.setText(error);
            return;
        }
        for (CurveChart c : new CurveChart[] {totalChart, reconChart, klChart, speedChart}) c.clear();
        previewStrip.getChildren().clear();
        messageLabel.setText("Training " + viewModel.settings().getArchitecture() + " …");
        setRunning(true);
    }

    @FXML private void pauseOrResume() { viewModel.pauseOrResume(); }

    @FXML private void cancel() { viewModel.cancel(); }

    private void setRunning(boolean running) {
        startButton.setDisable(running);
        pauseButton.setDisable(!running);
        cancelButton.setDisable(!running);
        sheet.setDisable(running);
        pauseButton.setText("Pause");
    }

    private void iteration(TrainingListener.IterationEvent e) {
        double x = (e.epoch() - 1) + (double) e.iteration() / Math.max(1, e.iterationsPerEpoch());
        totalChart.add(totalTrain, x, e.total());
        reconChart.add(reconTrain, x, e.recon());
        klChart.add(klTrain, x, e.kl());
        speedChart.add(speed, x, e.samplesPerSecond());
        speedLabel.setText(String.format("%,.0f", e.samplesPerSecond()));
        epochLabel.setText(e.epoch() + " / " + viewModel.settings().getEpochs());
        progressBar.setProgress(x / Math.max(1, viewModel.settings().getEpochs()));
    }

    private void epoch(TrainingListener.EpochEvent e) {
        totalChart.add(totalTest, e.epoch(), e.test().total());
        reconChart.add(reconTest, e.epoch(), e.test().recon());
        klChart.add(klTest, e.epoch(), e.test().kl());
        etaLabel.setText(formatSeconds(e.etaSeconds()));
        elboLabel.setText(Double.isNaN(e.test().negElbo()) ? "n/a (not a likelihood)" : String.format("%.2f", e.test().negElbo()));
        epochLabel.setText(e.epoch() + " / " + e.epochs());
        addPreview(e);
    }

    private void addPreview(TrainingListener.EpochEvent e) {
        Dataset d = viewModel.trainingData();
        if (d == null || e.originals() == null || e.originals().length == 0) return;
        ImageSet like = d.test().size() > 0 ? d.test() : d.train();
        HBox top = new HBox(2), bottom = new HBox(2);
        for (int i = 0; i < e.originals().length; i++) {
            top.getChildren().add(previewThumb(e.originals()[i], like));
            bottom.getChildren().add(previewThumb(e.reconstructions()[i], like));
        }
        Label tag = new Label("epoch " + e.epoch());
        tag.setMinWidth(64);
        HBox row = new HBox(8, tag, new VBox(2, top, bottom));
        previewStrip.getChildren().add(0, row);
    }

    /** Preview images at one height whatever the dataset (28-px digits and 64-px rooms alike), so an epoch's two rows fit the strip. */
    private static final double PREVIEW_SIZE = 40;

    private static ImageView previewThumb(float[] sample, ImageSet like) {
        ImageView v = new ImageView(SampleImages.image(sample, like.channels(), like.height(), like.width(), SampleImages.View.COLOUR, 0, 0, 1));
        v.setFitHeight(PREVIEW_SIZE);
        v.setPreserveRatio(true);
        v.setSmooth(true);
        return v;
    }

    private void finished(TrainingListener.Finished f) {
        setRunning(false);
        etaLabel.setText("–");
        messageLabel.setText(switch (f.outcome()) {
            case COMPLETED -> "Finished after " + epochs(f.epochsCompleted()) + "; the new model is now loaded.";
            case CANCELLED -> TrainingViewModel.CANCELLED_BEFORE_START.equals(f.message()) ? f.message() : "Cancelled at step " + f.step() + "; kept the last good model (" + epochs(f.epochsCompleted()) + ").";
            case DIVERGED -> "Stopped: " + f.message();
            case FAILED -> "Failed: " + f.message();
        });
    }

    private static String epochs(int n) {
        return n + (n == 1 ? " epoch" : " epochs");
    }

    static String formatSeconds(double s) {
        if (!Double.isFinite(s)) return "–";
        long t = Math.round(s);
        return t >= 3600 ? String.format("%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String.format("%d:%02d", t / 60, t % 60);
    }
}
