package org.latentlab.model;

/**
 * Posterior parameters for n images: μ and log σ², each [n][latent]. A plain autoencoder has no
 * variance: its logVar is filled with −∞, so {@link #sigma()} is 0.
 */
public record Encoded(float[][] mu, float[][] logVar) {
    /** σ = exp(logVar / 2), [n][latent] (0 for a plain autoencoder). */
    public float[][] sigma() {
        float[][] s = new float[logVar.length][];
        for (int i = 0; i < s.length; i++) {
            s[i] = new float[logVar[i].length];
            for (int j = 0; j < s[i].length; j++) s[i][j] = (float) Math.exp(0.5 * logVar[i][j]);
        }
        return s;
    }

    public int size() {
        return mu.length;
    }
}
