package org.latentlab.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.app.AppModel;
import org.latentlab.app.LatentLabApp;
import org.latentlab.app.Wiring;
import org.latentlab.data.LoadOptions;
import org.latentlab.ui.shell.MainWindowView;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The shell and the Dataset pane, headless under Monocle, on the shipped MNIST. */
@ExtendWith(ApplicationExtension.class)
class DatasetPaneGuiTest {
    private Wiring wiring;

    @Start
    void start(Stage stage) throws Exception {
        MainWindowView window = LatentLabApp.createWindow(stage);
        wiring = Wiring.install(window, new AppModel());
        stage.show();
    }

    @Test
    void opensBuiltInDatasetAndKeepsItWhenABadFileFails(FxRobot robot, @TempDir Path tmp) throws Exception {
        var vm = wiring.datasetView().viewModel();
        robot.interact(() -> vm.load("mnist", LoadOptions.defaults().withLimit(500)));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> wiring.model().dataset() != null);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("mnist", wiring.model().dataset().name());
        FlowPane preview = robot.lookup("#previewGrid").queryAs(FlowPane.class);
        assertTrue(preview.getChildren().size() >= 10, "preview grid shows samples of every class");

        BufferedImage shot = captureOnFx(robot);
        assertTrue(distinctColours(shot) > 20, "window shows images, not a blank area");

        // a corrupt IDX file: wrong magic
        Path bad = tmp.resolve("broken-idx3-ubyte");
        Files.write(bad, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        robot.interact(() -> vm.load(bad.toString(), LoadOptions.defaults()));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !vm.errorProperty().get().isEmpty());
        WaitForAsyncUtils.waitForFxEvents();
        Label error = robot.lookup("#errorLabel").queryAs(Label.class);
        assertTrue(error.isVisible());
        assertTrue(error.getText().contains("broken-idx3-ubyte"), error.getText());
        assertEquals("mnist", wiring.model().dataset().name(), "the previous dataset stays");
    }

    private static BufferedImage captureOnFx(FxRobot robot) {
        BufferedImage[] out = new BufferedImage[1];
        robot.interact(() -> out[0] = Snapshots.windows());
        return out[0];
    }

    static int distinctColours(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y));
        }
        return seen.size();
    }
}
