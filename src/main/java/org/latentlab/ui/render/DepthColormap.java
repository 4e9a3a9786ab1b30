package org.latentlab.ui.render;

/**
 * Perceptually ordered colour map for depth (a compact polynomial fit of "turbo"-like ramps is
 * avoided in favour of viridis, which is colour-blind safe and prints well in grey). Missing depth
 * (0 m) is drawn black.
 */
public final class DepthColormap {
    // viridis anchor colours at 0, 1/8, ..., 1
    private static final int[] ANCHORS = {
        0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21918C, 0x28AE80, 0x5EC962, 0xADDC30, 0xFDE725
    };

    private DepthColormap() {}

    /** ARGB for a value in [0,1] (clamped). */
    public static int argb(double t) {
        if (Double.isNaN(t)) return 0xFF000000;
        t = Math.max(0, Math.min(1, t)) * (ANCHORS.length - 1);
        int i = Math.min(ANCHORS.length - 2, (int) t);
        double f = t - i;
        int a = ANCHORS[i], b = ANCHORS[i + 1];
        int r = (int) Math.round(((a >> 16) & 255) * (1 - f) + ((b >> 16) & 255) * f);
        int g = (int) Math.round(((a >> 8) & 255) * (1 - f) + ((b >> 8) & 255) * f);
        int bl = (int) Math.round((a & 255) * (1 - f) + (b & 255) * f);
        return 0xFF000000 | (r << 16) | (g << 8) | bl;
    }

    /** ARGB for a depth in metres on the scale [minM, maxM]; 0 or less (missing) is black. */
    public static int depth(float metres, float minM, float maxM) {
        if (!(metres > 0)) return 0xFF000000;
        return argb((metres - minM) / Math.max(1e-6f, maxM - minM));
    }
}
