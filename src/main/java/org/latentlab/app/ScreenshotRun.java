package org.latentlab.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.control.Button;
import javafx.util.Duration;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.training.TrainingView;

/**
 * {@code --screenshot DIR}: waits until the default dataset, model, encoding and map are in, then
 * shows each pane in turn, gives its asynchronous content (decodes, reconstructions) a moment,
 * writes DIR/NN-pane.png and exits. The Training pane comes last: it starts training with the
 * pane's settings and is shot once the first epoch's test point and reconstructions are in, so it
 * shows curves rather than empty charts (training replaces the loaded model, which the other panes
 * must show first).
 */
final class ScreenshotRun {
    private static final double READY_TIMEOUT_S = 180;
    /** Longest wait for the first epoch (about 25 s for the default MNIST settings on two cores). */
    private static final double FIRST_EPOCH_TIMEOUT_S = 300;
    /** Training after the first epoch before the shot, so the curves run on into the second. */
    private static final double AFTER_FIRST_EPOCH_S = 4;

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
            shootTraining(wiring, dir, panes.indexOf(wiring.trainingView()));
            return;
        }
        PaneView pane = panes.get(i);
        if (pane == wiring.trainingView()) {
            shoot(wiring, dir, i + 1);
            return;
        }
        wiring.window().select(pane);
        CompletableFuture<Void> prepared;
        try {
            prepared = prepare(wiring, pane);
        } catch (RuntimeException e) {
            // the pane is still shot as it is, and the run still ends
            System.err.println("preparing " + pane.title() + " failed: " + e);
            prepared = CompletableFuture.completedFuture(null);
        }
        prepared.whenComplete((ok, err) -> after(1.2, () -> {
            write(dir, i, pane);
            shoot(wiring, dir, i + 1);
        }));
    }

    /**
     * What a user would do on a pane to see its main feature: the sliders' traversal grid, and on the
     * Reconstruction pane the other shipped models of this dataset beside the loaded one.
     */
    private static CompletableFuture<Void> prepare(Wiring wiring, PaneView pane) {
        if (pane == wiring.slidersView()) {
            ((Button) pane.view().lookup("#traversalButton")).fire();
        } else if (pane == wiring.reconstructionView() && wiring.model().dataset() != null) {
            CompletableFuture<Void> added = CompletableFuture.completedFuture(null);
            for (Path file : otherShippedModels(wiring)) {
                added = added.thenCompose(x -> wiring.reconstructionView().addModel(file));
            }
            return added.thenRun(() -> wiring.reconstructionView().refresh());
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Shipped models named after the loaded dataset ("mnist-…"), except the loaded model. */
    private static List<Path> otherShippedModels(Wiring wiring) {
        String prefix = wiring.model().dataset().name() + "-";
        String loaded = wiring.model().model() == null ? "" : wiring.model().model().name() + ".zip";
        try (Stream<Path> files = Files.list(AppPaths.models())) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.toString().endsWith(".zip"))
                    .filter(f -> !f.getFileName().toString().equals(loaded))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static void shootTraining(Wiring wiring, Path dir, int index) {
        TrainingView training = wiring.trainingView();
        wiring.window().select(training);
        ((Button) training.view().lookup("#startButton")).fire();
        long start = System.nanoTime();
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(250), e -> {
            boolean firstEpochIn = training.epochsShown() > 0;
            boolean stopped = !training.viewModel().running();
            if (firstEpochIn || stopped || (System.nanoTime() - start) / 1e9 > FIRST_EPOCH_TIMEOUT_S) {
                poll.stop();
                after(stopped ? 1.2 : AFTER_FIRST_EPOCH_S, () -> {
                    write(dir, index, training);
                    training.viewModel().cancel();
                    System.out.println("screenshots written to " + dir.toAbsolutePath());
                    Platform.exit();
                });
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private static void write(Path dir, int index, PaneView pane) {
        String name = String.format("%02d-%s.png", index + 1, pane.title().toLowerCase().replaceAll("[^a-z0-9]+", "-"));
        try {
            Snapshots.writePng(Snapshots.windows(), dir.resolve(name));
        } catch (IOException | RuntimeException ex) {
            System.err.println("screenshot " + name + " failed: " + ex.getMessage());
        }
    }

    private static void after(double seconds, Runnable r) {
        PauseTransition wait = new PauseTransition(Duration.seconds(seconds));
        wait.setOnFinished(e -> r.run());
        wait.play();
    }
}
