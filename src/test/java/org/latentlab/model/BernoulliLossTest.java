package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BernoulliLossTest {
    /** The textbook formula in double: softplus(l) − l·t and sigmoid(l) − t. */
    private static double referenceLoss(float l, float t) {
        return Math.max(l, 0) - (double) l * t + Math.log1p(Math.exp(-Math.abs((double) l)));
    }

    private static double sigmoid(double l) {
        return 1 / (1 + Math.exp(-l));
    }

    @Test
    void lossAndGradientMatchTheDoubleFormulaOverTheWholeRange() {
        Random r = new Random(3);
        int m = 4096;
        float[] logits = new float[m], targets = new float[m], grad = new float[m];
        for (int i = 0; i < m; i++) {
            // wide logits (saturated pixels), tiny ones and exact zeros; targets as pixel intensities
            logits[i] = switch (i % 4) {
                case 0 -> (float) (r.nextGaussian() * 30);
                case 1 -> (float) (r.nextGaussian() * 1e-4);
                case 2 -> i % 8 == 2 ? 0f : (float) (r.nextGaussian() * 3);
                default -> (float) (r.nextGaussian() * 200);
            };
            targets[i] = r.nextBoolean() ? 0f : r.nextFloat();
        }
        float scale = 1f / 128;
        BernoulliLoss loss = new BernoulliLoss(m);
        double sum = loss.chunk(logits, targets, grad, m, scale);
        double expected = 0;
        for (int i = 0; i < m; i++) {
            expected += referenceLoss(logits[i], targets[i]);
            double g = scale * (sigmoid(logits[i]) - targets[i]);
            assertEquals(g, grad[i], 2e-7 * scale, "gradient at logit " + logits[i]);
        }
        assertEquals(expected, sum, 1e-6 * expected);
        // the same sum without a gradient, and a partial chunk
        assertEquals(sum, loss.chunk(logits, targets, null, m, scale), 0);
        double head = 0;
        for (int i = 0; i < 1001; i++) head += referenceLoss(logits[i], targets[i]);
        assertEquals(head, loss.chunk(logits, targets, grad, 1001, scale), 1e-6 * head);
    }

    @Test
    void aNanLogitGivesANanLoss() {
        float[] logits = {0.5f, Float.NaN, -2f}, targets = {1f, 0f, 0.5f};
        double sum = new BernoulliLoss(8).chunk(logits, targets, new float[3], 3, 1f);
        assertTrue(Double.isNaN(sum), "NaN must reach the NaN guard, got " + sum);
    }
}
