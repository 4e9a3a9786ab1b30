package org.latentlab.model;

/**
 * Losses of one training step, each the mean per image of the batch.
 *
 * @param total  k1·recon + k2·β·KL (the optimised value; β = KL warm-up factor)
 * @param recon  reconstruction term (unweighted)
 * @param kl     KL(q(z|x) ‖ N(0, I)) in nats (unweighted; 0 for a plain autoencoder)
 * @param klWarmup the warm-up factor β in [0,1] used for this step
 */
public record StepResult(double total, double recon, double kl, double klWarmup) {
    public boolean finite() {
        return Double.isFinite(total) && Double.isFinite(recon) && Double.isFinite(kl);
    }
}
