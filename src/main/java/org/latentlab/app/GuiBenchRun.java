package org.latentlab.app;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.animation.AnimationTimer;
import javafx.animation.KeyFrame;
import javafx.animation.PauseTransition;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.MouseButton;
import javafx.scene.robot.Robot;
import javafx.util.Duration;
import org.latentlab.cli.CliOutput;
import org.latentlab.train.bench.MachineJitter;
import org.latentlab.ui.GcPauses;
import org.latentlab.ui.PulseMonitor;
import org.latentlab.ui.map.ScatterPlot;

/**
 * {@code bench-gui}: the explorer's speed figures, measured in the running app on the default
 * dataset and model, printed one per line (and as one JSON object last with {@code --json}):
 * window shown after launch, model ready after launch, slider drag → decoded image on screen
 * (median, p99), latent map redraw of all its points (median) for the test split and then for the
 * training split (60,000 MNIST images), and the longest pause of the JavaFX thread (pulse gap)
 * while a model trains. Everything runs on the FX thread as a user would drive it.
 */
final class GuiBenchRun {
    private static final double READY_TIMEOUT_S = 300;
    private static final int SLIDER_STEPS = 300;
    private static final int REDRAWS = 60;
    /**
     * Long enough to include the end of the first epoch (about 22 s for the 60,000 MNIST images on
     * two cores): its evaluation, checkpoint and preview strip are part of training too, and a
     * shorter window once hid a 60-220 ms stall there.
     */
    private static final double TRAIN_SECONDS = 30;
    private static final double IDLE_SECONDS = 5;

    private final Wiring wiring;
    private final CliOutput out;
    /** Seconds after launch: JavaFX start() entered, main window built, panes built, window shown. */
    private final double[] startup;
    private final Map<String, Object> result = new LinkedHashMap<>();

    private GuiBenchRun(Wiring wiring, boolean json, double[] startup) {
        this.wiring = wiring;
        this.out = new CliOutput(new java.io.PrintWriter(System.out, true), json);
        this.startup = startup;
    }

    /** Seconds since the user's launch began (the first JVM's start, when the GUI runs in a second one). */
    static double secondsSinceLaunch() {
        return (System.currentTimeMillis() - GuiJvm.launchedAtMillis()) / 1000.0;
    }

    static void start(Wiring wiring, boolean json, double[] startup) {
        new GuiBenchRun(wiring, json, startup).awaitReady();
    }

    private void awaitReady() {
        long start = System.nanoTime();
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(50), e -> {
            AppModel m = wiring.model();
            boolean ready = m.dataset() != null && !wiring.loadingModel() && m.model() != null && m.encoded() != null
                    && wiring.mapView().viewModel().projection() != null && !wiring.slidersView().sliders().isEmpty();
            if (ready || (System.nanoTime() - start) / 1e9 > READY_TIMEOUT_S) {
                poll.stop();
                if (!ready) {
                    fail("the default dataset and model were not ready after " + READY_TIMEOUT_S + " s");
                    return;
                }
                double readyAt = secondsSinceLaunch();
                if (GuiJvm.relaunched()) {
                    put("gui_jvm_started_s", GuiJvm.secondsFromLaunchToThisJvm(),
                            "GUI's JVM (concurrent collector) started after launch: %.2f s");
                }
                put("fx_start_s", startup[0], "JavaFX application started after launch: %.2f s");
                put("window_built_s", startup[1], "main window shell (FXML) built: %.2f s");
                put("window_shown_s", startup[2], "window shown after launch: %.2f s (goal <= 2 s)");
                put("panes_built_s", startup[3], "six panes built and wired behind it: %.2f s");
                put("model_ready_s", readyAt, "model, encoding and map ready after launch: %.2f s (loaded behind the window)");
                result.put("model", m.model().name());
                result.put("map_points", wiring.mapView().plot().pointCount());
                line("model " + m.model().name() + ", dataset " + m.dataset().name() + ", " + wiring.mapView().plot().pointCount() + " map points");
                String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
                result.put("collectors", collectors);
                line("garbage collectors: " + collectors);
                measureMapRedraw();
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private void measureMapRedraw() {
        wiring.window().select(wiring.mapView());
        after(500, () -> {
            mapRedraw("map_redraw");
            measureSliders();
        });
    }

    private void mapRedraw(String key) {
        ScatterPlot plot = wiring.mapView().plot();
        double[] ms = new double[REDRAWS];
        for (int i = 0; i < REDRAWS; i++) {
            plot.render();
            ms[i] = plot.lastRenderNanos() / 1e6;
        }
        Arrays.sort(ms);
        result.put(key + "_points", plot.pointCount());
        put(key + "_median_ms", ms[REDRAWS / 2], "latent map redraw of " + plot.pointCount() + " points: median %.2f ms (goal <= 16 ms)");
        put(key + "_max_ms", ms[REDRAWS - 1], "latent map redraw of " + plot.pointCount() + " points: max %.2f ms");
    }

    /** Switches the explorer to the training split (60,000 MNIST images), waits for encoding and map, redraws. */
    private void measureLargeMap() {
        AppModel m = wiring.model();
        if (m.dataset().train().size() <= m.dataset().test().size()) {
            measureTrainingPulses();
            return;
        }
        wiring.window().select(wiring.mapView());
        long start = System.nanoTime();
        m.exploreTrainingProperty().set(true);
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(50), e -> {
            var enc = m.encoded();
            var proj = wiring.mapView().viewModel().projection();
            boolean ready = enc != null && enc.set() == m.dataset().train() && proj != null
                    && wiring.mapView().plot().pointCount() == enc.size();
            if (ready) {
                poll.stop();
                put("train_split_encode_and_map_s", (System.nanoTime() - start) / 1e9,
                        "encode " + enc.size() + " training images and lay out the map: %.2f s");
                after(300, () -> {
                    mapRedraw("map_redraw_train_split");
                    measureTrainingPulses();
                });
            } else if ((System.nanoTime() - start) / 1e9 > READY_TIMEOUT_S) {
                poll.stop();
                fail("the training split was not encoded and mapped after " + READY_TIMEOUT_S + " s");
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    /**
     * Drags the first slider's thumb with the mouse (a {@link Robot} pressing on it and moving it a
     * few pixels a frame, back and forth), so that the values arrive as a drag delivers them: in mouse
     * events between frames, not inside one. Two latencies per value, counted from the value change:
     * until the decoded image is in the scene graph, and until the pulse (frame) after that, when it
     * is on screen.
     */
    private void measureSliders() {
        wiring.window().select(wiring.slidersView());
        after(500, () -> {
            Slider slider = wiring.slidersView().sliders().get(0);
            Node thumb = slider.lookup(".thumb"), track = slider.lookup(".track");
            if (thumb == null || track == null) {
                fail("the slider has no thumb or track to drag");
                return;
            }
            Bounds thumbOnScreen = thumb.localToScreen(thumb.getBoundsInLocal());
            Bounds trackOnScreen = track.localToScreen(track.getBoundsInLocal());
            double y = thumbOnScreen.getCenterY();
            double left = trackOnScreen.getMinX() + thumbOnScreen.getWidth(), right = trackOnScreen.getMaxX() - thumbOnScreen.getWidth();
            // whole pixels, so that every move changes the value; start where the thumb is
            double stride = Math.max(1, Math.floor((right - left) / (SLIDER_STEPS / 4.0)));
            double[] x = {Math.round(thumbOnScreen.getCenterX())};
            Robot robot = new Robot();
            List<Double> inScene = new ArrayList<>(), onScreen = new ArrayList<>();
            long[] changedAt = {0}, imageAt = {0};
            ChangeListener<Number> onImage = (o, a, b) -> {
                if (imageAt[0] == 0) imageAt[0] = System.nanoTime();
            };
            ChangeListener<Number> onValue = (o, a, b) -> {
                changedAt[0] = System.nanoTime();
                imageAt[0] = 0;
            };
            wiring.slidersView().decodedShown().addListener(onImage);
            slider.valueProperty().addListener(onValue);
            robot.mouseMove(x[0], y);
            robot.mousePress(MouseButton.PRIMARY);
            GcPauses gc = new GcPauses();
            gc.start();
            long started = System.nanoTime();
            AnimationTimer drive = new AnimationTimer() {
                double direction = 1;

                @Override
                public void handle(long now) {
                    if (changedAt[0] != 0) {
                        if (imageAt[0] == 0) {
                            if ((System.nanoTime() - changedAt[0]) / 1e9 > 5) end("no decoded image within 5 s of a slider change");
                            return;
                        }
                        inScene.add((imageAt[0] - changedAt[0]) / 1e6);
                        onScreen.add((System.nanoTime() - changedAt[0]) / 1e6);
                        changedAt[0] = 0;
                    } else if (inScene.isEmpty() && (System.nanoTime() - started) / 1e9 > 5) {
                        end("dragging the slider's thumb changed no value within 5 s");
                        return;
                    }
                    if (inScene.size() == SLIDER_STEPS) {
                        end(null);
                        double[] scene = sorted(inScene), screen = sorted(onScreen);
                        put("slider_to_image_median_ms", percentile(scene, 50), "slider value -> decoded image in the window: median %.2f ms");
                        put("slider_to_image_p99_ms", percentile(scene, 99), "slider value -> decoded image in the window: p99 %.2f ms (goal <= 16 ms, "
                                + scene.length + " values of a mouse drag)");
                        put("slider_to_frame_median_ms", percentile(screen, 50), "slider value -> first frame showing it: median %.2f ms");
                        put("slider_to_frame_p99_ms", percentile(screen, 99), "slider value -> first frame showing it: p99 %.2f ms (a frame is 16.7 ms)");
                        gc.stop();
                        gcPauses("slider", gc);
                        measureLargeMap();
                        return;
                    }
                    if (x[0] + direction * stride > right || x[0] + direction * stride < left) direction = -direction;
                    x[0] += direction * stride;
                    robot.mouseMove(x[0], y);
                }

                /** Stops dragging; with a reason, the bench fails. */
                private void end(String failure) {
                    stop();
                    robot.mouseRelease(MouseButton.PRIMARY);
                    slider.valueProperty().removeListener(onValue);
                    wiring.slidersView().decodedShown().removeListener(onImage);
                    if (failure != null) fail(failure);
                }
            };
            drive.start();
        });
    }

    private static double[] sorted(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private void measureTrainingPulses() {
        wiring.window().select(wiring.trainingView());
        PulseMonitor idle = new PulseMonitor();
        idle.start();
        // baseline: the same pane with nothing running, so that the cost of training shows apart
        // from what this display and machine give an idle window
        after((long) (IDLE_SECONDS * 1000), () -> {
            idle.stop();
            put("idle_pulse_gap_max_ms", idle.maxMillis(), "JavaFX pulse gaps on the idle training pane (" + idle.count()
                    + " frames in " + (int) IDLE_SECONDS + " s): max %.1f ms");
            put("idle_pulse_gap_max_fx_cpu_ms", idle.maxGapFxCpuMillis(), "  the JavaFX thread ran %.1f ms of it");
            put("idle_pulse_gap_p99_ms", idle.percentileMillis(99), "JavaFX pulse gaps on the idle training pane: p99 %.1f ms");
            measurePulsesWhileTraining();
        });
    }

    private void measurePulsesWhileTraining() {
        PulseMonitor pulses = new PulseMonitor();
        after(300, () -> {
            // the Start button, as a user presses it: its handler also disables the settings sheet
            // and clears the curves, and those first frames count too
            ((Button) wiring.trainingView().view().lookup("#startButton")).fire();
            if (!wiring.trainingView().viewModel().running()) {
                fail("could not start training: " + ((Label) wiring.trainingView().view().lookup("#messageLabel")).getText());
                return;
            }
            GcPauses gc = new GcPauses();
            gc.start();
            pulses.start();
            after((long) (TRAIN_SECONDS * 1000), () -> {
                pulses.stop();
                gc.stop();
                wiring.trainingView().viewModel().cancel();
                put("training_pulse_gap_max_ms", pulses.maxMillis(), "JavaFX pulse gaps while training (" + pulses.count()
                        + " frames in " + (int) TRAIN_SECONDS + " s): max %.1f ms (goal <= 50 ms)");
                put("training_pulse_gap_max_at_s", pulses.maxAtSeconds(), "  the longest came %.2f s after Start was pressed");
                put("training_pulse_gap_max_fx_cpu_ms", pulses.maxGapFxCpuMillis(),
                        "  the JavaFX thread ran %.1f ms of it (the rest it waited: for the pulse timer, a core or the collector)");
                put("training_pulse_gap_max_after_1s_ms", pulses.maxMillisAfter(1), "  the longest after the first second of training: %.1f ms"
                        + " (the first second holds building the new model and compiling its training code)");
                put("training_pulse_gap_p99_ms", pulses.percentileMillis(99), "JavaFX pulse gaps while training: p99 %.1f ms");
                put("training_epochs_ended", wiring.trainingView().epochsShown(),
                        "  epochs that ended in that window (evaluation, checkpoint, preview): %.0f");
                gcPauses("training", gc);
                finish();
            });
        });
    }

    /** Ends with the machine's own stalls (a spin loop off the FX thread), the context for every p99 above. */
    private void finish() {
        Thread jitter = new Thread(() -> {
            Map<String, Object> j = MachineJitter.measure(3).toMap();
            Platform.runLater(() -> {
                result.put("machine_jitter", j);
                line("machine jitter (a spin loop reading the clock for 3 s): " + j);
                out.result(result);
                Platform.exit();
            });
        }, "machine-jitter");
        jitter.setDaemon(true);
        jitter.start();
    }

    private void fail(String why) {
        System.err.println("bench-gui: " + why);
        result.put("error", why);
        out.result(result);
        Platform.exit();
    }

    /** The collector's stop-the-world pauses in a measured window: a long frame may be one of them. */
    private void gcPauses(String window, GcPauses gc) {
        result.put(window + "_gc_pauses", gc.count());
        put(window + "_gc_pause_max_ms", gc.maxMillis(), "  garbage-collection pauses in that window: " + gc.count()
                + ", longest %.0f ms, " + gc.totalMillis() + " ms in all");
    }

    private void put(String key, double value, String format) {
        result.put(key, Math.round(value * 1000) / 1000.0);
        line(String.format(Locale.ROOT, format, value));
    }

    private void line(String s) {
        out.line(s);
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static void after(long millis, Runnable r) {
        PauseTransition p = new PauseTransition(Duration.millis(millis));
        p.setOnFinished(e -> r.run());
        p.play();
    }
}
