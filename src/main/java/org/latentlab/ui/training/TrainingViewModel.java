package org.latentlab.ui.training;

import org.latentlab.app.AppModel;
import org.latentlab.data.Dataset;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainingJob;
import org.latentlab.train.TrainingListener;
import org.latentlab.ui.FxThread;

/**
 * Starts and controls training jobs on the model service. Listener callbacks arrive on the FX
 * thread (the service's callback executor); a finished job's model becomes the current model.
 */
public class TrainingViewModel {
    private final AppModel app;
    private final TrainingListener view;
    private final TrainingSettings settings = new TrainingSettings();
    private TrainingJob job;
    private Dataset trainingData;
    private boolean paused;

    public TrainingViewModel(AppModel app, TrainingListener view) {
        this.app = app;
        this.view = view;
    }

    public TrainingSettings settings() { return settings; }
    public Dataset trainingData() { return trainingData; }
    public boolean running() { return job != null; }

    /** Starts a job with the current settings; returns an error message or null. */
    public String start() {
        Dataset d = app.dataset();
        if (d == null) return "Load a dataset first.";
        if (job != null) return "A training job is already running.";
        VaeSpec spec;
        try {
            spec = settings.toSpec(d);
        } catch (RuntimeException e) {
            return "Invalid settings: " + e.getMessage();
        }
        trainingData = d;
        paused = false;
        String name = d.name() + "-" + settings.getArchitecture().name().toLowerCase().replace('_', '-') + "-z" + settings.getLatentSize();
        job = app.service().train(spec, d, settings.toOptions(name), new TrainingListener() {
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
        return null;
    }

    public void pauseOrResume() {
        if (job == null) return;
        if (paused) job.resume(); else job.pause();
    }

    public void cancel() {
        if (job != null) job.cancel();
    }
}
