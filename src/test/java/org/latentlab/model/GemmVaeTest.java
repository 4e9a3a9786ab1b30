package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.latentlab.data.Channels;
import org.latentlab.data.ImageSet;
import org.latentlab.data.Normalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The hand-written engine must compute what the SameDiff graph computes: same losses, same Adam steps. */
class GemmVaeTest {

    @BeforeAll
    static void setUp() {
        NativeSetup.init();
    }

    static Stream<VaeSpec> specs() {
        return Stream.of(
                VaeSpec.mlp(Channels.GRAY, 8, 8, 3).withHiddenSizes(List.of(24)),
                VaeSpec.autoencoder(Channels.GRAY, 8, 8, 3).withHiddenSizes(List.of(24)).withLoss(ReconstructionLoss.MSE, 1, 1),
                VaeSpec.conv(Channels.GRAY, 8, 8, 3).withConvFilters(List.of(4, 6)).withHiddenSizes(List.of(16)),
                // four channels exercise the planar/interleaved reordering; tanh + MSE and L1 the other losses
                VaeSpec.conv(Channels.RGBD, 8, 8, 3).withConvFilters(List.of(5, 6)).withHiddenSizes(List.of(16))
                        .withNormalization(Normalization.MINUS_ONE_ONE).withLoss(ReconstructionLoss.MSE, 2, 0.5),
                VaeSpec.conv(Channels.GRAY, 8, 8, 2).withConvFilters(List.of(4)).withHiddenSizes(List.of(8))
                        .withLoss(ReconstructionLoss.L1, 1, 1),
                // stem, stride-2 stages with residual blocks, leaky ReLU decoder, final conv, tanh + MSE
                VaeSpec.resnet(Channels.RGBD, 8, 8, 3).withConvFilters(List.of(4, 6)).withHiddenSizes(List.of(16)),
                // stride-1 convs in all three layouts (GemmVae.conv3x3): im2col for the stem and the
                // 8×8 and 4×4 blocks, the transposed form for the 16×16 final convs (5 → 4 and 5 → 1),
                // shifted products for the VGG's 16×16 convs of 5 channels
                VaeSpec.resnet(Channels.RGBD, 16, 16, 3).withConvFilters(List.of(5, 6)).withHiddenSizes(List.of(16)),
                VaeSpec.vgg(Channels.GRAY, 16, 16, 3).withConvFilters(List.of(5, 5, 6)).withHiddenSizes(List.of(16)),
                // VGG blocks: stride-1 convs with max pooling, or a stride-2 second conv (RGB)
                VaeSpec.vgg(Channels.GRAY, 8, 8, 3).withConvFilters(List.of(4, 4, 6)).withHiddenSizes(List.of(16)),
                VaeSpec.vgg(Channels.RGB, 8, 8, 3).withConvFilters(List.of(3, 4, 6)).withHiddenSizes(List.of(16)).withPoolDownsample(false),
                // labels appended to a flat input and to z; as label planes before a conv body
                VaeSpec.conditional(Channels.GRAY, 8, 8, 3, 4).withHiddenSizes(List.of(24)),
                VaeSpec.conditional(Channels.GRAY, 8, 8, 3, 4).withConvFilters(List.of(4, 6)).withHiddenSizes(List.of(16)),
                // dropout masks on the last encoder and first decoder hidden layer, drawn as SameDiff's are
                VaeSpec.mlp(Channels.GRAY, 8, 8, 3).withHiddenSizes(List.of(24, 12)).withDropout(0.3),
                VaeSpec.conditional(Channels.RGB, 8, 8, 3, 4).withConvFilters(List.of(4)).withHiddenSizes(List.of(16)).withDropout(0.5),
                // two encoders (batches routed by their first label: encoder 0, 1, 0), one decoder;
                // each parameter's Adam step count differs from the decoder's
                VaeSpec.multiEncoder(Channels.GRAY, 8, 8, 3, 4, List.of(List.of(0, 1), List.of(2, 3)), List.of(1, 1))
                        .withHiddenSizes(List.of(16)),
                VaeSpec.multiEncoder(Channels.GRAY, 8, 8, 3, 4, List.of(List.of(0, 1), List.of(2, 3)), List.of(1, 1))
                        .withConvFilters(List.of(4, 6)).withHiddenSizes(List.of(16)).withDropout(0.2));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void engineMatchesSameDiffStepForStep(VaeSpec spec) {
        VaeModel fast = VaeModel.create(spec);
        VaeModel reference = VaeModel.createSameDiffOnly(spec);
        assertTrue(fast.usesEngine(), spec.architecture() + " should use the engine");
        assertFalse(reference.usesEngine());
        ImageSet set = VaeModelTest.dataFor(spec, 40);
        for (int step = 0; step < 3; step++) {
            float[] b = TestData.batch(set, step * 10, 10, spec.normalization());
            int[] labels = TestData.labels(set, step * 10, 10);
            StepResult a = fast.trainStep(b, labels, 10);
            StepResult r = reference.trainStep(b, labels, 10);
            assertEquals(r.total(), a.total(), 1e-4 * Math.abs(r.total()) + 1e-4, "loss at step " + step);
            assertEquals(r.recon(), a.recon(), 1e-4 * Math.abs(r.recon()) + 1e-4);
            assertEquals(r.kl(), a.kl(), 1e-4 * Math.abs(r.kl()) + 1e-4);
        }
        Map<String, INDArray> wa = fast.weights(), wr = reference.weights();
        assertEquals(wr.keySet(), wa.keySet());
        for (String name : wr.keySet()) {
            double diff = wa.get(name).sub(wr.get(name)).amaxNumber().doubleValue();
            assertTrue(diff < 2e-5, name + " differs by " + diff + " after 3 Adam steps");
        }
        Metrics ma = fast.evaluate(set, 0), mr = reference.evaluate(set, 0);
        assertEquals(mr.total(), ma.total(), 1e-4 * Math.abs(mr.total()));
        float[] b = TestData.batch(set, 0, 7, spec.normalization());
        int[] labels = TestData.labels(set, 0, 7);
        Encoded ea = fast.encode(b, 7, labels), er = reference.encode(b, 7, labels);
        for (int i = 0; i < 7; i++) assertArrayEquals(er.mu()[i], ea.mu()[i], 1e-4f);
        float[][] da = fast.decode(er.mu(), labels), dr = reference.decode(er.mu(), labels);
        for (int i = 0; i < 7; i++) assertArrayEquals(dr[i], da[i], 1e-5f, "decoded image " + i);
    }

    /**
     * Big enough that every split pass splits (see {@link GemmVae#PART_FLOATS}): 96 images of 28×28
     * (im2col, col2im, the permute, bias and activation, the loss), 32×32 for max pooling, a 784×64
     * and 784×400 weight for Adam, a 400-wide dropout.
     */
    static Stream<VaeSpec> splitSpecs() {
        return Stream.of(
                VaeSpec.conv(Channels.GRAY, 28, 28, 4).withConvFilters(List.of(8, 16)).withHiddenSizes(List.of(64)),
                // 5 filters: the 32×32 convs of 5 channels run as shifted products, the last as a transposed conv
                VaeSpec.vgg(Channels.GRAY, 32, 32, 4).withConvFilters(List.of(5, 5, 6)).withHiddenSizes(List.of(16)),
                VaeSpec.mlp(Channels.GRAY, 28, 28, 4).withHiddenSizes(List.of(400)).withDropout(0.3));
    }

    @ParameterizedTest
    @MethodSource("splitSpecs")
    void engineTakesTheSameStepsWithItsPassesSplitOverTwoThreads(VaeSpec spec) {
        ImageSet set = VaeModelTest.dataFor(spec, 96 * 3);
        try {
            Parts.setCount(1);
            VaeModel single = VaeModel.create(spec);
            StepResult[] expected = new StepResult[3];
            for (int step = 0; step < 3; step++) {
                expected[step] = single.trainStep(TestData.batch(set, step * 96, 96, spec.normalization()), null, 96);
            }
            Parts.setCount(2);
            VaeModel split = VaeModel.create(spec);
            for (int step = 0; step < 3; step++) {
                StepResult r = split.trainStep(TestData.batch(set, step * 96, 96, spec.normalization()), null, 96);
                assertEquals(expected[step].total(), r.total(), 1e-5 * Math.abs(r.total()), "loss at step " + step);
                assertEquals(expected[step].kl(), r.kl(), 1e-5 * Math.abs(r.kl()) + 1e-6, "KL at step " + step);
            }
            // the bias gradients and the loss are summed in two parts instead of one: float rounding only
            Map<String, INDArray> ws = single.weights(), wp = split.weights();
            for (String name : ws.keySet()) {
                double diff = wp.get(name).sub(ws.get(name)).amaxNumber().doubleValue();
                assertTrue(diff < 1e-5, name + " differs by " + diff + " after 3 Adam steps");
            }
            float[] b = TestData.batch(set, 0, 96, spec.normalization());
            Encoded es = single.encode(b, 96, null), ep = split.encode(b, 96, null);
            for (int i = 0; i < 96; i++) assertArrayEquals(es.mu()[i], ep.mu()[i], 1e-5f, "μ of image " + i);
            float[][] ds = single.decode(es.mu(), null), dp = split.decode(es.mu(), null);
            for (int i = 0; i < 96; i++) assertArrayEquals(ds[i], dp[i], 1e-5f, "decoded image " + i);
        } finally {
            Parts.setCount(1);
        }
    }

    @Test
    void checkpointRestoreReturnsToTheSavedWeightsAndKeepsTraining() {
        VaeSpec spec = VaeSpec.conv(Channels.GRAY, 8, 8, 3).withConvFilters(List.of(4, 6)).withHiddenSizes(List.of(16));
        VaeModel m = VaeModel.create(spec);
        ImageSet set = VaeModelTest.dataFor(spec, 20);
        float[] b = TestData.batch(set, 0, 10, spec.normalization());
        m.trainStep(b, null, 10);
        VaeModel.Snapshot snap = m.snapshot();
        Map<String, INDArray> saved = m.weights();
        m.trainStep(b, null, 10);
        assertNotEquals(saved.get("d_t0_W"), m.weights().get("d_t0_W"), "a step must change the weights");
        m.restore(snap);
        assertEquals(saved.get("d_t0_W"), m.weights().get("d_t0_W"));
        double before = m.evaluate(set, 0).total();
        for (int i = 0; i < 30; i++) m.trainStep(b, null, 10);
        assertTrue(m.evaluate(set, 0).total() < before, "training after restore must go on from the restored weights");
    }

    @Test
    void adamFlushesMomentsThatWouldTurnSubnormal() {
        // An all-zero input gives the first layer's weights a zero gradient: their moments only decay.
        // Left alone they go subnormal after a few hundred steps, where x86 arithmetic is ~100× slower.
        GemmVae engine = new GemmVae(VaeSpec.mlp(Channels.GRAY, 8, 8, 3).withHiddenSizes(List.of(24)));
        GemmVae.Param first = engine.params.get(0);
        assertEquals("e0_fc0_W", first.name);
        for (int i = 0; i < first.size(); i++) {
            first.m.put(i, 1e-31f);
            first.v.put(i, 1e-31f);
        }
        float[] zeros = new float[10 * 64], noise = new float[10 * 3];
        engine.step(zeros, null, noise, Map.of(), 10, 1.0, 0);
        for (int i = 0; i < first.size(); i++) {
            assertEquals(0f, first.m.get(i), "m[" + i + "] (0.9 × 1e-31 would be kept without the flush)");
            assertEquals(0f, first.v.get(i), "v[" + i + "]");
        }
        // moments of the layers that did get a gradient are kept
        GemmVae.Param out = engine.params.get(engine.params.size() - 1); // the output bias
        assertTrue(java.util.stream.IntStream.range(0, out.size()).anyMatch(i -> out.m.get(i) != 0f), out.name);
    }
}
