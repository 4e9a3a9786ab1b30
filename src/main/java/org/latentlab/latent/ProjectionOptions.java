package org.latentlab.latent;

/**
 * Settings of all projections, validated on construction. Start from {@link #defaults()} and change
 * what you need with the {@code with...} methods. The t-SNE defaults are scikit-learn's (perplexity
 * 30, 1000 iterations, early exaggeration 12 for 250 iterations, learning rate
 * max(n / 12 / 4, 50), angle 0.5, PCA initialisation); the UMAP ones umap-learn's (15 neighbours,
 * min_dist 0.1, 500 epochs up to 10,000 points and 200 above).
 *
 * @param threads                worker threads for kNN and the t-SNE gradient (the results do not
 *                               depend on it, see {@link BarnesHutTsne})
 * @param seed                   random seed (sampling, UMAP)
 * @param tsneSampleCap          above this many points t-SNE runs on a stratified sample of this size
 * @param perplexity             t-SNE perplexity; 3 × perplexity neighbours are used
 * @param tsneIterations         total t-SNE iterations, exaggeration phase included
 * @param theta                  Barnes-Hut angle (0.5 like scikit-learn; 0 is not allowed)
 * @param earlyExaggeration      factor on P during the first {@code exaggerationIterations}
 * @param exaggerationIterations length of the early-exaggeration phase
 * @param learningRate           t-SNE learning rate, or NaN for scikit-learn's "auto"
 * @param klTolerance            early stop: after the exaggeration phase, stop when the KL divergence
 *                               fell by less than this fraction over the last 50 iterations; 0 runs
 *                               all iterations (scikit-learn's own stopping rules always apply: no
 *                               progress in 300 iterations, gradient norm below 1e-7)
 * @param umapNeighbors          UMAP n_neighbors (the point itself included, as in umap-learn)
 * @param umapMinDist            UMAP min_dist (spread is 1)
 * @param umapEpochs             UMAP epochs, 0 for the umap-learn default (500, or 200 above 10,000 points)
 * @param umapBackend            our UMAP or Smile's
 * @param layoutIntervalMillis   minimum time between intermediate layouts sent to the listener
 */
public record ProjectionOptions(int threads, long seed, int tsneSampleCap, double perplexity, int tsneIterations,
                                double theta, double earlyExaggeration, int exaggerationIterations,
                                double learningRate, double klTolerance, int umapNeighbors, double umapMinDist,
                                int umapEpochs, UmapBackend umapBackend, long layoutIntervalMillis) {

    /** Which UMAP implementation runs. */
    public enum UmapBackend {
        /**
         * {@link Umap}: exact kNN on our worker threads, PCA initialisation, all points kept,
         * progress, intermediate layouts and prompt cancellation.
         */
        LATENT_LAB,
        /**
         * Smile 3.1.1 {@code smile.manifold.UMAP}: keeps only the largest connected component of the
         * neighbour graph (the other rows are missing from {@link Projection#rows()}), reports only
         * start and end, and on cancel is abandoned: it goes on computing in a background thread
         * until it ends by itself.
         */
        SMILE
    }

    public static final int DEFAULT_TSNE_SAMPLE_CAP = 10_000;

    public ProjectionOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1: " + threads);
        if (tsneSampleCap < 2) throw new IllegalArgumentException("t-SNE sample cap must be >= 2: " + tsneSampleCap);
        if (!(perplexity > 0)) throw new IllegalArgumentException("perplexity must be > 0: " + perplexity);
        if (tsneIterations < 1) throw new IllegalArgumentException("t-SNE iterations must be >= 1: " + tsneIterations);
        if (!(theta > 0 && theta <= 1.5)) throw new IllegalArgumentException("theta must be in (0, 1.5]: " + theta);
        if (!(earlyExaggeration >= 1)) throw new IllegalArgumentException("early exaggeration must be >= 1: " + earlyExaggeration);
        if (exaggerationIterations < 0) throw new IllegalArgumentException("exaggeration iterations must be >= 0");
        if (!(Double.isNaN(learningRate) || learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be > 0 or NaN (auto): " + learningRate);
        }
        if (!(klTolerance >= 0)) throw new IllegalArgumentException("KL tolerance must be >= 0: " + klTolerance);
        if (umapNeighbors < 2) throw new IllegalArgumentException("UMAP neighbours must be >= 2: " + umapNeighbors);
        if (!(umapMinDist >= 0 && umapMinDist < 1)) throw new IllegalArgumentException("UMAP min_dist must be in [0, 1)");
        if (umapEpochs < 0) throw new IllegalArgumentException("UMAP epochs must be >= 0");
        if (umapBackend == null) throw new IllegalArgumentException("UMAP backend missing");
        if (layoutIntervalMillis < 0) throw new IllegalArgumentException("layout interval must be >= 0");
    }

    /** scikit-learn / umap-learn defaults, 2 threads, seed 42. */
    public static ProjectionOptions defaults() {
        return new ProjectionOptions(2, 42L, DEFAULT_TSNE_SAMPLE_CAP, 30.0, 1000, 0.5, 12.0, 250, Double.NaN, 0.0,
                15, 0.1, 0, UmapBackend.LATENT_LAB, 100);
    }

    public ProjectionOptions withThreads(int v) {
        return new ProjectionOptions(v, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withSeed(long v) {
        return new ProjectionOptions(threads, v, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withTsneSampleCap(int v) {
        return new ProjectionOptions(threads, seed, v, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withPerplexity(double v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, v, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withTsneIterations(int v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, v, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withTheta(double v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, v, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withEarlyExaggeration(double factor, int iterations) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, factor,
                iterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withLearningRate(double v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, v, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withKlTolerance(double v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, v, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withUmap(int neighbors, double minDist, int epochs) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, neighbors, minDist, epochs, umapBackend,
                layoutIntervalMillis);
    }

    public ProjectionOptions withUmapBackend(UmapBackend v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, v,
                layoutIntervalMillis);
    }

    public ProjectionOptions withLayoutIntervalMillis(long v) {
        return new ProjectionOptions(threads, seed, tsneSampleCap, perplexity, tsneIterations, theta, earlyExaggeration,
                exaggerationIterations, learningRate, klTolerance, umapNeighbors, umapMinDist, umapEpochs, umapBackend,
                v);
    }

    /** The learning rate t-SNE uses for n points: the given one, or scikit-learn's auto rule. */
    public double tsneLearningRate(int n) {
        return Double.isNaN(learningRate) ? Math.max(n / earlyExaggeration / 4.0, 50.0) : learningRate;
    }
}
