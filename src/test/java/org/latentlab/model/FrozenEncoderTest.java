package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Channels;
import org.latentlab.data.ImageSet;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The ResNet VAE with a frozen prefix of a DL4J ComputationGraph file. No zoo ResNet-50 is
 * available offline, so the file here is a small graph of the same kind (conv, batch norm, a
 * residual add, pooling, a classifier head) written by DL4J's ModelSerializer, the zoo's format.
 */
class FrozenEncoderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        NativeSetup.init();
    }

    /** A 3×16×16 classifier with one residual block; "pool1" gives an 8×8×8 feature map. */
    static Path writeSmallResidualGraph(Path file) throws Exception {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs("input")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "input")
                .addLayer("bn1", new BatchNormalization.Builder().build(), "conv1")
                .addLayer("act1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
                .addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "act1")
                .addVertex("add1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "act1", "conv2")
                .addLayer("pool1", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "add1")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "pool1")
                .addLayer("fc", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("fc")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        ModelSerializer.writeModel(g, file.toFile(), false);
        return file;
    }

    private VaeSpec spec(Path graphFile, String layer) {
        return VaeSpec.resnet(Channels.RGBD, 16, 16, 4).withConvFilters(List.of(8, 16)).withHiddenSizes(List.of(32))
                .withFrozenEncoder(FrozenEncoderSpec.of(graphFile, layer)).withBatchSize(32).withLearningRate(3e-3);
    }

    @Test
    void trainsOnTheFrozenFeaturesAndLeavesTheGraphAlone() throws Exception {
        Path graphFile = writeSmallResidualGraph(dir.resolve("resnet-like.zip"));
        VaeSpec s = spec(graphFile, "pool1");
        VaeModel m = VaeModel.create(s);
        assertFalse(m.usesEngine());
        assertTrue(m.parameterNames().contains("e0_adapt_W"), "the trainable encoder starts with the adapter conv");
        assertFalse(m.parameterNames().stream().anyMatch(n -> n.startsWith("e0_stem")), "no conv stages of its own");
        ImageSet set = VaeModelTest.dataFor(s, 128);
        double[] losses = new double[40];
        for (int it = 0; it < losses.length; it++) {
            int from = (it * 32) % 128;
            StepResult r = m.trainStep(TestData.batch(set, from, 32, s.normalization()), null, 32);
            assertTrue(r.finite(), "step " + it + " " + r);
            losses[it] = r.total();
        }
        double first = (losses[0] + losses[1] + losses[2] + losses[3] + losses[4]) / 5;
        double last = (losses[35] + losses[36] + losses[37] + losses[38] + losses[39]) / 5;
        assertTrue(last < 0.9 * first, "loss " + first + " -> " + last);

        // after training, the model's copy of the graph still holds the file's weights
        ComputationGraph fromFile = ModelSerializer.restoreComputationGraph(graphFile.toFile(), false);
        assertEquals(fromFile.params(), m.frozenEncoder().parameters());
        assertArrayEquals(new long[] {8, 8, 8}, m.frozenEncoder().featureShape());
        float[] images = TestData.batch(set, 0, 8, s.normalization());
        assertEquals(8 * 8 * 8 * 8, m.frozenEncoder().features(images, 8).length());

        // and save → load gives the same latents
        Path saved = ModelStore.save(m, ModelCard.untrained("frozen", s), dir.resolve("frozen.zip"));
        VaeModel loaded = ModelStore.load(saved).model();
        Encoded a = m.encode(images, 8, null), b = loaded.encode(images, 8, null);
        for (int i = 0; i < 8; i++) assertArrayEquals(a.mu()[i], b.mu()[i], 1e-6f);
    }

    @Test
    void featuresAreTheGraphsActivationsOfBgrImagenetInput() throws Exception {
        Path graphFile = writeSmallResidualGraph(dir.resolve("g.zip"));
        VaeSpec s = spec(graphFile, "add1");
        float[] images = TestData.batch(VaeModelTest.dataFor(s, 4), 0, 2, s.normalization());
        INDArray got = FrozenEncoder.load(s).features(images, 2);
        // the same input built by hand: BGR planes in 0..255 minus the ImageNet means
        float[] bgr = new float[2 * 3 * 256];
        double[] meanBgr = {103.939, 116.779, 123.68};
        for (int i = 0; i < 2; i++) {
            for (int c = 0; c < 3; c++) {
                for (int k = 0; k < 256; k++) {
                    bgr[(i * 3 + c) * 256 + k] = (float) ((images[(i * 4 + 2 - c) * 256 + k] + 1) * 127.5 - meanBgr[c]);
                }
            }
        }
        ComputationGraph g = ModelSerializer.restoreComputationGraph(graphFile.toFile(), false);
        // through a different DL4J path (a full forward pass) than the one FrozenEncoder takes
        INDArray want = g.feedForward(new INDArray[] {org.nd4j.linalg.factory.Nd4j.create(bgr, new long[] {2, 3, 16, 16}, 'c')}, false)
                .get("add1");
        float[] row = want.reshape(2, 8 * 16 * 16).toFloatMatrix()[1];
        double sumSquares = 0;
        for (float v : row) sumSquares += v * v;
        float rms = (float) Math.sqrt(sumSquares / row.length);
        for (int k = 0; k < row.length; k++) row[k] /= rms;
        assertArrayEquals(row, got.toFloatMatrix()[1], 1e-4f, "each image's activations scaled to unit root mean square");
    }

    @Test
    void badFrozenEncoderFilesAreClearErrors() throws Exception {
        Path graphFile = writeSmallResidualGraph(dir.resolve("g.zip"));

        ModelException noLayer = assertThrows(ModelException.class, () -> VaeModel.create(spec(graphFile, "res5c")));
        assertTrue(noLayer.getMessage().contains("g.zip") && noLayer.getMessage().contains("no layer 'res5c'")
                && noLayer.getMessage().contains("pool1"), noLayer.getMessage());

        Path notAGraph = Files.write(dir.resolve("notes.zip"), "not a zip at all".getBytes());
        ModelException foreign = assertThrows(ModelException.class, () -> VaeModel.create(spec(notAGraph, "pool1")));
        assertTrue(foreign.getMessage().contains("notes.zip") && foreign.getMessage().contains("not a DL4J ComputationGraph"),
                foreign.getMessage());

        // a saved model whose frozen file was replaced or removed names both files
        VaeSpec s = spec(graphFile, "pool1");
        Path saved = ModelStore.save(VaeModel.create(s), ModelCard.untrained("m", s), dir.resolve("m.zip"));
        Files.write(graphFile, new byte[] {1, 2, 3});
        ModelException changed = assertThrows(ModelException.class, () -> ModelStore.load(saved));
        assertTrue(changed.getMessage().startsWith(saved.toString()) && changed.getMessage().contains("not the frozen encoder file"),
                changed.getMessage());
        Files.delete(graphFile);
        ModelException missing = assertThrows(ModelException.class, () -> ModelStore.load(saved));
        assertTrue(missing.getMessage().contains("g.zip") && missing.getMessage().contains("missing"), missing.getMessage());

        IllegalArgumentException wrongArch = assertThrows(IllegalArgumentException.class,
                () -> VaeSpec.conv(Channels.RGB, 16, 16, 4).withFrozenEncoder(s.frozenEncoder()).validate());
        assertTrue(wrongArch.getMessage().contains("RESNET_VAE only"), wrongArch.getMessage());
    }
}
