package org.latentlab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.latentlab.app.AppModel;
import org.latentlab.app.LatentLabApp;
import org.latentlab.app.Wiring;
import org.latentlab.data.LoadOptions;
import org.latentlab.model.Architecture;
import org.latentlab.ui.training.TrainingSettings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The explorer end to end, headless under Monocle: train a tiny model through the Training pane,
 * see every encoded sample on the map, hover for a thumbnail, drag a latent slider and check the
 * decoded pixels changed, and cancel a running training job.
 */
@ExtendWith(ApplicationExtension.class)
class ExplorerGuiTest {
    private Wiring wiring;

    @Start
    void start(Stage stage) throws Exception {
        wiring = Wiring.install(LatentLabApp.createWindow(stage), new AppModel());
        stage.show();
    }

    private void loadSmallMnist(FxRobot robot) throws Exception {
        robot.interact(() -> wiring.datasetView().viewModel().load("mnist", LoadOptions.defaults().withLimit(300)));
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> wiring.model().dataset() != null);
    }

    private void configureTinyTraining(FxRobot robot, int epochs, int stepsPerEpoch) {
        robot.interact(() -> {
            TrainingSettings s = wiring.trainingView().viewModel().settings();
            s.setArchitecture(Architecture.MLP_VAE);
            s.setLatentSize(4);
            s.setHiddenSizes("64");
            s.setEpochs(epochs);
            s.setBatchSize(32);
            s.setLearningRate(3e-3);
            s.setMaxStepsPerEpoch(stepsPerEpoch);
            wiring.window().select(wiring.trainingView());
        });
    }

    @Test
    void trainMapHoverAndSlider(FxRobot robot) throws Exception {
        loadSmallMnist(robot);
        configureTinyTraining(robot, 1, 8);
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> wiring.model().encoded() != null);
        AppModel.EncodedSet encoded = wiring.model().encoded();
        assertEquals(300, encoded.size(), "the test split (limit 300) is encoded");

        // the curves: train points during the epoch and the test point at its end, drawn on the canvas
        var total = wiring.trainingView().charts().get(0);
        robot.interact(() -> {
            assertTrue(total.series().get(0).size() >= 1, "train loss points");
            assertEquals(1, total.series().get(1).size(), "one test loss point after one epoch");
            assertTrue(Double.isFinite(total.series().get(1).lastY()));
        });
        // below the legend row, which shows the colour too; charts redraw a few times a second, one per frame
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> colouredPixels(robot, total, javafx.scene.paint.Color.web("#0072B2"), 30) > 20);

        // the map: as many points as encoded samples once the projection is in
        robot.interact(() -> wiring.window().select(wiring.mapView()));
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> wiring.mapView().viewModel().projection() != null);
        WaitForAsyncUtils.waitForFxEvents();
        var plot = wiring.mapView().plot();
        assertEquals(encoded.size(), plot.pointCount());

        // the first image is the app's selection from the start, marked on the map with its neighbours
        var map = wiring.mapView().viewModel();
        assertEquals(0, wiring.model().selection().row());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> plot.selected() >= 0
                && !robot.lookup("#neighbourBox").queryAs(javafx.scene.layout.FlowPane.class).getChildren().isEmpty());
        robot.interact(() -> assertEquals(wiring.model().selection().imageIndex(), map.imageIndex(plot.selected())));

        // hover over another point: the hover card shows its image; a click selects it
        int first = plot.selected();
        var neighbours = robot.lookup("#neighbourBox").queryAs(javafx.scene.layout.FlowPane.class);
        List<Node> firstNeighbours = List.copyOf(neighbours.getChildren());
        Point2D p = pointOnScreen(robot, plot, first);
        robot.moveTo(p);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !robot.lookup("#hoverBox").queryAs(HBox.class).getChildren().isEmpty());
        assertTrue(robot.lookup("#hoverBox").queryAs(HBox.class).getChildren().get(0) instanceof ImageView);
        robot.clickOn(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> plot.selected() >= 0 && plot.selected() != first);
        robot.interact(() -> assertEquals(map.imageIndex(plot.selected()), wiring.model().selection().imageIndex(),
                "the clicked point is the app's selection"));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !neighbours.getChildren().isEmpty()
                && !firstNeighbours.contains(neighbours.getChildren().get(0))); // the new selection's neighbours

        // sliders: drag the first (most active) one and the decoded image changes
        robot.interact(() -> wiring.window().select(wiring.slidersView()));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> decodedImage() != null);
        int[] before = decodedPixels(robot);
        Slider slider = wiring.slidersView().sliders().get(0);
        Node thumb = slider.lookup(".thumb");
        assertNotNull(thumb);
        double start = slider.getValue();
        robot.drag(thumb, MouseButton.PRIMARY).moveBy(slider.getWidth() * 0.4 * (start > 0 ? -1 : 1), 0).release(MouseButton.PRIMARY);
        assertTrue(Math.abs(slider.getValue() - start) > 0.5, "the drag moved the slider: " + start + " -> " + slider.getValue());
        // the image is redrawn in place on the FX thread, so its pixels are read there
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !java.util.Arrays.equals(before, decodedPixels(robot)));
        assertFalse(java.util.Arrays.equals(before, decodedPixels(robot)), "decoded pixels changed");

        // the traversal grid: one labelled row per dimension, the most active first
        robot.clickOn("#traversalButton");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> robot.lookup("#gridImage").queryAs(ImageView.class).getImage() != null);
        var rowLabels = robot.lookup("#gridRowLabels").queryAs(javafx.scene.layout.VBox.class).getChildren();
        int dims = wiring.slidersView().sliders().size();
        assertEquals(Math.min(10, dims), rowLabels.size());
        int mostActive = wiring.slidersView().viewModel().dimensionOrder()[0];
        assertTrue(((Label) rowLabels.get(0)).getText().startsWith("z" + mostActive), ((Label) rowLabels.get(0)).getText());
        // the sheet is rows of 28-px digits with 2-px gaps around them, magnified; each label is a row tall
        Image grid = robot.lookup("#gridImage").queryAs(ImageView.class).getImage();
        int rows = rowLabels.size();
        double scale = ((Label) rowLabels.get(0)).getMinHeight() / 28;
        assertEquals((rows * 28 + (rows + 1) * 2) * scale, grid.getHeight(), 0.5);

        // View → Explore the training split: the panes re-encode the training images and the map follows
        robot.interact(() -> {
            wiring.window().select(wiring.mapView());
            wiring.window().exploreTrainingItem().setSelected(true);
        });
        var train = wiring.model().dataset().train();
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> wiring.model().encoded() != null && wiring.model().encoded().set() == train
                && wiring.mapView().plot().pointCount() == train.size());
        assertEquals(train.size(), wiring.model().encoded().size());
    }

    /** Pixels of a node's snapshot close to the given colour, from row minY down. */
    private static int colouredPixels(FxRobot robot, Node node, javafx.scene.paint.Color colour, int minY) {
        int[] count = {0};
        robot.interact(() -> {
            var img = node.snapshot(null, null);
            var r = img.getPixelReader();
            for (int y = minY; y < (int) img.getHeight(); y++) {
                for (int x = 0; x < (int) img.getWidth(); x++) {
                    var c = r.getColor(x, y);
                    if (Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen()) + Math.abs(c.getBlue() - colour.getBlue()) < 0.15) count[0]++;
                }
            }
        });
        return count[0];
    }

    @Test
    void cancelStopsTraining(FxRobot robot) throws Exception {
        loadSmallMnist(robot);
        configureTinyTraining(robot, 500, 0);
        robot.clickOn("#startButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wiring.trainingView().viewModel().running());
        Thread.sleep(500);
        robot.clickOn("#cancelButton");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> !wiring.trainingView().viewModel().running());
        WaitForAsyncUtils.waitForFxEvents();
        String message = robot.lookup("#messageLabel").queryAs(Label.class).getText();
        assertTrue(message.startsWith("Cancelled"), message);
    }

    @Test
    void cancelBeforeTheJobIsHandedOverStartsNothing(FxRobot robot) throws Exception {
        loadSmallMnist(robot);
        configureTinyTraining(robot, 500, 0);
        Object modelBefore = wiring.model().model();
        // Start hands the job to the model service a few frames later; Cancel in the same event wins
        robot.interact(() -> {
            robot.lookup("#startButton").queryAs(javafx.scene.control.Button.class).fire();
            assertTrue(wiring.trainingView().viewModel().running());
            robot.lookup("#cancelButton").queryAs(javafx.scene.control.Button.class).fire();
        });
        Thread.sleep(1000);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(wiring.trainingView().viewModel().running());
        String message = robot.lookup("#messageLabel").queryAs(Label.class).getText();
        assertTrue(message.startsWith("Cancelled before training started"), message);
        assertFalse(robot.lookup("#startButton").queryAs(javafx.scene.control.Button.class).isDisabled(), "Start is offered again");
        assertSame(modelBefore, wiring.model().model(), "no job ran, so no new model replaced the loaded one");
    }

    /** A point the pointer can hit (its position picks it, not a neighbour), other than {@code avoid}. */
    private Point2D pointOnScreen(FxRobot robot, org.latentlab.ui.map.ScatterPlot plot, int avoid) {
        Point2D[] out = new Point2D[1];
        robot.interact(() -> {
            for (int i = 0; i < plot.pointCount() && out[0] == null; i++) {
                Point2D local = plot.screenPosition(i);
                if (i != avoid && local != null && plot.nearest(local.getX(), local.getY()) == i) out[0] = plot.localToScreen(local);
            }
        });
        assertNotNull(out[0], "a visible point");
        return out[0];
    }

    private int[] decodedPixels(FxRobot robot) {
        int[][] out = new int[1][];
        robot.interact(() -> out[0] = pixels(decodedImage()));
        return out[0];
    }

    private Image decodedImage() {
        HBox box = wiring.slidersView().decodedBox();
        return box.getChildren().isEmpty() || !(box.getChildren().get(0) instanceof ImageView iv) ? null : iv.getImage();
    }

    private static int[] pixels(Image img) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        int[] px = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, javafx.scene.image.PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }
}
