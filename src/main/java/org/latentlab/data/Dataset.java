package org.latentlab.data;

import java.nio.file.Path;
import java.util.Random;

/**
 * A named dataset as read from one source: its train and test image sets (same shape, channels
 * and classes) and where it came from.
 *
 * @param format human-readable format, e.g. "IDX (gzip)", "CIFAR-10 binary"
 */
public record Dataset(String name, String format, Path source, ImageSet train, ImageSet test) {

    /**
     * Splits one set into train and test, per class so every class keeps its share; deterministic
     * for a seed.
     */
    public static Dataset split(String name, String format, Path source, ImageSet all, double testFraction, long seed) {
        if (testFraction <= 0 || all.size() < 2) {
            return new Dataset(name, format, source, all, all.head(0));
        }
        int n = all.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Random rnd = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i]; order[i] = order[j]; order[j] = t;
        }
        int classes = Math.max(1, all.classCount());
        int[] seen = new int[classes + 1];
        int[] total = all.classCounts();
        int[] train = new int[n];
        int[] test = new int[n];
        int nTrain = 0, nTest = 0;
        for (int i : order) {
            int l = all.label(i);
            int c = (l >= 0 && l < classes) ? l : classes;
            int classTotal = c < total.length ? total[c] : n;
            int wantTest = (int) Math.round(classTotal * testFraction);
            if (seen[c]++ < wantTest) test[nTest++] = i; else train[nTrain++] = i;
        }
        java.util.Arrays.sort(train, 0, nTrain);
        java.util.Arrays.sort(test, 0, nTest);
        return new Dataset(name, format, source,
                all.subset(java.util.Arrays.copyOf(train, nTrain)),
                all.subset(java.util.Arrays.copyOf(test, nTest)));
    }

    public Channels channels() { return train.channels(); }
    public int height() { return train.height(); }
    public int width() { return train.width(); }

    /** Both sets resized and converted per the options (no copy when nothing changes). */
    public Dataset adapted(LoadOptions options) {
        ImageSet tr = train, te = test;
        if (options.channels() != null) {
            tr = tr.withChannels(options.channels());
            te = te.withChannels(options.channels());
        }
        if (options.height() > 0 && options.width() > 0) {
            tr = tr.resized(options.height(), options.width());
            te = te.resized(options.height(), options.width());
        }
        return new Dataset(name, format, source, tr, te);
    }

    @Override
    public String toString() {
        return name + " (" + format + "): train " + train.size() + ", test " + test.size() + ", "
                + channels() + " " + height() + "×" + width() + ", " + train.classCount() + " classes";
    }
}
