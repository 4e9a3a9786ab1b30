package org.latentlab.train;

import org.latentlab.model.Metrics;

/**
 * Receives training progress on the caller's executor (e.g. Platform::runLater). All methods have
 * empty defaults. Events are immutable records.
 */
public interface TrainingListener {

    /** A training step (throttled to TrainOptions.maxEventsPerSecond). Losses are means per image. */
    record IterationEvent(long step, int epoch, int iteration, int iterationsPerEpoch, double total, double recon,
                          double kl, double klWarmup, double samplesPerSecond) {
    }

    /**
     * End of an epoch: metrics on train (subset) and test, time, ETA and a preview strip:
     * {@code originals[i]} and {@code reconstructions[i]} are test images in stored units
     * (ImageSet sample layout), {@code previewLabels[i]} their classes.
     */
    record EpochEvent(int epoch, int epochs, long step, Metrics train, Metrics test, double elapsedSeconds,
                      double etaSeconds, double samplesPerSecond, float[][] originals, float[][] reconstructions,
                      int[] previewLabels) {
    }

    /** How a job ended. */
    enum Outcome { COMPLETED, CANCELLED, DIVERGED, FAILED }

    /**
     * The job ended. For DIVERGED, {@code step} is the step whose loss was not finite and
     * {@code message} says why and which weights were restored; for FAILED, the error.
     */
    record Finished(Outcome outcome, long step, int epochsCompleted, String message) {
    }

    default void onIteration(IterationEvent e) {
    }

    default void onEpoch(EpochEvent e) {
    }

    /** Paused (true) or resumed (false). */
    default void onPaused(boolean paused) {
    }

    default void onFinished(Finished f) {
    }
}
