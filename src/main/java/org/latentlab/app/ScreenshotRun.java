package org.latentlab.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.util.Duration;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.Snapshots;

/**
 * {@code --screenshot DIR}: waits until the default dataset, model, encoding and map are in, then
 * shows each pane in turn, gives its asynchronous content (decodes, reconstructions) a moment,
 * writes DIR/NN-pane.png and exits.
 */
final class ScreenshotRun {
    private static final double READY_TIMEOUT_S = 180;

    private ScreenshotRun() {}

    static void whenReady(Wiring wiring, Path dir) {
        long start = System.nanoTime();
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> {
            AppModel m = wiring.model();
            boolean modelSettled = !wiring.loadingModel() && (m.model() == null
                    || m.encoded() != null && wiring.mapView().viewModel().projection() != null);
            boolean ready = m.dataset() != null && modelSettled;
            if (ready || (System.nanoTime() - start) / 1e9 > READY_TIMEOUT_S) {
                poll.stop();
                shoot(wiring, dir, 0);
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private static void shoot(Wiring wiring, Path dir, int i) {
        List<PaneView> panes = wiring.window().paneViews();
        if (i >= panes.size()) {
            System.out.println("screenshots written to " + dir.toAbsolutePath());
            Platform.exit();
            return;
        }
        PaneView pane = panes.get(i);
        wiring.window().select(pane);
        PauseTransition settle = new PauseTransition(Duration.millis(1200));
        settle.setOnFinished(e -> {
            String name = String.format("%02d-%s.png", i + 1, pane.title().toLowerCase().replaceAll("[^a-z0-9]+", "-"));
            try {
                Snapshots.writePng(Snapshots.windows(), dir.resolve(name));
            } catch (IOException | RuntimeException ex) {
                System.err.println("screenshot " + name + " failed: " + ex.getMessage());
            }
            shoot(wiring, dir, i + 1);
        });
        settle.play();
    }
}
