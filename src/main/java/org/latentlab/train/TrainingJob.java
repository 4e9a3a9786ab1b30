package org.latentlab.train;

import java.util.concurrent.CompletableFuture;

/**
 * A running training job. Control methods return at once and may be called from any thread.
 * {@link #result()} completes (on the service's callback executor) with the handle of the model
 * left after training — the last good one after a cancel or a divergence; it fails only if the
 * model could not be built.
 */
public interface TrainingJob {
    /** Handle of the model being trained (usable at once, e.g. to decode while training). */
    ModelHandle handle();

    void pause();

    void resume();

    /** Stops at the next step; the last checkpoint (end of the last completed epoch) is kept. */
    void cancel();

    boolean isPaused();

    CompletableFuture<ModelHandle> result();

    /** How the job ended, once it has (null before). */
    TrainingListener.Finished outcome();
}
