/**
 * 2-D projections of latent vectors for the latent map: the raw first two dimensions, PCA, a
 * Barnes-Hut t-SNE of our own ({@link org.latentlab.latent.BarnesHutTsne}) and UMAP (our own
 * {@link org.latentlab.latent.Umap}, or Smile's), all behind
 * {@link org.latentlab.latent.Projections#project}.
 *
 * <p>Pure Java: no JavaFX and no ND4J. Inputs are {@code float[][]} (n rows of d latent means),
 * outputs a flat {@code float[] xy} (x0, y0, x1, y1, ...) together with the input rows the points
 * belong to. Long projections report progress and intermediate layouts through a
 * {@link org.latentlab.latent.ProjectionListener} (which is called on the computing thread: hop to
 * the FX thread yourself) and stop with a {@link java.util.concurrent.CancellationException} when
 * the {@code BooleanSupplier} passed in says so.
 *
 * <p>{@link org.latentlab.latent.TsneBench} measures the projections against scikit-learn's
 * Barnes-Hut t-SNE (the anchor script) side by side and prints the ratio.
 */
package org.latentlab.latent;
