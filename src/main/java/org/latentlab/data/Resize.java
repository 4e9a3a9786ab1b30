package org.latentlab.data;

/** Resampling of one image plane. Depth planes ignore missing (0) pixels when averaging. */
final class Resize {
    private Resize() {}

    static void plane(float[] src, int off, int sh, int sw, float[] dst, int dh, int dw, boolean depth) {
        if (dh <= sh && dw <= sw) {
            area(src, off, sh, sw, dst, dh, dw, depth);
        } else {
            bilinear(src, off, sh, sw, dst, dh, dw, depth);
        }
    }

    /** Box filter with fractional coverage at the box edges. */
    private static void area(float[] src, int off, int sh, int sw, float[] dst, int dh, int dw, boolean depth) {
        double sy = (double) sh / dh;
        double sx = (double) sw / dw;
        for (int y = 0; y < dh; y++) {
            double y0 = y * sy, y1 = y0 + sy;
            for (int x = 0; x < dw; x++) {
                double x0 = x * sx, x1 = x0 + sx;
                double sum = 0, weight = 0;
                for (int yy = (int) y0; yy < Math.min(sh, (int) Math.ceil(y1)); yy++) {
                    double wy = Math.min(y1, yy + 1) - Math.max(y0, yy);
                    for (int xx = (int) x0; xx < Math.min(sw, (int) Math.ceil(x1)); xx++) {
                        double w = wy * (Math.min(x1, xx + 1) - Math.max(x0, xx));
                        float v = src[off + yy * sw + xx];
                        if (depth && !(v > 0)) continue;
                        sum += w * v;
                        weight += w;
                    }
                }
                dst[y * dw + x] = weight > 0 ? (float) (sum / weight) : 0f;
            }
        }
    }

    private static void bilinear(float[] src, int off, int sh, int sw, float[] dst, int dh, int dw, boolean depth) {
        for (int y = 0; y < dh; y++) {
            double fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sh / dh - 0.5));
            int y0 = (int) fy, y1 = Math.min(sh - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < dw; x++) {
                double fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sw / dw - 0.5));
                int x0 = (int) fx, x1 = Math.min(sw - 1, x0 + 1);
                double tx = fx - x0;
                float a = src[off + y0 * sw + x0], b = src[off + y0 * sw + x1];
                float c = src[off + y1 * sw + x0], d = src[off + y1 * sw + x1];
                if (depth && !(a > 0 && b > 0 && c > 0 && d > 0)) {
                    // nearest neighbour near missing depth, so holes do not bleed into valid pixels
                    int nx = tx < 0.5 ? x0 : x1, ny = ty < 0.5 ? y0 : y1;
                    dst[y * dw + x] = src[off + ny * sw + nx];
                } else {
                    dst[y * dw + x] = (float) ((a * (1 - tx) + b * tx) * (1 - ty) + (c * (1 - tx) + d * tx) * ty);
                }
            }
        }
    }
}
