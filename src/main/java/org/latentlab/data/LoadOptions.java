package org.latentlab.data;

/**
 * How to read a dataset.
 *
 * @param height        resize to this height (0 = keep the source size; folders of mixed sizes need one)
 * @param width         resize to this width (0 = keep)
 * @param channels      convert to this layout (null = keep the source layout)
 * @param testFraction  share held out for test when the source has no split of its own
 * @param seed          seed for the split and for generators
 * @param limit         read at most this many samples per split (0 = all)
 * @param depthPolicy   what to do with NaN/inf/non-positive depth
 * @param depthMaxMetres depth that maps to 1.0 when normalising
 * @param generatedTrain generated datasets: how many training samples to make (0 = the dataset's
 *                      default); the test samples do not change with it
 */
public record LoadOptions(int height, int width, Channels channels, double testFraction, long seed,
                          int limit, DepthPolicy depthPolicy, float depthMaxMetres, int generatedTrain) {

    public LoadOptions {
        if (generatedTrain < 0) throw new IllegalArgumentException("the number of generated training samples must be ≥ 0, got " + generatedTrain);
    }

    public static final float DEFAULT_DEPTH_MAX = 10f;

    public static LoadOptions defaults() {
        return new LoadOptions(0, 0, null, 0.2, 42, 0, DepthPolicy.MASK, DEFAULT_DEPTH_MAX, 0);
    }

    public LoadOptions withSize(int h, int w) {
        return new LoadOptions(h, w, channels, testFraction, seed, limit, depthPolicy, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withChannels(Channels c) {
        return new LoadOptions(height, width, c, testFraction, seed, limit, depthPolicy, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withLimit(int n) {
        return new LoadOptions(height, width, channels, testFraction, seed, n, depthPolicy, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withDepthPolicy(DepthPolicy p) {
        return new LoadOptions(height, width, channels, testFraction, seed, limit, p, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withSeed(long s) {
        return new LoadOptions(height, width, channels, testFraction, s, limit, depthPolicy, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withTestFraction(double f) {
        return new LoadOptions(height, width, channels, f, seed, limit, depthPolicy, depthMaxMetres, generatedTrain);
    }

    public LoadOptions withGeneratedTrain(int n) {
        return new LoadOptions(height, width, channels, testFraction, seed, limit, depthPolicy, depthMaxMetres, n);
    }

    /** The size to read at, or the given native size when none was asked for. */
    public int heightOr(int nativeHeight) { return height > 0 ? height : nativeHeight; }
    public int widthOr(int nativeWidth) { return width > 0 ? width : nativeWidth; }
}
