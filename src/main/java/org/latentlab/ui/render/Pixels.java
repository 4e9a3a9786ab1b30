package org.latentlab.ui.render;

import org.latentlab.data.Channels;

/**
 * ARGB pixel arrays (row-major) from samples in stored units: colour planes in [0,1], depth in
 * metres. No JavaFX here, so the command line renders PNGs with the same code as the GUI.
 */
public final class Pixels {
    private Pixels() {}

    /** ARGB pixels (row-major, h×w) of the colour part of a sample. */
    public static int[] colour(float[] sample, Channels channels, int h, int w) {
        int plane = h * w;
        int[] px = new int[plane];
        for (int j = 0; j < plane; j++) {
            int r, g, b;
            if (channels == Channels.GRAY) {
                r = g = b = to8(sample[j]);
            } else {
                r = to8(sample[j]);
                g = to8(sample[plane + j]);
                b = to8(sample[2 * plane + j]);
            }
            px[j] = 0xFF000000 | (r << 16) | (g << 8) | b;
        }
        return px;
    }

    /** ARGB pixels of the depth plane of an RGB-D sample on the scale [minM, maxM]. */
    public static int[] depth(float[] sample, int h, int w, float minM, float maxM) {
        int plane = h * w;
        int[] px = new int[plane];
        for (int j = 0; j < plane; j++) px[j] = DepthColormap.depth(sample[3 * plane + j], minM, maxM);
        return px;
    }

    /** ARGB pixels of a signed per-pixel error map (blue negative, white zero, red positive). */
    public static int[] error(float[] a, float[] b, int offset, int plane, float scale) {
        int[] px = new int[plane];
        for (int j = 0; j < plane; j++) {
            float e = Math.max(-1f, Math.min(1f, (b[offset + j] - a[offset + j]) / scale));
            int hi = 255, lo = (int) Math.round(255 * (1 - Math.abs(e)));
            px[j] = e >= 0 ? 0xFF000000 | (hi << 16) | (lo << 8) | lo : 0xFF000000 | (lo << 16) | (lo << 8) | hi;
        }
        return px;
    }

    /** White pixels between and around the cells of a {@link #grid}. */
    public static final int GRID_GAP = 2;

    /** Lays images out in a grid with a GRID_GAP white gap; RGB-D cells show colour and depth side by side. */
    public static Sheet grid(java.util.List<float[]> images, int rows, int cols, Channels ch, int h, int w, float depthMin, float depthMax) {
        int gap = GRID_GAP;
        int cellW = ch.hasDepth() ? 2 * w + 1 : w;
        int W = cols * cellW + (cols + 1) * gap, H = rows * h + (rows + 1) * gap;
        int[] px = new int[W * H];
        java.util.Arrays.fill(px, 0xFFFFFFFF);
        for (int k = 0; k < Math.min(images.size(), rows * cols); k++) {
            int ox = gap + (k % cols) * (cellW + gap), oy = gap + (k / cols) * (h + gap);
            blit(px, W, ox, oy, colour(images.get(k), ch, h, w), w, h);
            if (ch.hasDepth()) blit(px, W, ox + w + 1, oy, depth(images.get(k), h, w, depthMin, depthMax), w, h);
        }
        return new Sheet(px, W, H);
    }

    /** Pixels with their size. */
    public record Sheet(int[] argb, int width, int height) {
        /** As a java.awt image, magnified by an integer factor (nearest neighbour). */
        public java.awt.image.BufferedImage toBufferedImage(int scale) {
            int s = Math.max(1, scale);
            var img = new java.awt.image.BufferedImage(width * s, height * s, java.awt.image.BufferedImage.TYPE_INT_ARGB);
            for (int y = 0; y < height * s; y++) {
                for (int x = 0; x < width * s; x++) img.setRGB(x, y, argb[(y / s) * width + x / s]);
            }
            return img;
        }
    }

    private static void blit(int[] dst, int dstW, int ox, int oy, int[] src, int w, int h) {
        for (int y = 0; y < h; y++) System.arraycopy(src, y * w, dst, (oy + y) * dstW + ox, w);
    }

    static int to8(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
