package org.latentlab.model;

/** The model families Latent Lab can build and train. */
public enum Architecture {
    /** Plain autoencoder: deterministic code z = μ, no sampling, no KL term. MLP body, or conv body when conv filters are given. */
    AUTOENCODER,
    /** Fully connected VAE, e.g. 784-400-z. */
    MLP_VAE,
    /** Conv 3×3 stride-2 stack → dense → μ, log σ²; mirrored decoder with transposed convs. */
    CONV_VAE,
    /** Deep VGG-style VAE: blocks of two 3×3 convs, each block down-sampled by 2×2 max pooling or a stride-2 conv. */
    VGG_VAE,
    /** ResNet-style encoder (residual blocks) and residual decoder (residual blocks + transposed convs, LeakyReLU), tanh output, for RGB-D. */
    RESNET_VAE,
    /** Label-conditioned VAE: one-hot class joined to the encoder input and to the decoder input. */
    CONDITIONAL_VAE,
    /** k encoders, each fed a subset of classes, sharing one decoder; trained in alternation. */
    MULTI_ENCODER_VAE;

    /** True when the model samples z and has a KL term. */
    public boolean variational() {
        return this != AUTOENCODER;
    }
}
