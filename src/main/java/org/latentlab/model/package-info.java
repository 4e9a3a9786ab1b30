/**
 * Models: {@link org.latentlab.model.VaeSpec} (everything about a model, JSON), the seven
 * architectures built as one SameDiff graph each ({@link org.latentlab.model.VaeModel}), which
 * trains, encodes and decodes on the hand-written GemmVae engine wherever it can (every model but a
 * ResNet VAE on a frozen DL4J prefix), the plain-Java {@link org.latentlab.model.FastDecoder} for
 * slider decodes, and
 * {@link org.latentlab.model.ModelStore} (model zips with a {@link org.latentlab.model.ModelCard}).
 * {@link org.latentlab.model.NativeSetup#init()} must run before ND4J loads. Everything that
 * touches ND4J runs on the model-service thread (see org.latentlab.train.ModelService); the public
 * types other packages see are plain Java (float arrays, records).
 */
package org.latentlab.model;
