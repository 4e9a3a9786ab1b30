/**
 * Training and the model service: {@link org.latentlab.train.ModelService} owns every model on one
 * "model-service" thread and answers with CompletableFutures on a caller-chosen executor;
 * {@link org.latentlab.train.Trainer} is the step-by-step training loop (checkpoints, NaN guard,
 * cancel, pause) with {@link org.latentlab.train.TrainingListener} events;
 * {@link org.latentlab.train.bench.TrainBench} measures speed and fidelity against the PyTorch anchors.
 */
package org.latentlab.train;
