package org.latentlab.latent;

/**
 * Receives progress and intermediate layouts from a running projection. Called on the thread that
 * computes the projection (never the FX thread): implementations must be quick and hand over to the
 * UI themselves. Layouts come at most about every {@link ProjectionOptions#layoutIntervalMillis()}
 * milliseconds (10 per second by default).
 */
public interface ProjectionListener {

    /** A listener that ignores everything. */
    ProjectionListener NONE = new ProjectionListener() { };

    /**
     * Called once, before any {@link #layout}, with the input rows that the coming layouts and the
     * result describe: point {@code p} of a layout ({@code xy[2p], xy[2p+1]}) is input row
     * {@code rows[p]}. The array must not be modified.
     */
    default void started(ProjectionMethod method, int[] rows) { }

    /** @param fraction 0..1 of the whole job; message says which phase, e.g. "t-SNE iteration 300/1000" */
    default void progress(double fraction, String message) { }

    /**
     * An intermediate layout, for animation. {@code xy} is a fresh copy owned by the receiver.
     *
     * @param iteration the optimiser iteration (t-SNE) or epoch (UMAP) the layout belongs to
     */
    default void layout(float[] xy, int iteration) { }
}
