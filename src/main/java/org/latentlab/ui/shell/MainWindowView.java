package org.latentlab.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.fxml.FXML;
import javafx.scene.control.Alert;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.Button;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.latentlab.ui.PaneView;

/**
 * Controller of MainWindow.fxml: menu, one tab per pane, status bar with progress and cancel for
 * the long job in flight. Menu actions are forwarded to {@link Actions} supplied by the app wiring,
 * so this class knows no services.
 */
public class MainWindowView {
    /** What the menu does; the app wiring implements it. */
    public interface Actions {
        void openDataset();
        void openModel();
        void saveModel();
        void exportPng();
        void exportCsv();
        void preferences();
    }

    @FXML private BorderPane root;
    @FXML private TabPane panes;
    @FXML private Label statusMessage;
    @FXML private Label statusContext;
    @FXML private ProgressBar statusProgress;
    @FXML private Button statusCancel;
    @FXML private CheckMenuItem lectureModeItem;
    @FXML private CheckMenuItem exploreTrainingItem;

    private final List<PaneView> paneViews = new ArrayList<>();
    private Actions actions;
    private Worker<?> tracked;

    public BorderPane root() { return root; }
    public TabPane tabs() { return panes; }

    public void setActions(Actions actions) { this.actions = actions; }

    /**
     * Adds a pane's tab. Its content joins the scene when the tab is first selected or when
     * {@link #attachUnvisitedPanes()} runs, so that styling and layout before the window is shown
     * cover only the visible pane.
     */
    public void addPane(PaneView pane) {
        Tab tab = new Tab(pane.title());
        tab.setUserData(pane);
        tab.selectedProperty().addListener((o, was, is) -> {
            if (!is) return;
            if (tab.getContent() == null) tab.setContent(pane.view());
            pane.shown();
        });
        paneViews.add(pane);
        panes.getTabs().add(tab);
        if (tab.isSelected() && tab.getContent() == null) tab.setContent(pane.view());
    }

    /**
     * Puts the content of every tab not yet selected into the scene, one tab per event, so that each
     * pane's first CSS pass and layout (0.26–0.51 s for the Training pane in the GUI bench) happen
     * while the app starts instead of on the user's first visit. Unselected tab content stays hidden.
     */
    public void attachUnvisitedPanes() {
        panes.getTabs().stream().filter(t -> t.getContent() == null).findFirst().ifPresent(t -> {
            t.setContent(((PaneView) t.getUserData()).view());
            Platform.runLater(this::attachUnvisitedPanes);
        });
    }

    public List<PaneView> paneViews() { return List.copyOf(paneViews); }

    public PaneView selectedPane() {
        Tab t = panes.getSelectionModel().getSelectedItem();
        return t == null ? null : (PaneView) t.getUserData();
    }

    public void select(PaneView pane) {
        panes.getTabs().stream().filter(t -> t.getUserData() == pane).findFirst()
                .ifPresent(t -> panes.getSelectionModel().select(t));
    }

    /** Plain status text (FX thread). */
    public void status(String message) {
        statusMessage.textProperty().unbind();
        statusMessage.getStyleClass().remove("error");
        statusMessage.setText(message);
    }

    /** An error in the status bar, in red; the full text is also the tooltip. */
    public void error(String message) {
        statusMessage.textProperty().unbind();
        statusMessage.setText(message);
        if (!statusMessage.getStyleClass().contains("error")) statusMessage.getStyleClass().add("error");
    }

    /** Right-hand context: current dataset and model. */
    public void context(String text) { statusContext.setText(text); }

    /**
     * Shows a long job in the status bar: its message and progress, and a Cancel button that
     * cancels it. When the job ends the bar returns to plain text.
     */
    public void track(Task<?> task) {
        tracked = task;
        statusMessage.textProperty().unbind();
        statusMessage.textProperty().bind(task.messageProperty());
        statusProgress.progressProperty().bind(task.progressProperty());
        setBusy(true);
        Consumer<Worker.State> onEnd = state -> {
            if (tracked != task) return;
            statusMessage.textProperty().unbind();
            statusProgress.progressProperty().unbind();
            setBusy(false);
            tracked = null;
        };
        task.stateProperty().addListener((o, old, state) -> {
            if (state == Worker.State.SUCCEEDED || state == Worker.State.FAILED || state == Worker.State.CANCELLED) {
                onEnd.accept(state);
            }
        });
    }

    /** Shows a job that is not a Task (e.g. training) with its own cancel action. */
    public void busy(String message, Runnable cancel) {
        status(message);
        statusProgress.progressProperty().unbind();
        statusProgress.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        statusCancel.setOnAction(e -> cancel.run());
        setBusy(true);
    }

    public void progress(double fraction) {
        if (!statusProgress.progressProperty().isBound()) statusProgress.setProgress(fraction);
    }

    public void idle() {
        statusCancel.setOnAction(e -> cancelTask());
        setBusy(false);
    }

    private void setBusy(boolean busy) {
        for (var n : List.of(statusProgress, statusCancel)) {
            n.setVisible(busy);
            n.setManaged(busy);
        }
    }

    public boolean lectureMode() { return root.getStyleClass().contains("lecture"); }

    public void setLectureMode(boolean on) {
        var classes = root.getScene() != null ? root.getScene().getRoot().getStyleClass() : root.getStyleClass();
        if (on && !classes.contains("lecture")) classes.add("lecture");
        if (!on) classes.remove("lecture");
        lectureModeItem.setSelected(on);
        if (root.getScene() != null && root.getScene().getWindow() instanceof Stage stage) {
            stage.setFullScreen(on);
        }
    }

    @FXML private void cancelTask() { if (tracked != null) tracked.cancel(); }
    /** The "explore the training split" menu toggle (bound to the app model by the wiring). */
    public CheckMenuItem exploreTrainingItem() { return exploreTrainingItem; }

    @FXML private void toggleLectureMode() { setLectureMode(lectureModeItem.isSelected()); }
    @FXML private void openDataset() { if (actions != null) actions.openDataset(); }
    @FXML private void openModel() { if (actions != null) actions.openModel(); }
    @FXML private void saveModel() { if (actions != null) actions.saveModel(); }
    @FXML private void exportPng() { if (actions != null) actions.exportPng(); }
    @FXML private void exportCsv() { if (actions != null) actions.exportCsv(); }
    @FXML private void preferences() { if (actions != null) actions.preferences(); }
    @FXML private void quit() { javafx.application.Platform.exit(); }

    @FXML private void shortcuts() {
        info("Keyboard shortcuts", String.join("\n",
                "Ctrl+O  open dataset", "Ctrl+M  open model", "Ctrl+S  save model",
                "Ctrl+E  export the current view as PNG", "Ctrl+Shift+E  export latents as CSV",
                "Ctrl+1…6  switch pane", "F11  lecture mode", "Ctrl+Q  quit"));
    }

    @FXML private void about() {
        info("About Latent Lab", "Latent Lab: train variational autoencoders and explore their latent spaces.\n"
                + "Java " + System.getProperty("java.version") + ", JavaFX " + System.getProperty("javafx.runtime.version"));
    }

    private void info(String title, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION, text);
        a.setTitle(title);
        a.setHeaderText(title);
        a.initOwner(root.getScene().getWindow());
        a.show();
    }

    /** Ctrl+1..9 selects pane n. */
    public void installPaneShortcuts() {
        root.getScene().addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.isShortcutDown() && e.getText().length() == 1 && Character.isDigit(e.getText().charAt(0))) {
                int n = e.getText().charAt(0) - '1';
                if (n >= 0 && n < panes.getTabs().size()) {
                    panes.getSelectionModel().select(n);
                    e.consume();
                }
            }
        });
    }

}
