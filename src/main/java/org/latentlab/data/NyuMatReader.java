package org.latentlab.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Node;
import io.jhdf.object.datatype.DataType;
import io.jhdf.object.datatype.FixedPoint;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the NYU Depth V2 labelled dataset ({@code nyu_depth_v2_labeled.mat}), a MATLAB v7.3
 * MAT-file, i.e. HDF5 behind a 512-byte MATLAB user block, through jhdf.
 *
 * <p>Layout (as HDF5 sees MATLAB's column-major arrays): {@code images} (N, 3, W, H) uint8,
 * {@code depths} (N, W, H) float32 metres, and {@code labels} (N, W, H) uint16 per-pixel object
 * labels (not used here). Pixel (y, x) of frame n is {@code images[n][c][x][y]} and
 * {@code depths[n][x][y]}; the real file has N = 1449, W = 640, H = 480.
 *
 * <p>Frames are read one at a time (an HDF5 hyperslab per frame), so the whole 2.8 GB file is
 * never in memory. Each frame is cropped to the aspect of the requested size around its centre and
 * area-averaged (depth ignoring missing pixels). When the options ask for no size the frames are
 * made 64×64; when they give only one side the other follows the 4:3 aspect of the source.
 *
 * <p><b>Class labels.</b> The per-pixel {@code labels} are object classes, not image classes,
 * and the scene types live in MATLAB cell arrays of references that are not worth decoding here.
 * Each frame is instead labelled by the median of its valid depth pixels (at full resolution):
 * {@code "near"} below 2.5 m, {@code "mid"} from 2.5 m to 4 m, {@code "far"} above 4 m. A frame
 * without a single valid depth pixel is labelled {@code "far"}.
 *
 * <p>Depth that is NaN, infinite, zero or negative is handled per {@link LoadOptions#depthPolicy()}:
 * MASK sets it to 0 (missing) and counts it (source pixels) in
 * {@link ImageSet#maskedDepthPixels()}; REJECT throws naming the frame and pixel. The labelled
 * file has no such pixels (its depth is in-painted), so any are a sign of a damaged file.
 *
 * <p>The file has no train/test split of its own (NYU's split lives in a separate
 * {@code splits.mat}), so the frames read are split per {@link Dataset#split}. {@code limit}
 * reads only the first frames. Every fault, including jhdf's own exceptions, is reported as a
 * {@link DataException}.
 */
public final class NyuMatReader {
    /** Class names, in label order. */
    public static final List<String> CLASS_NAMES = List.of("near", "mid", "far");
    /** Median depths below this are "near" (metres). */
    public static final float NEAR_BELOW = 2.5f;
    /** Median depths above this are "far" (metres). */
    public static final float FAR_ABOVE = 4f;
    /** Side of the frames when the options ask for no size. */
    public static final int DEFAULT_SIZE = 64;

    static final String IMAGES = "images";
    static final String DEPTHS = "depths";
    static final String LABELS = "labels";
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    private NyuMatReader() {}

    /** Reads the frames of a labelled NYU Depth V2 .mat file as an RGB-D dataset. */
    public static Dataset readDataset(Path mat, LoadOptions opt) {
        ImageSet all = read(mat, opt);
        Dataset d = Dataset.split("NYU Depth V2 (labelled)", "NYU Depth V2 .mat (MATLAB v7.3 / HDF5)",
                mat, all, opt.testFraction(), opt.seed());
        if (opt.channels() != null && opt.channels() != Channels.RGBD) {
            d = new Dataset(d.name(), d.format(), d.source(), d.train().withChannels(opt.channels()),
                    d.test().withChannels(opt.channels()));
        }
        return d;
    }

    /** All frames (up to opt.limit) as one set, before the split. */
    static ImageSet read(Path mat, LoadOptions opt) {
        long superblock = checkSignature(mat);
        String[] where = {superblock > 0 ? "HDF5 superblock at byte " + superblock : "HDF5 superblock"};
        try (HdfFile hdf = open(mat)) {
            long eof = hdf.getHdfBackingStorage().getSuperblock().getEndOfFileAddress();
            long fileSize = Files.size(mat);
            if (eof > fileSize) {
                throw new DataException(mat, "byte " + fileSize, "truncated: the HDF5 superblock says the file ends at byte "
                        + eof + " but it has only " + fileSize + " bytes");
            }
            where[0] = "root group";
            Map<String, Node> children = new TreeMap<>(hdf.getChildren());
            io.jhdf.api.Dataset images = dataset(mat, children, IMAGES);
            io.jhdf.api.Dataset depths = dataset(mat, children, DEPTHS);
            where[0] = "dataset '" + IMAGES + "'";
            long[] id = images.getDimensionsAsLong();
            where[0] = "dataset '" + DEPTHS + "'";
            long[] dd = depths.getDimensionsAsLong();
            where[0] = "";
            checkShapes(mat, id, dd);
            checkPlausibleSize(mat, IMAGES, id, images.getDataType(), fileSize);
            checkPlausibleSize(mat, DEPTHS, dd, depths.getDataType(), fileSize);
            int colourBits = colourBits(mat, images.getDataType());
            if (!(depths.getDataType() instanceof FloatingPoint)) {
                throw new DataException(mat, "dataset '" + DEPTHS + "'",
                        "depths must be float32 metres, found " + typeName(depths.getDataType()));
            }
            boolean signed = images.getDataType() instanceof FixedPoint fp && fp.isSigned();
            int frames = (int) id[0];
            if (opt.limit() > 0) frames = Math.min(frames, opt.limit());
            int sw = (int) id[2], sh = (int) id[3];
            int[] size = RgbdDecoding.targetSize(sh, sw, opt.height(), opt.width(),
                    new int[] {DEFAULT_SIZE, DEFAULT_SIZE});
            int h = size[0], w = size[1];
            long total = (long) frames * 4 * h * w;
            if (total > Integer.MAX_VALUE - 16) {
                throw new DataException(mat, "", frames + " frames of " + h + "×" + w
                        + " do not fit in memory: use a smaller size or a limit");
            }
            float[] data = new float[(int) total];
            int[] labels = new int[frames];
            int srcPlane = sw * sh;
            float[] colour = new float[3 * srcPlane];
            float[] depth = new float[srcPlane];
            float colourScale = 1f / ((1 << colourBits) - 1);
            long masked = 0;
            int len = 4 * h * w;
            for (int n = 0; n < frames; n++) {
                where[0] = "frame " + n + " of '" + IMAGES + "'";
                Object img = images.getData(new long[] {n, 0, 0, 0}, new int[] {1, 3, sw, sh});
                copyColour(mat, n, img, sw, sh, colour, colourScale, signed, colourBits);
                where[0] = "frame " + n + " of '" + DEPTHS + "'";
                Object dep = depths.getData(new long[] {n, 0, 0}, new int[] {1, sw, sh});
                copyDepth(mat, n, dep, sw, sh, depth);
                where[0] = "frame " + n;
                int nValid = 0, nNear = 0, nFar = 0;
                for (int j = 0; j < srcPlane; j++) {
                    float v = depth[j];
                    if (RgbdDecoding.validDepth(v)) {
                        nValid++;
                        if (v < NEAR_BELOW) nNear++;
                        else if (v > FAR_ABOVE) nFar++;
                    } else {
                        if (opt.depthPolicy() == DepthPolicy.REJECT) {
                            throw new DataException(mat, "frame " + n + ", pixel (y=" + (j / sw) + ", x=" + (j % sw) + ")",
                                    "invalid depth " + v + " m (NaN, infinite, zero or negative)");
                        }
                        depth[j] = 0f;
                        masked++;
                    }
                }
                labels[n] = bucket(nValid, nNear, nFar);
                int off = n * len;
                for (int c = 0; c < 3; c++) {
                    RgbdDecoding.cropResize(colour, c * srcPlane, sh, sw, data, off + c * h * w, h, w, false);
                }
                RgbdDecoding.cropResize(depth, 0, sh, sw, data, off + 3 * h * w, h, w, true);
            }
            return new ImageSet("NYU Depth V2 (labelled)", Channels.RGBD, h, w, data, labels, CLASS_NAMES,
                    opt.depthMaxMetres() > 0 ? opt.depthMaxMetres() : LoadOptions.DEFAULT_DEPTH_MAX, masked);
        } catch (DataException e) {
            throw e;
        } catch (IOException e) {
            throw new DataException(mat, where[0], "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new DataException(mat, where[0], "cannot read HDF5 / MATLAB v7.3 data ("
                    + describe(e) + "); the file may be truncated or damaged", e);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // corrupt HDF5 headers can claim huge sizes or cyclic structures
            throw new DataException(mat, where[0], "cannot read HDF5 / MATLAB v7.3 data ("
                    + e.getClass().getSimpleName() + "); the file is damaged", e);
        }
    }

    /**
     * Opens the file through jhdf. Files up to 2 GB are memory-mapped and read in jhdf's
     * in-memory mode, where every read is a bounds-checked slice of the mapping: a damaged header
     * that claims a huge object then fails at once instead of making jhdf allocate a buffer of
     * that size. Larger files (the real labelled NYU file is 2.8 GB) go through jhdf's file
     * channel.
     */
    private static HdfFile open(Path mat) throws IOException {
        try (FileChannel ch = FileChannel.open(mat, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < Integer.MAX_VALUE - 64) {
                return HdfFile.fromByteBuffer(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
            }
        }
        return new HdfFile(mat);
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /**
     * Checks that the file is HDF5 (signature at byte 0 or at 512, 1024, … behind a user block)
     * and returns the superblock offset; a MATLAB v5/v7 MAT-file or any other file is refused
     * with a message that says what it is.
     */
    static long checkSignature(Path mat) {
        long size;
        try {
            if (!Files.isRegularFile(mat)) {
                throw new DataException(mat, "", "no such file");
            }
            size = Files.size(mat);
        } catch (IOException e) {
            throw new DataException(mat, "", "cannot read: " + e.getMessage(), e);
        }
        if (size == 0) {
            throw new DataException(mat, "byte 0", "empty file (0 bytes): not a MATLAB v7.3 .mat file");
        }
        try (FileChannel ch = FileChannel.open(mat, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 128));
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) { /* fill */ }
            String text = new String(head.array(), 0, head.position(), StandardCharsets.ISO_8859_1);
            byte[] sig = new byte[HDF5_SIGNATURE.length];
            for (long at = 0; at + sig.length <= size; at = at == 0 ? 512 : at * 2) {
                ByteBuffer b = ByteBuffer.wrap(sig);
                while (b.hasRemaining() && ch.read(b, at + b.position()) > 0) { /* fill */ }
                if (!b.hasRemaining() && Arrays.equals(sig, HDF5_SIGNATURE)) {
                    return at;
                }
            }
            if (text.startsWith("MATLAB 5.0 MAT-file") || text.startsWith("MATLAB 7")) {
                throw new DataException(mat, "byte 0", "a MATLAB MAT-file but not version 7.3 (no HDF5 data "
                        + "behind the header): re-save it with save(..., '-v7.3') or use the labelled NYU file as published");
            }
            throw new DataException(mat, "byte 0", "not an HDF5 file / MATLAB v7.3 .mat: no HDF5 signature at byte 0 or "
                    + "after a user block (starts with " + printable(text) + ")");
        } catch (IOException e) {
            throw new DataException(mat, "", "cannot read: " + e.getMessage(), e);
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < Math.min(16, s.length()); i++) {
            char c = s.charAt(i);
            b.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return b.append('"').toString();
    }

    private static io.jhdf.api.Dataset dataset(Path mat, Map<String, Node> children, String name) {
        Node node = children.get(name);
        if (node == null || !(node instanceof io.jhdf.api.Dataset)) {
            List<String> present = new ArrayList<>();
            for (Map.Entry<String, Node> e : children.entrySet()) {
                present.add(e.getKey() + (e.getValue() instanceof io.jhdf.api.Dataset ? "" : " (group)"));
            }
            String what = node == null ? "has no dataset '" + name + "'" : "'" + name + "' is not a dataset";
            throw new DataException(mat, "root group", "not a labelled NYU Depth V2 file: " + what
                    + " (needs '" + IMAGES + "' and '" + DEPTHS + "'; present: "
                    + (present.isEmpty() ? "nothing" : String.join(", ", present)) + ")");
        }
        return (io.jhdf.api.Dataset) node;
    }

    private static void checkShapes(Path mat, long[] id, long[] dd) {
        String expected = " (expected images (frames, 3, width, height) and depths (frames, width, height))";
        if (id.length != 4 || id[1] != 3) {
            throw new DataException(mat, "dataset '" + IMAGES + "'", "images has shape " + shape(id)
                    + ", expected (frames, 3, width, height)");
        }
        if (dd.length != 3) {
            throw new DataException(mat, "dataset '" + DEPTHS + "'", "depths has shape " + shape(dd)
                    + ", expected (frames, width, height)");
        }
        if (id[0] != dd[0] || id[2] != dd[1] || id[3] != dd[2]) {
            throw new DataException(mat, "datasets '" + IMAGES + "', '" + DEPTHS + "'",
                    "shapes disagree: images " + shape(id) + " but depths " + shape(dd) + expected);
        }
        if (id[0] <= 0 || id[2] <= 0 || id[3] <= 0) {
            throw new DataException(mat, "dataset '" + IMAGES + "'", "no frames: images has shape " + shape(id));
        }
        if (id[0] > Integer.MAX_VALUE || id[2] * id[3] > RgbdDecoding.MAX_PIXELS) {
            throw new DataException(mat, "dataset '" + IMAGES + "'", "implausible shape " + shape(id));
        }
    }

    /**
     * A damaged header can claim dimensions far beyond what the file could hold; reading one
     * frame of them would allocate gigabytes. Even deflate cannot compress more than about
     * 1032:1, so more than 1100 data bytes per file byte is refused.
     */
    private static void checkPlausibleSize(Path mat, String name, long[] dims, DataType type, long fileSize) {
        double bytes = type == null ? 1 : Math.max(1, type.getSize());
        for (long d : dims) bytes *= d;
        if (bytes > fileSize * 1100.0 + (1 << 20)) {
            throw new DataException(mat, "dataset '" + name + "'", "implausible shape " + shape(dims)
                    + " for a file of " + fileSize + " bytes: the file is damaged");
        }
    }

    private static String shape(long[] d) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < d.length; i++) b.append(i > 0 ? ", " : "").append(d[i]);
        return b.append(')').toString();
    }

    private static int colourBits(Path mat, DataType t) {
        if (t instanceof FixedPoint fp && (fp.getSize() == 1 || fp.getSize() == 2)) {
            return fp.getSize() * 8;
        }
        throw new DataException(mat, "dataset '" + IMAGES + "'", "images must be uint8, found " + typeName(t));
    }

    private static String typeName(DataType t) {
        if (t instanceof FixedPoint fp) return (fp.isSigned() ? "int" : "uint") + (fp.getSize() * 8);
        if (t instanceof FloatingPoint) return "float" + (t.getSize() * 8);
        return t == null ? "unknown type" : t.getClass().getSimpleName();
    }

    /** images[0][c][x][y] → colour[c][y][x] scaled to [0,1]. */
    private static void copyColour(Path mat, int frame, Object arr, int sw, int sh, float[] colour, float scale,
                                   boolean signed, int bits) {
        Object[] frameArr = cast(mat, frame, arr, 1);
        Object[] chans = cast(mat, frame, frameArr[0], 3);
        int plane = sw * sh;
        int max = (1 << bits) - 1;
        for (int c = 0; c < 3; c++) {
            Object[] cols = cast(mat, frame, chans[c], sw);
            for (int x = 0; x < sw; x++) {
                Object row = cols[x];
                int base = c * plane + x;
                if (row instanceof int[] a && a.length == sh) {
                    for (int y = 0; y < sh; y++) colour[base + y * sw] = check(mat, frame, x, y, a[y], max) * scale;
                } else if (row instanceof byte[] a && a.length == sh) {
                    for (int y = 0; y < sh; y++) {
                        colour[base + y * sw] = check(mat, frame, x, y, signed ? a[y] : a[y] & 0xFF, max) * scale;
                    }
                } else if (row instanceof short[] a && a.length == sh) {
                    for (int y = 0; y < sh; y++) {
                        colour[base + y * sw] = check(mat, frame, x, y, signed ? a[y] : a[y] & 0xFFFF, max) * scale;
                    }
                } else if (row instanceof long[] a && a.length == sh) {
                    for (int y = 0; y < sh; y++) {
                        colour[base + y * sw] = check(mat, frame, x, y, (int) Math.max(-1, Math.min(a[y], 1 << 20)), max) * scale;
                    }
                } else {
                    throw new DataException(mat, "frame " + frame, "unexpected image data from HDF5: "
                            + (row == null ? "null" : row.getClass().getSimpleName()));
                }
            }
        }
    }

    private static int check(Path mat, int frame, int x, int y, int v, int max) {
        if (v < 0 || v > max) {
            throw new DataException(mat, "frame " + frame + ", pixel (y=" + y + ", x=" + x + ")",
                    "colour value " + v + " outside 0.." + max);
        }
        return v;
    }

    /** depths[0][x][y] → depth[y][x]. */
    private static void copyDepth(Path mat, int frame, Object arr, int sw, int sh, float[] depth) {
        Object[] frameArr = cast(mat, frame, arr, 1);
        Object[] cols = cast(mat, frame, frameArr[0], sw);
        for (int x = 0; x < sw; x++) {
            Object row = cols[x];
            if (row instanceof float[] f && f.length == sh) {
                for (int y = 0; y < sh; y++) depth[y * sw + x] = f[y];
            } else if (row instanceof double[] d && d.length == sh) {
                for (int y = 0; y < sh; y++) depth[y * sw + x] = (float) d[y];
            } else {
                throw new DataException(mat, "frame " + frame, "unexpected depth data from HDF5: "
                        + (row == null ? "null" : row.getClass().getSimpleName()));
            }
        }
    }

    private static Object[] cast(Path mat, int frame, Object o, int length) {
        if (o instanceof Object[] a && a.length == length) return a;
        throw new DataException(mat, "frame " + frame, "unexpected data layout from HDF5 ("
                + (o == null ? "null" : o.getClass().getSimpleName()) + ", expected " + length + " entries)");
    }

    /**
     * Label index from the counts of valid, near (&lt; 2.5 m) and far (&gt; 4 m) pixels: the
     * median is near when more than half are near, far when more than half are far, else mid.
     * A frame without valid depth is far.
     */
    static int bucket(int valid, int near, int far) {
        if (valid == 0) return 2;
        if (2L * near > valid) return 0;
        if (2L * far > valid) return 2;
        return 1;
    }
}
