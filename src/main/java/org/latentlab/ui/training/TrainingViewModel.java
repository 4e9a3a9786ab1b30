package org.latentlab.ui.training;

import javafx.animation.AnimationTimer;
import org.latentlab.app.AppModel;
import org.latentlab.data.Dataset;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainOptions;
import org.latentlab.train.TrainingJob;
import org.latentlab.train.TrainingListener;
import org.latentlab.ui.FxThread;

/**
 * Starts and controls training jobs on the model service. Listener callbacks arrive on the FX
 * thread (the service's callback executor); a finished job's model becomes the current model.
 */
public class TrainingViewModel {
    /**
     * Frames between pressing Start and handing the job to the model service. Building the new
     * model and compiling its training code then take both cores of a small machine for about a
     * second; the frames that show the cleared curves and the locked settings are drawn first, while
     * the machine is still idle. Without the wait those frames came 52-115 ms apart (bench-gui).
     */
    static final int START_AFTER_FRAMES = 8;
    /** The message of a job cancelled in those frames: nothing ran, nothing replaces the loaded model. */
    static final String CANCELLED_BEFORE_START = "Cancelled before training started; the loaded model is unchanged.";

    private final AppModel app;
    private final TrainingListener view;
    private final TrainingSettings settings = new TrainingSettings();
    private TrainingJob job;
    /** Start pressed and checked, the job not yet handed over (see START_AFTER_FRAMES). */
    private boolean starting;
    private Dataset trainingData;
    private boolean paused;

    public TrainingViewModel(AppModel app, TrainingListener view) {
        this.app = app;
        this.view = view;
    }

    public TrainingSettings settings() { return settings; }
    public Dataset trainingData() { return trainingData; }
    public boolean running() { return job != null || starting; }

    /**
     * Checks the current settings and starts a job with them {@link #START_AFTER_FRAMES} frames
     * later; returns an error message or null.
     */
    public String start() {
        Dataset d = app.dataset();
        if (d == null) return "Load a dataset first.";
        if (running()) return "A training job is already running.";
        VaeSpec spec;
        try {
            spec = settings.toSpec(d);
        } catch (RuntimeException e) {
            return "Invalid settings: " + e.getMessage();
        }
        String name = d.name() + "-" + settings.getArchitecture().name().toLowerCase().replace('_', '-') + "-z" + settings.getLatentSize();
        TrainOptions options = settings.toOptions(name);
        trainingData = d;
        paused = false;
        starting = true;
        new AnimationTimer() {
            private int frames;

            @Override public void handle(long now) {
                if (++frames < START_AFTER_FRAMES) return;
                stop();
                if (!starting) return; // cancelled while waiting
                starting = false;
                try {
                    submit(spec, d, options);
                } catch (RuntimeException e) {
                    view.onFinished(new TrainingListener.Finished(TrainingListener.Outcome.FAILED, 0, 0, e.getMessage()));
                }
            }
        }.start();
        return null;
    }

    private void submit(VaeSpec spec, Dataset d, TrainOptions options) {
        job = app.service().train(spec, d, options, new TrainingListener() {
            @Override public void onIteration(IterationEvent e) { view.onIteration(e); }
            @Override public void onEpoch(EpochEvent e) { view.onEpoch(e); }
            @Override public void onPaused(boolean p) { paused = p; view.onPaused(p); }
            @Override public void onFinished(Finished f) {
                job = null;
                view.onFinished(f);
            }
        }, FxThread.EXECUTOR);
        job.result().thenAccept(h -> FxThread.EXECUTOR.execute(() -> {
            if (h != null) app.setModel(h);
        }));
    }

    public void pauseOrResume() {
        if (job == null) return;
        if (paused) job.resume(); else job.pause();
    }

    public void cancel() {
        if (job != null) {
            job.cancel();
        } else if (starting) {
            starting = false;
            view.onFinished(new TrainingListener.Finished(TrainingListener.Outcome.CANCELLED, 0, 0, CANCELLED_BEFORE_START));
        }
    }
}
