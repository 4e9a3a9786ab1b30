package org.latentlab.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled set of equally sized images held in one float array, sample-major and planar per
 * sample (channel, row, column). Colour planes are in [0,1]; the depth plane of an RGB-D set is in
 * metres (0 = missing), with {@link #depthMaxMetres()} as the scale used to normalise it.
 * Immutable: every transformation returns a new set.
 */
public final class ImageSet {
    private final String name;
    private final Channels channels;
    private final int height;
    private final int width;
    private final float[] data;
    private final int[] labels;
    private final List<String> classNames;
    private final float depthMaxMetres;
    private final long maskedDepthPixels;

    public ImageSet(String name, Channels channels, int height, int width, float[] data, int[] labels,
                    List<String> classNames, float depthMaxMetres, long maskedDepthPixels) {
        this.name = Objects.requireNonNull(name);
        this.channels = Objects.requireNonNull(channels);
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image size must be positive: " + height + "x" + width);
        }
        this.height = height;
        this.width = width;
        int len = channels.count() * height * width;
        if (data.length % len != 0 || data.length / len != labels.length) {
            throw new IllegalArgumentException("data length " + data.length + " does not hold "
                    + labels.length + " samples of " + len + " values");
        }
        this.data = data;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        this.depthMaxMetres = depthMaxMetres;
        this.maskedDepthPixels = maskedDepthPixels;
    }

    /** A set without depth. */
    public ImageSet(String name, Channels channels, int height, int width, float[] data, int[] labels,
                    List<String> classNames) {
        this(name, channels, height, width, data, labels, classNames, 0f, 0);
    }

    public String name() { return name; }
    public Channels channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int size() { return labels.length; }
    public List<String> classNames() { return classNames; }
    public int classCount() { return classNames.size(); }
    public float depthMaxMetres() { return depthMaxMetres; }
    /** Depth pixels that were NaN, infinite or not positive and were set to 0 (missing). */
    public long maskedDepthPixels() { return maskedDepthPixels; }

    public int planeSize() { return height * width; }
    public int sampleLength() { return channels.count() * height * width; }
    public int label(int i) { return labels[i]; }
    public int[] labels() { return labels.clone(); }

    /** Shape of one sample as channels, height, width. */
    public int[] shape() { return new int[] {channels.count(), height, width}; }

    public float value(int sample, int channel, int y, int x) {
        return data[sample * sampleLength() + (channel * height + y) * width + x];
    }

    /** A copy of sample i in stored units (colour [0,1], depth metres). */
    public float[] sample(int i) {
        int len = sampleLength();
        return Arrays.copyOfRange(data, i * len, (i + 1) * len);
    }

    /** Read-only view for renderers and batchers that must not copy the whole set. */
    float[] raw() { return data; }

    /**
     * Writes samples {@code indices[from..from+count)} normalised for a model into dst
     * (count × sampleLength values, same planar layout).
     */
    public void fillNormalised(int[] indices, int from, int count, Normalization norm, float[] dst) {
        int len = sampleLength();
        int plane = planeSize();
        int colourLen = channels.colourCount() * plane;
        float depthScale = depthMaxMetres > 0 ? 1f / depthMaxMetres : 1f;
        for (int k = 0; k < count; k++) {
            int src = indices[from + k] * len;
            int out = k * len;
            for (int j = 0; j < colourLen; j++) {
                dst[out + j] = norm.apply(data[src + j]);
            }
            for (int j = colourLen; j < len; j++) {
                float unit = Math.min(1f, Math.max(0f, data[src + j] * depthScale));
                dst[out + j] = norm.apply(unit);
            }
        }
    }

    /** Converts a normalised model output back to stored units (inverse of fillNormalised). */
    public float[] denormalise(float[] values, Normalization norm) {
        float[] out = new float[values.length];
        int len = sampleLength();
        int colourLen = channels.colourCount() * planeSize();
        for (int j = 0; j < values.length; j++) {
            float unit = Math.min(1f, Math.max(0f, norm.invert(values[j])));
            out[j] = (j % len) < colourLen ? unit : unit * depthMaxMetres;
        }
        return out;
    }

    public int[] classCounts() {
        int[] counts = new int[Math.max(1, classNames.size())];
        for (int l : labels) {
            if (l >= 0 && l < counts.length) counts[l]++;
        }
        return counts;
    }

    /** Minimum and maximum of each plane over the whole set: [channel][0=min,1=max]. */
    public float[][] valueRanges() {
        int c = channels.count();
        float[][] r = new float[c][] ;
        for (int ch = 0; ch < c; ch++) r[ch] = new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        int len = sampleLength();
        int plane = planeSize();
        for (int i = 0; i < size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = i * len + ch * plane;
                float lo = r[ch][0], hi = r[ch][1];
                for (int j = 0; j < plane; j++) {
                    float v = data[base + j];
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
                r[ch][0] = lo;
                r[ch][1] = hi;
            }
        }
        return r;
    }

    /** The samples at the given indices, in that order. */
    public ImageSet subset(int[] indices) {
        int len = sampleLength();
        float[] d = new float[indices.length * len];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(data, indices[k] * len, d, k * len, len);
            l[k] = labels[indices[k]];
        }
        return new ImageSet(name, channels, height, width, d, l, classNames, depthMaxMetres, maskedDepthPixels);
    }

    /** The first n samples (or all if fewer). */
    public ImageSet head(int n) {
        if (n >= size()) return this;
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        return subset(idx);
    }

    /** Resized with area averaging (shrinking) or bilinear interpolation (enlarging). */
    public ImageSet resized(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) return this;
        int c = channels.count();
        int len = sampleLength();
        int newPlane = newHeight * newWidth;
        float[] d = new float[size() * c * newPlane];
        float[] out = new float[newPlane];
        for (int i = 0; i < size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                boolean depth = channels.hasDepth() && ch == 3;
                Resize.plane(data, i * len + ch * planeSize(), height, width, out, newHeight, newWidth, depth);
                System.arraycopy(out, 0, d, (i * c + ch) * newPlane, newPlane);
            }
        }
        return new ImageSet(name, channels, newHeight, newWidth, d, labels, classNames, depthMaxMetres, maskedDepthPixels);
    }

    /** Converted to another channel layout: colour to grey by luminance, grey to colour by copying,
     * RGB-D to RGB or GRAY by dropping depth. Adding depth is impossible and throws. */
    public ImageSet withChannels(Channels target) {
        if (target == channels) return this;
        if (target == Channels.RGBD) {
            throw new IllegalArgumentException(name + " has no depth: cannot convert " + channels + " to RGBD");
        }
        int plane = planeSize();
        int len = sampleLength();
        int newLen = target.count() * plane;
        float[] d = new float[size() * newLen];
        for (int i = 0; i < size(); i++) {
            int src = i * len;
            int dst = i * newLen;
            if (target == Channels.GRAY) {
                if (channels == Channels.GRAY) {
                    System.arraycopy(data, src, d, dst, plane);
                } else {
                    for (int j = 0; j < plane; j++) {
                        d[dst + j] = 0.299f * data[src + j] + 0.587f * data[src + plane + j]
                                + 0.114f * data[src + 2 * plane + j];
                    }
                }
            } else { // RGB
                if (channels == Channels.GRAY) {
                    for (int ch = 0; ch < 3; ch++) System.arraycopy(data, src, d, dst + ch * plane, plane);
                } else {
                    System.arraycopy(data, src, d, dst, 3 * plane);
                }
            }
        }
        return new ImageSet(name, target, height, width, d, labels, classNames,
                target.hasDepth() ? depthMaxMetres : 0f, target.hasDepth() ? maskedDepthPixels : 0);
    }

    /** Same data with other class names (as many as the labels need). */
    public ImageSet withClassNames(List<String> names) {
        return new ImageSet(name, channels, height, width, data, labels, names, depthMaxMetres, maskedDepthPixels);
    }

    /** Same data under another name. */
    public ImageSet named(String newName) {
        return new ImageSet(newName, channels, height, width, data, labels, classNames, depthMaxMetres, maskedDepthPixels);
    }

    @Override
    public String toString() {
        return name + " [" + size() + " × " + channels + " " + height + "×" + width + ", "
                + classNames.size() + " classes]";
    }
}
