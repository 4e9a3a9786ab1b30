package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.latentlab.data.Channels;
import org.latentlab.data.Normalization;

class VaeSpecTest {

    @Test
    void roundTripsThroughJsonExactly() {
        for (Architecture a : Architecture.values()) {
            VaeSpec s = VaeModelTest.small(a).withDropout(0.25).withKlWarmupSteps(123).withAdam(3.3e-4, 0.85, 0.995)
                    .withLoss(ReconstructionLoss.L1, 1000, 0.5).withSeed(-9_007_199_254_740_993L);
            VaeSpec back = VaeSpec.fromJson(s.toJson());
            assertEquals(s, back, a.name());
            assertEquals(s.toJson(), back.toJson());
        }
    }

    @Test
    void validateNamesEveryProblem() {
        VaeSpec bad = VaeSpec.conv(Channels.GRAY, 30, 28, 0).withLoss(ReconstructionLoss.BCE, 1, 1)
                .withNormalization(Normalization.MINUS_ONE_ONE).withDropout(0.95).withLearningRate(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, bad::validate);
        String m = e.getMessage();
        assertTrue(m.contains("latent size must be 1..2048"), m);
        assertTrue(m.contains("BCE needs data in [0,1]"), m);
        assertTrue(m.contains("dropout"), m);
        assertTrue(m.contains("learning rate"), m);
        assertTrue(m.contains("divisible by 4"), m);
        VaeSpec multi = VaeSpec.multiEncoder(Channels.GRAY, 28, 28, 8, 10, List.of(List.of(0, 1), List.of(12)), List.of(2));
        String mm = assertThrows(IllegalArgumentException.class, multi::validate).getMessage();
        assertTrue(mm.contains("alternation needs one step count per encoder"), mm);
        assertTrue(mm.contains("class 12 is outside"), mm);
        assertDoesNotThrow(() -> VaeSpec.conv(Channels.GRAY, 28, 28, 16).validate());
        assertDoesNotThrow(() -> VaeSpec.mlp(Channels.GRAY, 28, 28, 2048).validate());
    }

    @Test
    void anchorConvModelHasPyTorchParameterCount() {
        // PyTorch ConvVAE(16): c1 320 + c2 18496 + fc 802,1 + mu/lv 2·4112 + d1 4352 + d2 805,952 + t1 18464 + t2 289
        long torch = 320 + 18496 + (3136L * 256 + 256) + 2 * (256 * 16 + 16) + (16 * 256 + 256) + (256L * 3136 + 3136)
                + (64 * 32 * 9 + 32) + (32 * 9 + 1);
        NativeSetup.init();
        assertEquals(torch, VaeModel.create(VaeSpec.conv(Channels.GRAY, 28, 28, 16)).parameterCount());
        long mlp = (784 * 400 + 400) + 2 * (400 * 20 + 20) + (20 * 400 + 400) + (400 * 784 + 784);
        assertEquals(mlp, VaeModel.create(VaeSpec.mlp(Channels.GRAY, 28, 28, 20)).parameterCount());
    }
}
