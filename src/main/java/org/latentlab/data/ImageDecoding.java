package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decoding of image files (PNG, JPEG, BMP, GIF through {@code javax.imageio}) and their conversion
 * to the planar float layout of {@link ImageSet}. Shared by the image-folder and RGB-D readers.
 *
 * <ul>
 *   <li>{@link #read(Path)}: the first image of a file, or a {@link DataException} naming the file
 *       for a missing, zero-byte, unrecognised, truncated or corrupt one (also for absurd declared
 *       sizes, before any pixel memory is allocated).</li>
 *   <li>{@link #planes(BufferedImage, Channels, int, int)}: colour planes in [0,1] at a requested
 *       size (area-averaged when shrinking, bilinear when enlarging, as {@link ImageSet#resized}),
 *       transparency composited over white.</li>
 * </ul>
 * Thread-safe: every call uses its own reader.
 */
public final class ImageDecoding {
    /** File extensions (lower case, no dot) read as images. */
    public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");
    /** More pixels than this in one image is a corrupt header rather than a picture (≈ 67 megapixels). */
    public static final long MAX_PIXELS = 1L << 26;
    /**
     * Declared pixels per file byte beyond which a header is taken as corrupt: far above what
     * PNG, JPEG or GIF reach on real pictures (a flat colour compresses to a few hundred pixels a
     * byte), so only headers that lie are caught, before a huge raster is allocated.
     */
    static final long MAX_PIXELS_PER_BYTE = 4096;
    /** Image files larger than this (1 GiB) are not read. */
    static final long MAX_FILE_BYTES = 1L << 30;
    /** Below this many pixels the size check above does not apply. */
    static final long SMALL_PIXELS = 1L << 22;
    /** Channel differences (out of 255) up to this count as grey: JPEG leaves small chroma noise. */
    static final int GREY_TOLERANCE = 3;

    private ImageDecoding() {}

    /** True when the file name ends in one of {@link #EXTENSIONS} (any case). */
    public static boolean isImageFile(Path file) {
        String n = LoadSupport.fileName(file);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Reads the first image of a file.
     *
     * @throws DataException naming the file when it is missing, a directory, empty, not an image
     *                       any installed reader recognises, declares an absurd size, is truncated
     *                       or fails to decode
     */
    public static BufferedImage read(Path file) {
        return read(file, 0, 0);
    }

    /**
     * As {@link #read(Path)}, but an image more than 4 times larger than the given size in both
     * directions is decoded with source subsampling (keeping at least 4 source pixels per target
     * pixel each way), which bounds the memory of very large photos. 0 = no subsampling.
     */
    public static BufferedImage read(Path file, int targetHeight, int targetWidth) {
        long size;
        try {
            if (Files.isDirectory(file)) throw new DataException(file, "", "is a directory, not an image file");
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new DataException(file, "", "no such file", e);
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read: " + LoadSupport.describe(e), e);
        }
        if (size == 0) throw new DataException(file, "", "empty file (0 bytes), not an image");
        if (size > MAX_FILE_BYTES) throw new DataException(file, "", "file of " + size + " bytes is too large for an image");
        byte[] bytes;
        try {
            // one read into memory: ImageIO's file stream makes a system call for every few bytes
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read: " + LoadSupport.describe(e), e);
        }
        ImageReader reader = null;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new DataException(file, "", "not a readable image: no PNG, JPEG, BMP or GIF reader recognises its contents");
            }
            reader = readers.next();
            reader.setInput(in, true, true);
            String format = reader.getFormatName();
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            if (w <= 0 || h <= 0 || (long) w * h > MAX_PIXELS) {
                throw new DataException(file, "header", format + " image declares an absurd size " + w + "×" + h
                        + " (the file is corrupt or not a picture)");
            }
            if ((long) w * h > Math.max(SMALL_PIXELS, bytes.length * MAX_PIXELS_PER_BYTE)) {
                throw new DataException(file, "header", format + " image declares " + w + "×" + h
                        + " pixels, more than a file of " + bytes.length + " bytes can hold (the header is corrupt)");
            }
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            ImageReadParam param = reader.getDefaultReadParam();
            if (targetHeight > 0 && targetWidth > 0) {
                int step = Math.min(h / (4 * targetHeight), w / (4 * targetWidth));
                if (step >= 2) param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage img = reader.read(0, param);
            for (String warning : warnings) {
                String lw = warning.toLowerCase(Locale.ROOT);
                if (lw.contains("truncated") || lw.contains("premature end")) {
                    throw new DataException(file, "", format + " image is truncated: " + warning);
                }
            }
            if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw new DataException(file, "", format + " file holds no image");
            }
            return img;
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(file, "", "cannot decode the image (corrupt, truncated or an unsupported variant): "
                    + LoadSupport.describe(e), e);
        } catch (RuntimeException e) {
            // the JDK decoders throw unchecked exceptions (array index, negative size, ...) on crafted input
            throw new DataException(file, "", "corrupt image: " + LoadSupport.describe(e), e);
        } finally {
            if (reader != null) reader.dispose();
        }
    }

    /**
     * The image as planes of {@code channels} at {@code height}×{@code width}: planar, row-major,
     * values in [0,1]. GRAY gives one plane (the stored grey value for grey images, luminance
     * 0.299 R + 0.587 G + 0.114 B for colour ones); RGB gives three (a grey image is copied to
     * all three); RGBD gives the three colour planes only (3·h·w values: depth comes from another
     * file and is the caller's to append). Transparent pixels are composited over white. Grey
     * images with 16 bits per sample keep their precision.
     */
    public static float[] planes(BufferedImage img, Channels channels, int height, int width) {
        float[] result = new float[channels.colourCount() * height * width];
        planes(img, channels, height, width, result, 0);
        return result;
    }

    /**
     * As {@link #planes(BufferedImage, Channels, int, int)}, written into {@code dst} from
     * {@code offset} ({@code channels.colourCount() · height · width} values), so that a reader
     * filling one large array makes no garbage per image.
     */
    public static void planes(BufferedImage img, Channels channels, int height, int width, float[] dst, int offset) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive: " + height + "×" + width);
        }
        int sh = img.getHeight(), sw = img.getWidth();
        int out = channels.colourCount();
        int plane = height * width;
        if (offset < 0 || dst.length - offset < (long) out * plane) {
            throw new IllegalArgumentException("destination too small for " + out + " planes of " + height + "×" + width);
        }
        boolean sameSize = sh == height && sw == width;
        if (isGreyModel(img)) {
            if (sameSize) {
                greyPlane(img, dst, offset);
            } else {
                float[] full = new float[sh * sw];
                greyPlane(img, full, 0);
                resizeInto(full, sh, sw, dst, offset, height, width);
            }
            for (int c = 1; c < out; c++) System.arraycopy(dst, offset, dst, offset + c * plane, plane);
            return;
        }
        // colour: one pass over the rows fills every plane needed (by channel when the image is huge);
        // at the target size the planes are written straight into dst
        boolean gray = channels == Channels.GRAY;
        int planesAtOnce = gray || sameSize || (long) sh * sw <= (1L << 22) ? out : 1;
        float[][] bufs = new float[planesAtOnce][];
        int[] offs = new int[planesAtOnce];
        if (!sameSize) {
            for (int k = 0; k < planesAtOnce; k++) bufs[k] = new float[sh * sw];
        }
        int[] row = new int[sw];
        int[] samples = new int[sw * 4];
        boolean direct = isPlain8BitRgb(img);
        for (int first = 0; first < out; first += planesAtOnce) {
            for (int k = 0; k < planesAtOnce; k++) {
                if (sameSize) {
                    bufs[k] = dst;
                    offs[k] = offset + (first + k) * plane;
                }
            }
            for (int y = 0; y < sh; y++) {
                argbRow(img, y, row, samples, direct);
                int base = y * sw;
                if (gray) {
                    float[] b0 = bufs[0];
                    int o = offs[0] + base;
                    for (int x = 0; x < sw; x++) {
                        int p = row[x];
                        int r = composite(p, 16), g = composite(p, 8), b = composite(p, 0);
                        b0[o + x] = (r == g && g == b) ? UNIT[r]
                                : Math.min(1f, (0.299f * r + 0.587f * g + 0.114f * b) / 255f);
                    }
                } else {
                    for (int k = 0; k < planesAtOnce; k++) {
                        float[] bk = bufs[k];
                        int o = offs[k] + base;
                        int shift = 16 - 8 * (first + k);
                        for (int x = 0; x < sw; x++) bk[o + x] = UNIT[composite(row[x], shift)];
                    }
                }
            }
            if (!sameSize) {
                for (int k = 0; k < planesAtOnce; k++) {
                    resizeInto(bufs[k], sh, sw, dst, offset + (first + k) * plane, height, width);
                }
            }
        }
    }

    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) UNIT[i] = i / 255f;
    }

    private static void resizeInto(float[] full, int sh, int sw, float[] dst, int off, int h, int w) {
        if (sh == h && sw == w) {
            System.arraycopy(full, 0, dst, off, h * w);
            return;
        }
        float[] small = new float[h * w];
        Resize.plane(full, 0, sh, sw, small, h, w, false);
        System.arraycopy(small, 0, dst, off, h * w);
    }

    /** 8-bit sRGB samples in R, G, B(, A) band order, not premultiplied: the raster holds the values getRGB gives. */
    private static boolean isPlain8BitRgb(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel || cm.isAlphaPremultiplied() || !cm.getColorSpace().isCS_sRGB()) return false;
        int n = cm.getNumComponents();
        if (cm.getNumColorComponents() != 3 || (n != 3 && n != 4) || img.getRaster().getNumBands() != n) return false;
        for (int c = 0; c < n; c++) {
            if (cm.getComponentSize(c) != 8) return false;
        }
        return true;
    }

    /** One row as non-premultiplied ARGB ints. */
    private static void argbRow(BufferedImage img, int y, int[] row, int[] samples, boolean direct) {
        int sw = img.getWidth();
        if (!direct) {
            img.getRGB(0, y, sw, 1, row, 0, sw);
            return;
        }
        Raster r = img.getRaster();
        int bands = r.getNumBands();
        r.getPixels(0, y, sw, 1, samples);
        for (int x = 0, i = 0; x < sw; x++, i += bands) {
            int a = bands == 4 ? samples[i + 3] : 255;
            row[x] = a << 24 | samples[i] << 16 | samples[i + 1] << 8 | samples[i + 2];
        }
    }

    /**
     * Whether the image shows colour: false for grey colour models, grey palettes and colour
     * images whose channels never differ by more than a few levels (after compositing over white).
     */
    public static boolean isColour(BufferedImage img) {
        if (isGreyModel(img)) return false;
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            boolean grey = true;
            for (int i = 0; i < icm.getMapSize() && grey; i++) {
                grey = Math.abs(icm.getRed(i) - icm.getGreen(i)) <= GREY_TOLERANCE
                        && Math.abs(icm.getGreen(i) - icm.getBlue(i)) <= GREY_TOLERANCE;
            }
            if (grey) return false;
        }
        int sw = img.getWidth();
        int[] row = new int[sw];
        int[] samples = new int[sw * 4];
        boolean direct = isPlain8BitRgb(img);
        for (int y = 0; y < img.getHeight(); y++) {
            argbRow(img, y, row, samples, direct);
            for (int p : row) {
                int r = composite(p, 16), g = composite(p, 8), b = composite(p, 0);
                if (Math.abs(r - g) > GREY_TOLERANCE || Math.abs(g - b) > GREY_TOLERANCE
                        || Math.abs(r - b) > GREY_TOLERANCE) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One 8-bit channel (at shift 16, 8 or 0) of an ARGB pixel composited over white. */
    private static int composite(int argb, int shift) {
        int a = argb >>> 24;
        int v = (argb >> shift) & 0xFF;
        if (a == 255) return v;
        return (v * a + 255 * (255 - a) + 127) / 255;
    }

    /** A grey colour space read straight from the raster: getRGB would apply a gamma conversion. */
    private static boolean isGreyModel(BufferedImage img) {
        ColorModel cm = img.getColorModel();
        if (cm instanceof IndexColorModel) return false;
        int bands = img.getRaster().getNumBands();
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY && (bands == 1 || bands == 2)
                && cm.getNumColorComponents() == 1;
    }

    private static void greyPlane(BufferedImage img, float[] full, int offset) {
        Raster r = img.getRaster();
        ColorModel cm = img.getColorModel();
        int sh = img.getHeight(), sw = img.getWidth();
        boolean alpha = cm.hasAlpha() && r.getNumBands() == 2;
        float max = (float) ((1L << cm.getComponentSize(0)) - 1);
        float amax = alpha ? (float) ((1L << cm.getComponentSize(1)) - 1) : 1f;
        int[] g = new int[sw];
        int[] a = alpha ? new int[sw] : null;
        for (int y = 0; y < sh; y++) {
            r.getSamples(0, y, sw, 1, 0, g);
            if (alpha) r.getSamples(0, y, sw, 1, 1, a);
            for (int x = 0; x < sw; x++) {
                float v = Math.min(1f, g[x] / max);
                if (alpha) {
                    float t = Math.min(1f, a[x] / amax);
                    v = v * t + (1f - t);
                }
                full[offset + y * sw + x] = v;
            }
        }
    }
}
