package org.latentlab.latent;

/** The 2-D projections the latent map offers. */
public enum ProjectionMethod {
    /** The first two latent dimensions as they are (for 2-D latents; (z0, 0) for 1-D ones). */
    RAW_2D,
    /** The first two principal components. */
    PCA,
    /** Barnes-Hut t-SNE ({@link BarnesHutTsne}), on a stratified sample above the sample cap. */
    TSNE,
    /** UMAP ({@link Umap}, or Smile's, see {@link ProjectionOptions.UmapBackend}). */
    UMAP
}
