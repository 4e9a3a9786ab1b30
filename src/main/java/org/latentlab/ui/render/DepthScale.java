package org.latentlab.ui.render;

import org.latentlab.data.ImageSet;

/** The depth range every depth view of a set shares, so colours mean the same metres everywhere. */
public final class DepthScale {
    private DepthScale() {}

    /** [nearest valid depth, farthest depth] in metres over (up to 200 samples of) the set. */
    public static float[] of(ImageSet set) {
        if (!set.channels().hasDepth() || set.size() == 0) return new float[] {0, 1};
        float lo = Float.MAX_VALUE, hi = 0;
        int plane = set.planeSize();
        int n = Math.min(set.size(), 200);
        for (int i = 0; i < n; i++) {
            float[] s = set.sample(i);
            for (int j = 0; j < plane; j++) {
                float v = s[3 * plane + j];
                if (v > 0) {
                    if (v < lo) lo = v;
                    if (v > hi) hi = v;
                }
            }
        }
        if (lo == Float.MAX_VALUE) return new float[] {0, 1};
        return new float[] {lo, Math.max(lo + 0.01f, hi)};
    }
}
