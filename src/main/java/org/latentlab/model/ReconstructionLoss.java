package org.latentlab.model;

/** Reconstruction term, summed over all pixels of an image (scaled by the spec's reconstruction weight k1). */
public enum ReconstructionLoss {
    /** Bernoulli cross-entropy from logits; a likelihood, so the ELBO is in nats. Needs [0,1] data. */
    BCE,
    /** Squared error (Gaussian likelihood up to constants): reported per image, not a likelihood. */
    MSE,
    /** Absolute error: reported per image, not a likelihood. */
    L1;

    /** Whether recon + KL is a negative ELBO in nats (true only for BCE). */
    public boolean isLikelihood() {
        return this == BCE;
    }
}
