package org.latentlab.train;

import java.nio.file.Path;

/**
 * How to run a training job (the model itself is described by its VaeSpec).
 *
 * @param epochs            passes over the training set
 * @param maxStepsPerEpoch  cap on steps per epoch (0 = whole set); for quick runs and tests
 * @param trainEvalSamples  train images evaluated after each epoch (0 = all)
 * @param testEvalSamples   test images evaluated after each epoch (0 = all)
 * @param previewCount      test images reconstructed for the preview strip after each epoch
 * @param checkpointFile    when set, the model is also saved there (atomically) after each epoch
 * @param maxEventsPerSecond per-iteration events are throttled to this rate (per-epoch events always go out)
 * @param name              name for the model card
 */
public record TrainOptions(int epochs, int maxStepsPerEpoch, int trainEvalSamples, int testEvalSamples,
                           int previewCount, Path checkpointFile, double maxEventsPerSecond, String name) {

    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        if (maxStepsPerEpoch < 0) throw new IllegalArgumentException("max steps per epoch must be >= 0");
        if (!(maxEventsPerSecond > 0)) throw new IllegalArgumentException("event rate must be > 0");
        name = name == null ? "model" : name;
    }

    /**
     * epochs full epochs, 2000 train / all test images evaluated, 8 previews, 10 events/s (a label or
     * curve changing faster is not read any better, and each event costs the explorer a layout and
     * a render on the one core training leaves to the window).
     */
    public static TrainOptions epochs(int epochs) {
        return new TrainOptions(epochs, 0, 2000, 0, 8, null, 10, "model");
    }

    public TrainOptions withMaxStepsPerEpoch(int n) {
        return new TrainOptions(epochs, n, trainEvalSamples, testEvalSamples, previewCount, checkpointFile, maxEventsPerSecond, name);
    }

    public TrainOptions withEvalSamples(int train, int test) {
        return new TrainOptions(epochs, maxStepsPerEpoch, train, test, previewCount, checkpointFile, maxEventsPerSecond, name);
    }

    public TrainOptions withCheckpointFile(Path f) {
        return new TrainOptions(epochs, maxStepsPerEpoch, trainEvalSamples, testEvalSamples, previewCount, f, maxEventsPerSecond, name);
    }

    public TrainOptions withMaxEventsPerSecond(double r) {
        return new TrainOptions(epochs, maxStepsPerEpoch, trainEvalSamples, testEvalSamples, previewCount, checkpointFile, r, name);
    }

    public TrainOptions withName(String n) {
        return new TrainOptions(epochs, maxStepsPerEpoch, trainEvalSamples, testEvalSamples, previewCount, checkpointFile, maxEventsPerSecond, n);
    }

    public TrainOptions withPreviewCount(int n) {
        return new TrainOptions(epochs, maxStepsPerEpoch, trainEvalSamples, testEvalSamples, n, checkpointFile, maxEventsPerSecond, name);
    }
}
