package org.latentlab.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.latentlab.data.Normalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen prefix of a user-supplied DL4J ComputationGraph (see {@link FrozenEncoderSpec}), run
 * in inference mode in front of a ResNet VAE's trainable encoder. Its weights are never updated.
 * <p>
 * Images reach it as DL4J's zoo ImageNet models expect them: the colour planes as BGR in 0..255
 * (what DL4J's NativeImageLoader produces) minus the ImageNet channel means
 * ({@link VGG16ImagePreProcessor}). Depth, if any, is not shown to it. Model-service thread only.
 */
final class FrozenEncoder {
    private static final int LISTED_VERTICES = 12;

    private final ComputationGraph graph;
    private final String layer;
    private final Normalization normalization;
    private final int height, width, planes, planeSize;
    /** Activations per image: [C, H, W] for a feature map, [F] for a vector. */
    private final long[] featureShape;
    /** SHA-256 of the file as loaded. */
    private final String digest;
    private final VGG16ImagePreProcessor imagenet = new VGG16ImagePreProcessor();

    private FrozenEncoder(ComputationGraph graph, VaeSpec spec, Path file, String digest) {
        this.graph = graph;
        this.digest = digest;
        this.layer = spec.frozenEncoder().layer();
        this.normalization = spec.normalization();
        this.height = spec.height();
        this.width = spec.width();
        this.planes = spec.channels().count();
        this.planeSize = height * width;
        INDArray probe;
        try {
            probe = run(new float[spec.inputSize()], 1);
        } catch (RuntimeException e) {
            throw new ModelException(file, "layer '" + layer + "' cannot be computed from a 3×" + height + "×" + width
                    + " image: " + e.getMessage(), e);
        }
        long[] shape = probe.shape();
        if (shape.length != 2 && shape.length != 4) {
            throw new ModelException(file, "layer '" + layer + "' gives activations of shape " + Arrays.toString(shape)
                    + "; the encoder needs a feature map [n, C, H, W] or a vector [n, F]");
        }
        this.featureShape = Arrays.copyOfRange(shape, 1, shape.length);
    }

    /**
     * Loads the graph named by the spec: the file must exist, have the recorded SHA-256, be a DL4J
     * ComputationGraph with one input, and have the layer. Any fault is a ModelException naming the file.
     */
    static FrozenEncoder load(VaeSpec spec) {
        FrozenEncoderSpec f = spec.frozenEncoder();
        Path file = f.path();
        if (!Files.isRegularFile(file)) {
            throw new ModelException(file, "the frozen encoder file is missing (the model was built with it; put it back at this path)");
        }
        String digest = FrozenEncoderSpec.sha256(file);
        if (f.sha256() != null && !digest.equals(f.sha256())) {
            throw new ModelException(file, "is not the frozen encoder file the model was built with (SHA-256 "
                    + digest.substring(0, 12) + "…, expected " + f.sha256().substring(0, 12) + "…)");
        }
        ComputationGraph g;
        try {
            g = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (Exception | NoClassDefFoundError e) {
            throw new ModelException(file, "not a DL4J ComputationGraph file (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        // DL4J M2.1's output-of-named-layers leaves its layer workspace open (and then refuses the
        // next call); without workspaces it allocates plainly and works
        g.getConfiguration().setInferenceWorkspaceMode(WorkspaceMode.NONE);
        g.getConfiguration().setTrainingWorkspaceMode(WorkspaceMode.NONE);
        if (g.getNumInputArrays() != 1) {
            throw new ModelException(file, "the graph has " + g.getNumInputArrays() + " inputs; a frozen encoder needs exactly one image input");
        }
        GraphVertex v = g.getVertex(f.layer());
        if (v == null || v.isInputVertex()) {
            List<String> names = Arrays.stream(g.getVertices()).filter(x -> !x.isInputVertex())
                    .map(GraphVertex::getVertexName).collect(Collectors.toList());
            String shown = names.stream().limit(LISTED_VERTICES).collect(Collectors.joining(", "));
            throw new ModelException(file, "the graph has no layer '" + f.layer() + "'; its " + names.size() + " layers include "
                    + shown + (names.size() > LISTED_VERTICES ? ", …" : ""));
        }
        return new FrozenEncoder(g, spec, file, digest);
    }

    String digest() {
        return digest;
    }

    /** The graph's weights, flat (for checking that nothing trains them). */
    INDArray parameters() {
        return graph.params();
    }

    /** Shape of one image's activations: [C, H, W] or [F]. */
    long[] featureShape() {
        return featureShape.clone();
    }

    /**
     * Activations of the cut layer for n images in the model's layout and range, one row per image,
     * each row divided by its root mean square. A pretrained network's activations can be in the
     * hundreds (they depend on the layer and on batch-norm statistics), and fed as they are they
     * overflow log σ² within a few steps; scaled per image they keep their pattern at unit size,
     * with no statistics to store.
     */
    INDArray features(float[] images, int n) {
        INDArray out = run(images, n);
        INDArray rows = out.reshape('c', n, out.length() / n);
        INDArray rms = rows.mul(rows).mean(true, 1).addi(1e-12f);
        org.nd4j.linalg.ops.transforms.Transforms.sqrt(rms, false);
        return rows.diviColumnVector(rms);
    }

    private INDArray run(float[] images, int n) {
        float[] bgr = new float[n * 3 * planeSize];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                int from = (i * planes + (2 - c)) * planeSize, to = (i * 3 + c) * planeSize;
                for (int k = 0; k < planeSize; k++) bgr[to + k] = to255(images[from + k]);
            }
        }
        INDArray in = Nd4j.create(bgr, new long[] {n, 3, height, width}, 'c');
        imagenet.transform(in);
        INDArray[] out = graph.output(List.of(layer), false, new INDArray[] {in}, null);
        return out[0].castTo(DataType.FLOAT).dup('c');
    }

    private float to255(float v) {
        return normalization == Normalization.ZERO_ONE ? v * 255f : (v + 1f) * 127.5f;
    }
}
