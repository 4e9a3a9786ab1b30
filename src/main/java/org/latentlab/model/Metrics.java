package org.latentlab.model;

/**
 * Mean losses per image over a set.
 *
 * @param total   k1·recon + k2·KL (full KL weight, no warm-up)
 * @param recon   reconstruction term per image (nats for BCE; squared/absolute error sum for MSE/L1)
 * @param kl      KL per image in nats
 * @param negElbo recon + KL in nats per image when the loss is BCE (a bound on −log p(x)); NaN for MSE/L1,
 *                which are not likelihoods
 * @param count   number of images evaluated
 */
public record Metrics(double total, double recon, double kl, double negElbo, int count) {
    /** ELBO in nats per image (= −negElbo), NaN when not a likelihood. */
    public double elbo() {
        return -negElbo;
    }
}
