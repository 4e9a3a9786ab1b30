package org.latentlab.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.latentlab.data.Channels;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.data.Normalization;

/** Small synthetic image sets: class k draws a bright bar whose position/orientation depends on k, plus noise. */
public final class TestData {
    private TestData() {
    }

    public static ImageSet blobs(int n, Channels ch, int h, int w, int classes, long seed) {
        Random r = new Random(seed);
        int c = ch.count();
        float[] d = new float[n * c * h * w];
        int[] labels = new int[n];
        List<String> names = new ArrayList<>();
        for (int k = 0; k < classes; k++) names.add("class" + k);
        for (int i = 0; i < n; i++) {
            int k = i % classes;
            labels[i] = k;
            boolean vertical = k % 2 == 0;
            int pos = 2 + (k * 3 + r.nextInt(2)) % Math.max(1, (vertical ? w : h) - 4);
            for (int ci = 0; ci < c; ci++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        float v;
                        if (ch.hasDepth() && ci == 3) {
                            v = 1f + 3f * y / h + (vertical ? (Math.abs(x - pos) < 2 ? -0.5f : 0f) : 0f); // metres
                        } else {
                            boolean on = vertical ? Math.abs(x - pos) < 2 : Math.abs(y - pos) < 2;
                            v = on ? 0.9f : 0.05f;
                            v += 0.05f * (float) r.nextGaussian();
                            if (ci == 1) v *= 0.8f;
                            v = Math.min(1f, Math.max(0f, v));
                        }
                        d[((i * c + ci) * h + y) * w + x] = v;
                    }
                }
            }
        }
        return ch.hasDepth() ? new ImageSet("blobs", ch, h, w, d, labels, names, 5f, 0)
                : new ImageSet("blobs", ch, h, w, d, labels, names);
    }

    public static Dataset dataset(int nTrain, int nTest, Channels ch, int h, int w, int classes, long seed) {
        return new Dataset("blobs", "synthetic", null, blobs(nTrain, ch, h, w, classes, seed),
                blobs(nTest, ch, h, w, classes, seed + 1));
    }

    /** The first n samples normalised for a model. */
    public static float[] batch(ImageSet set, int from, int n, Normalization norm) {
        int[] idx = new int[set.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        float[] out = new float[n * set.sampleLength()];
        set.fillNormalised(idx, from, n, norm, out);
        return out;
    }

    public static int[] labels(ImageSet set, int from, int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = set.label(from + i);
        return l;
    }
}
