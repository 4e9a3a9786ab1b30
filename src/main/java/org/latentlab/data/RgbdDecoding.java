package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small decoding helpers for the RGB-D readers: an RGB image (PNG or JPEG) to colour planes in
 * [0,1], a grey PNG to raw depth samples with its bit depth, and the crop-to-aspect + area
 * resampling that every RGB-D reader uses. Every failure becomes a {@link DataException} naming
 * the file.
 */
final class RgbdDecoding {
    /** Largest image accepted (pixels): guards against corrupt headers that claim huge sizes. */
    static final long MAX_PIXELS = 64L * 1024 * 1024;

    private RgbdDecoding() {}

    /** Raw grey samples of a depth image and their bit depth (8 or 16). */
    record GreySamples(int height, int width, int bits, int[] values) {}

    /**
     * Decodes an image file with javax.imageio after checking that it exists, is not empty and
     * has a sane size. Never returns null.
     */
    static BufferedImage read(Path file) {
        long bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DataException(file, "", "no such file");
            }
            bytes = Files.size(file);
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read: " + e.getMessage(), e);
        }
        if (bytes == 0) {
            throw new DataException(file, "", "empty file (0 bytes): not an image");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new DataException(file, "", "cannot open image stream");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "", "unreadable image: not a PNG or JPEG file (unknown format)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                    throw new DataException(file, "header", "unreadable image: implausible size " + w + "×" + h);
                }
                BufferedImage img = reader.read(0);
                if (img == null || img.getWidth() != w || img.getHeight() != h) {
                    throw new DataException(file, "", "unreadable image: decoder returned no image");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (DataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DataException(file, "", "unreadable or corrupt image (" + why + ")", e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // a corrupt header can make a decoder allocate or recurse without bound
            throw new DataException(file, "", "unreadable or corrupt image (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /**
     * Colour planes R, G, B in [0,1], planar (3 × h × w). Grey images are copied to the three
     * planes (raw samples, no colour-space conversion); palette and colour images go through
     * {@code getRGB} (8 bits per channel); alpha is ignored.
     */
    static float[] rgbPlanes(BufferedImage img, Path file) {
        int w = img.getWidth(), h = img.getHeight(), plane = w * h;
        float[] out = new float[3 * plane];
        Raster r = img.getRaster();
        int bits = r.getSampleModel().getSampleSize(0);
        boolean grey = !(img.getColorModel() instanceof java.awt.image.IndexColorModel)
                && img.getColorModel().getColorSpace().getNumComponents() == 1;
        if (grey) {
            float scale = 1f / ((1 << Math.min(16, bits)) - 1);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = Math.min(1f, row[x] * scale);
                    out[y * w + x] = v;
                    out[plane + y * w + x] = v;
                    out[2 * plane + y * w + x] = v;
                }
            }
            return out;
        }
        int[] argb = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, argb, 0, w);
            for (int x = 0; x < w; x++) {
                int p = argb[x];
                out[y * w + x] = ((p >> 16) & 0xFF) / 255f;
                out[plane + y * w + x] = ((p >> 8) & 0xFF) / 255f;
                out[2 * plane + y * w + x] = (p & 0xFF) / 255f;
            }
        }
        return out;
    }

    /**
     * Raw samples of a single-channel grey image with their bit depth. A colour image, or a grey
     * one of another bit depth than 8 or 16, is a {@link DataException}.
     */
    static GreySamples greySamples(BufferedImage img, Path file) {
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        int colourComponents = img.getColorModel().getColorSpace().getNumComponents();
        if (colourComponents != 1 || bands > 2) {
            throw new DataException(file, "", "depth image must be single-channel grey, found "
                    + bands + " bands (" + describe(img) + ")");
        }
        int bits = r.getSampleModel().getSampleSize(0);
        if (bits != 8 && bits != 16) {
            throw new DataException(file, "", "depth image must be 8- or 16-bit grey, found " + bits + "-bit");
        }
        int w = img.getWidth(), h = img.getHeight();
        int[] values = new int[w * h];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            r.getSamples(0, y, w, 1, 0, row);
            System.arraycopy(row, 0, values, y * w, w);
        }
        return new GreySamples(h, w, bits, values);
    }

    /** "16-bit grey", "8-bit RGB" and the like, for messages. */
    static String describe(BufferedImage img) {
        Raster r = img.getRaster();
        int bits = r.getSampleModel().getSampleSize(0);
        int comps = img.getColorModel().getColorSpace().getNumComponents();
        String kind = comps == 1 ? "grey" : "colour";
        if (img.getColorModel().hasAlpha()) kind += "+alpha";
        return bits + "-bit " + kind;
    }

    /**
     * The size to produce for a source of sh × sw when the options ask for height × width (0 =
     * keep): both 0 gives the fallback (or the source size when fallback is null); one 0 is
     * derived from the other by the source's aspect ratio.
     */
    static int[] targetSize(int sh, int sw, int height, int width, int[] fallback) {
        if (height > 0 && width > 0) return new int[] {height, width};
        if (height > 0) return new int[] {height, Math.max(1, (int) Math.round((double) height * sw / sh))};
        if (width > 0) return new int[] {Math.max(1, (int) Math.round((double) width * sh / sw)), width};
        return fallback != null ? fallback.clone() : new int[] {sh, sw};
    }

    /**
     * Resamples one plane to dh × dw keeping the aspect ratio: the largest centred region of the
     * source with the target's aspect is taken, then area-averaged (or interpolated when
     * enlarging) by {@link Resize}. Depth planes ignore missing (0) pixels.
     */
    static void cropResize(float[] src, int srcOff, int sh, int sw, float[] dst, int dstOff, int dh, int dw,
                           boolean depth) {
        int ch = sh, cw = sw;
        // crop to the target aspect: compare sh/sw with dh/dw without rounding issues
        if ((long) sh * dw > (long) dh * sw) {
            ch = (int) Math.max(1, Math.round((double) sw * dh / dw));
        } else if ((long) sh * dw < (long) dh * sw) {
            cw = (int) Math.max(1, Math.round((double) sh * dw / dh));
        }
        int y0 = (sh - ch) / 2, x0 = (sw - cw) / 2;
        float[] crop;
        int cropOff;
        if (ch == sh && cw == sw) {
            crop = src;
            cropOff = srcOff;
        } else {
            crop = new float[ch * cw];
            cropOff = 0;
            for (int y = 0; y < ch; y++) {
                System.arraycopy(src, srcOff + (y0 + y) * sw + x0, crop, y * cw, cw);
            }
        }
        if (ch == dh && cw == dw) {
            System.arraycopy(crop, cropOff, dst, dstOff, dh * dw);
            return;
        }
        float[] out = new float[dh * dw];
        Resize.plane(crop, cropOff, ch, cw, out, dh, dw, depth);
        System.arraycopy(out, 0, dst, dstOff, dh * dw);
    }

    /** Whether a depth value in metres is a valid reading (finite and positive). */
    static boolean validDepth(float v) {
        return v > 0 && v < Float.POSITIVE_INFINITY;
    }
}
