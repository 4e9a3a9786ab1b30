package org.latentlab.app;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.latentlab.cli.CliOutput;
import org.latentlab.ui.PulseMonitor;

/**
 * {@code bench-gui --baseline}: what this JVM, display and machine give the smallest JavaFX app — a
 * window of Latent Lab's size holding one label that changes every frame. Its time to window shown
 * and its pulse gaps are the floor under the explorer's own figures in {@link GuiBenchRun}.
 */
public class DisplayBaseline extends Application {
    /**
     * Frames before the measured window, left out: the app's own first seconds (class loading, the
     * JIT compiling the toolkit) gave it gaps of 57-97 ms that a warmed-up window does not have.
     */
    private static final long WARM_UP_SECONDS = 3;
    private static final long SECONDS = 10;
    private static volatile boolean json;

    static void launchBaseline(boolean jsonOutput) {
        json = jsonOutput;
        Application.launch(DisplayBaseline.class);
    }

    @Override
    public void start(Stage stage) {
        double fxStarted = GuiBenchRun.secondsSinceLaunch();
        Label label = new Label("frame 0");
        stage.setScene(new Scene(new StackPane(label), 1400, 860));
        stage.setTitle("Latent Lab display baseline");
        double[] shown = {Double.NaN};
        stage.setOnShown(e -> shown[0] = GuiBenchRun.secondsSinceLaunch());
        stage.show();
        PulseMonitor pulses = new PulseMonitor();
        long start = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        new AnimationTimer() {
            long frames;
            boolean measuring;

            @Override
            public void handle(long now) {
                label.setText("frame " + ++frames);
                if (now < start) return;
                if (!measuring) {
                    measuring = true;
                    pulses.start();
                }
                if (now - start < SECONDS * 1_000_000_000L) return;
                stop();
                pulses.stop();
                CliOutput out = new CliOutput(new PrintWriter(System.out, true), json);
                Map<String, Object> r = new LinkedHashMap<>();
                line(out, r, "baseline_fx_start_s", fxStarted, "one-label JavaFX app: started after launch %.2f s");
                line(out, r, "baseline_window_shown_s", shown[0], "one-label JavaFX app: window shown after launch %.2f s");
                line(out, r, "baseline_pulse_gap_p99_ms", pulses.percentileMillis(99),
                        "one-label JavaFX app: pulse gaps p99 %.1f ms (" + pulses.count() + " frames in " + SECONDS
                                + " s, after " + WARM_UP_SECONDS + " s of warm-up)");
                line(out, r, "baseline_pulse_gap_max_ms", pulses.maxMillis(), "one-label JavaFX app: pulse gaps max %.1f ms");
                line(out, r, "baseline_pulse_gap_max_at_s", pulses.maxAtSeconds(), "  the longest came %.2f s into the window");
                out.result(r);
                Platform.exit();
            }
        }.start();
    }

    private static void line(CliOutput out, Map<String, Object> r, String key, double v, String format) {
        r.put(key, Math.round(v * 1000) / 1000.0);
        out.line(String.format(Locale.ROOT, format, v));
    }
}
