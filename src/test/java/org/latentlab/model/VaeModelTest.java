package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.latentlab.data.Channels;
import org.latentlab.data.ImageSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VaeModelTest {

    @BeforeAll
    static void setUp() {
        NativeSetup.init();
    }

    /** Small, fast specs of every architecture. */
    static VaeSpec small(Architecture a) {
        return switch (a) {
            case MLP_VAE -> VaeSpec.mlp(Channels.GRAY, 16, 16, 4).withHiddenSizes(List.of(64));
            case AUTOENCODER -> VaeSpec.autoencoder(Channels.GRAY, 16, 16, 4).withHiddenSizes(List.of(64));
            case CONV_VAE -> VaeSpec.conv(Channels.GRAY, 16, 16, 4).withConvFilters(List.of(8, 16)).withHiddenSizes(List.of(32));
            case VGG_VAE -> VaeSpec.vgg(Channels.GRAY, 8, 8, 4).withConvFilters(List.of(8, 8, 16)).withHiddenSizes(List.of(32));
            case RESNET_VAE -> VaeSpec.resnet(Channels.RGBD, 8, 8, 4).withConvFilters(List.of(8, 16)).withHiddenSizes(List.of(32));
            case CONDITIONAL_VAE -> VaeSpec.conditional(Channels.GRAY, 16, 16, 4, 4).withHiddenSizes(List.of(64));
            case MULTI_ENCODER_VAE -> VaeSpec.multiEncoder(Channels.GRAY, 16, 16, 4, 4,
                    List.of(List.of(0, 1), List.of(2, 3)), List.of(1, 2)).withHiddenSizes(List.of(64));
        };
    }

    static ImageSet dataFor(VaeSpec s, int n) {
        return TestData.blobs(n, s.channels(), s.height(), s.width(), 4, 5);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void lossFallsForEveryArchitecture(Architecture a) {
        VaeSpec s = small(a).withBatchSize(32).withLearningRate(a == Architecture.VGG_VAE ? 1e-2 : 3e-3);
        VaeModel m = VaeModel.create(s);
        ImageSet set = dataFor(s, 128);
        double[] losses = new double[40];
        for (int it = 0; it < losses.length; it++) {
            int from = (it * 32) % 128;
            float[] b = TestData.batch(set, from, 32, s.normalization());
            int[] labels = TestData.labels(set, from, 32);
            int enc = s.encoderCount() > 1 ? (it % 2) : 0;
            if (enc > 0) { // feed encoder 1 its own classes
                for (int k = 0; k < 32; k++) labels[k] = 2 + (k % 2);
            }
            StepResult r = s.encoderCount() > 1 ? m.trainStep(b, labels, 32, m.encoderFor(labels[0])) : m.trainStep(b, labels, 32);
            assertTrue(r.finite(), a + " step " + it + " " + r);
            losses[it] = r.total();
        }
        double first = mean(losses, 0, 5), last = mean(losses, losses.length - 5, losses.length);
        assertTrue(last < 0.9 * first, a + ": loss " + first + " -> " + last);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void fastDecoderMatchesSameDiff(Architecture a) {
        VaeSpec s = small(a);
        VaeModel m = VaeModel.create(s);
        float[][] z = {{0.3f, -1.2f, 0.8f, 2.0f}, {-0.5f, 0.1f, 0f, -1f}};
        int[] labels = {1, 3};
        // the same seed gives the same weights; m.decode itself runs on the engine where it can
        float[][] ref = VaeModel.createSameDiffOnly(s).decode(z, labels);
        FastDecoder f = m.fastDecoder();
        for (int i = 0; i < z.length; i++) {
            float[] got = f.decode(z[i], labels[i]);
            assertEquals(ref[i].length, got.length);
            double maxErr = 0;
            for (int j = 0; j < got.length; j++) maxErr = Math.max(maxErr, Math.abs(got[j] - ref[i][j]));
            assertTrue(maxErr < 1e-5, a + " max error " + maxErr);
        }
    }

    @Test
    void encodeDecodeShapes() {
        VaeSpec s = small(Architecture.CONV_VAE);
        VaeModel m = VaeModel.create(s);
        ImageSet set = dataFor(s, 7);
        Encoded e = m.encode(TestData.batch(set, 0, 7, s.normalization()), 7, set.labels());
        assertEquals(7, e.mu().length);
        assertEquals(4, e.mu()[0].length);
        assertEquals(4, e.logVar()[6].length);
        float[][] d = m.decode(e.mu(), null);
        assertEquals(7, d.length);
        assertEquals(256, d[0].length);
        for (float v : d[3]) assertTrue(v >= 0 && v <= 1);
        assertEquals(3, m.sample(3, 1, 0).length);
        assertEquals(4, m.perDimensionKl(TestData.batch(set, 0, 7, s.normalization()), 7, null).length);
    }

    /** The chunked encode straight from a set agrees with encoding one gathered batch, across chunks and encoders. */
    @ParameterizedTest
    @EnumSource(value = Architecture.class, names = {"MLP_VAE", "MULTI_ENCODER_VAE"})
    void encodingFromTheSetMatchesEncodingAGatheredBatch(Architecture a) {
        VaeSpec s = small(a);
        VaeModel m = VaeModel.create(s);
        ImageSet set = dataFor(s, 700);
        int n = 1234;   // more than two chunks, the last one partial, with repeated images
        int[] indices = new int[n];
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < n; i++) indices[i] = rnd.nextInt(set.size());
        float[] gathered = new float[n * s.inputSize()];
        set.fillNormalised(indices, 0, n, s.normalization(), gathered);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = set.label(indices[i]);

        Encoded fromSet = m.encode(set, indices), fromBatch = m.encode(gathered, n, labels);
        for (int i = 0; i < n; i++) {
            assertArrayEquals(fromBatch.mu()[i], fromSet.mu()[i], 1e-6f, a + " mu of item " + i);
            assertArrayEquals(fromBatch.logVar()[i], fromSet.logVar()[i], 1e-6f, a + " log var of item " + i);
        }
        assertArrayEquals(m.perDimensionKl(gathered, n, labels), m.perDimensionKl(set, indices), 1e-9);
    }

    @Test
    void klEqualsClosedFormOnFixedMuSigma() {
        VaeSpec s = small(Architecture.MLP_VAE);
        VaeModel m = VaeModel.create(s);
        float[] mu = {0.5f, -1f, 0f, 2f};
        float[] sigma = {1f, 0.5f, 2f, 0.1f};
        var w = m.weights();
        w.get("e0_mu_W").assign(0);
        w.get("e0_lv_W").assign(0);
        for (int j = 0; j < 4; j++) {
            w.get("e0_mu_b").putScalar(j, mu[j]);
            w.get("e0_lv_b").putScalar(j, (float) Math.log(sigma[j] * sigma[j]));
        }
        VaeModel fixed = VaeModel.withWeights(s, w, null);
        double expected = 0;
        double[] perDim = new double[4];
        for (int j = 0; j < 4; j++) {
            // KL(N(mu, sigma^2) || N(0,1)) = 0.5 (sigma^2 + mu^2 - 1 - ln sigma^2)
            perDim[j] = 0.5 * (sigma[j] * sigma[j] + mu[j] * mu[j] - 1 - Math.log(sigma[j] * sigma[j]));
            expected += perDim[j];
        }
        ImageSet set = dataFor(s, 10);
        Metrics metrics = fixed.evaluate(set, 0);
        assertEquals(expected, metrics.kl(), 1e-4);
        assertEquals(metrics.recon() + metrics.kl(), metrics.negElbo(), 1e-6);
        double[] got = fixed.perDimensionKl(TestData.batch(set, 0, 10, s.normalization()), 10, null);
        for (int j = 0; j < 4; j++) assertEquals(perDim[j], got[j], 1e-4);
        Encoded e = fixed.encode(TestData.batch(set, 0, 2, s.normalization()), 2, null);
        assertEquals(0.1f, e.sigma()[1][3], 1e-5);
    }

    @Test
    void sameSeedSameWeightsAndLosses() {
        VaeSpec s = small(Architecture.CONV_VAE).withBatchSize(16);
        ImageSet set = dataFor(s, 16);
        float[] b = TestData.batch(set, 0, 16, s.normalization());
        VaeModel a = VaeModel.create(s), c = VaeModel.create(s), other = VaeModel.create(s.withSeed(7));
        for (int i = 0; i < 3; i++) {
            StepResult ra = a.trainStep(b, null, 16), rc = c.trainStep(b, null, 16), ro = other.trainStep(b, null, 16);
            assertEquals(ra.total(), rc.total(), 0.0, "step " + i);
            assertNotEquals(ra.total(), ro.total());
        }
    }

    @Test
    void autoencoderHasNoKl() {
        VaeSpec s = small(Architecture.AUTOENCODER);
        VaeModel m = VaeModel.create(s);
        ImageSet set = dataFor(s, 8);
        Metrics mt = m.evaluate(set, 0);
        assertEquals(0.0, mt.kl());
        assertTrue(Double.isNaN(mt.negElbo()));
        assertEquals(0f, m.encode(TestData.batch(set, 0, 1, s.normalization()), 1, null).sigma()[0][0]);
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return s / (to - from);
    }
}
