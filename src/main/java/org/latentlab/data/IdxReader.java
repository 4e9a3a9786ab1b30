package org.latentlab.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (MNIST, Fashion-MNIST, EMNIST, ...), raw or gzip-compressed
 * (recognised by the gzip magic bytes 1f 8b, not by the file name).
 *
 * <p>An IDX file is two zero bytes, a type byte (0x08 = unsigned byte), a rank byte, one
 * big-endian int32 size per dimension, then the values in C order. Images have rank 3
 * (count, rows, columns) and become {@link Channels#GRAY} planes with byte {@code v} stored as
 * {@code v / 255f}; labels have rank 1.
 *
 * <p>Every fault in the input (wrong magic, unsupported type, wrong rank, absurd or zero sizes,
 * truncated or trailing data, corrupt gzip, label/image count mismatch, a label beyond the class
 * names) is a {@link DataException} naming the file and the byte offset. Sizes are checked
 * against the file length before anything is allocated; gzip data, whose length is not known in
 * advance, is read in bounded chunks, so a header that lies costs at most one chunk.
 */
public final class IdxReader {
    /** The IDX type byte for unsigned bytes, the only type read here. */
    public static final int TYPE_U8 = 0x08;

    static final int CHUNK = 1 << 20;
    /** More pixels than this in one image is not an image file but a corrupt header. */
    static final long MAX_IMAGE_PIXELS = 1L << 26;

    private static final String[] TRAIN_IMAGES = {"train-images-idx3-ubyte", "train-images.idx3-ubyte"};
    private static final String[] TRAIN_LABELS = {"train-labels-idx1-ubyte", "train-labels.idx1-ubyte"};
    private static final String[] TEST_IMAGES = {"t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"};
    private static final String[] TEST_LABELS = {"t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"};
    /** Optional class names next to the IDX files, one per line. */
    public static final String CLASS_NAMES_FILE = "classes.txt";

    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) UNIT[i] = i / 255f;
    }

    private IdxReader() {}

    /**
     * Reads one images file and its labels file.
     *
     * @param labels labels file, or null: every image then gets label 0 of a single class "all"
     * @param opt    limit, size and channels are applied; the split options are not used
     */
    public static ImageSet read(Path images, Path labels, String name, LoadOptions opt) {
        return read(images, labels, name, null, opt);
    }

    /**
     * As {@link #read(Path, Path, String, LoadOptions)} with given class names (null = "0".."9",
     * or up to the largest label when labels go beyond 9). A label outside the given names is a
     * {@link DataException}.
     */
    public static ImageSet read(Path images, Path labels, String name, List<String> classNames, LoadOptions opt) {
        LoadSupport.requireNoDepth(images, opt, "IDX");
        Part p = readPart(images, labels, opt.limit());
        List<String> names = classNames(List.of(p), labels == null, classNames, null);
        ImageSet set = p.toImageSet(name, names);
        if (opt.channels() != null) set = set.withChannels(opt.channels());
        if (opt.height() > 0 && opt.width() > 0) set = set.resized(opt.height(), opt.width());
        return set;
    }

    /**
     * Reads a directory in the MNIST layout: {@code train-images-idx3-ubyte[.gz]},
     * {@code train-labels-idx1-ubyte[.gz]}, {@code t10k-images-idx3-ubyte[.gz]},
     * {@code t10k-labels-idx1-ubyte[.gz]} (also with a dot: {@code train-images.idx3-ubyte}), and
     * an optional {@code classes.txt}. When only one of the two splits is there it is split with
     * {@link Dataset#split} by {@code opt.testFraction()}. Given an images file instead of a
     * directory, its labels file is looked for beside it (optional) and the file is split.
     */
    public static Dataset readDataset(Path dirOrFile, LoadOptions opt) {
        if (!Files.exists(dirOrFile)) {
            throw new DataException(dirOrFile, "", "no such file or directory");
        }
        LoadSupport.requireNoDepth(dirOrFile, opt, "IDX");
        if (Files.isDirectory(dirOrFile)) {
            return readDirectory(dirOrFile, opt);
        }
        Path images = dirOrFile;
        Path labels = siblingLabels(images);
        Path dir = images.toAbsolutePath().getParent();
        Path namesFile = dir == null ? null : dir.resolve(CLASS_NAMES_FILE);
        List<String> given = namesFile != null && Files.isRegularFile(namesFile) ? LoadSupport.readClassNames(namesFile) : null;
        Part p = readPart(images, labels, LoadSupport.readCapForSplit(opt));
        String name = datasetName(images);
        List<String> names = classNames(List.of(p), labels == null, given, namesFile);
        ImageSet all = p.toImageSet(name, names);
        Dataset d = LoadSupport.splitAndCap(name, format(p.gzip), images, all, opt);
        return renamed(d).adapted(opt);
    }

    private static Dataset readDirectory(Path dir, LoadOptions opt) {
        Path trainImages = find(dir, TRAIN_IMAGES);
        Path testImages = find(dir, TEST_IMAGES);
        if (trainImages == null && testImages == null) {
            throw new DataException(dir, "", "no IDX images file: expected " + TRAIN_IMAGES[0] + "[.gz] and/or "
                    + TEST_IMAGES[0] + "[.gz] (or the same names with a dot: " + TRAIN_IMAGES[1] + ")");
        }
        Path trainLabels = trainImages == null ? null : required(dir, TRAIN_LABELS, trainImages);
        Path testLabels = testImages == null ? null : required(dir, TEST_LABELS, testImages);
        Path namesFile = dir.resolve(CLASS_NAMES_FILE);
        List<String> given = Files.isRegularFile(namesFile) ? LoadSupport.readClassNames(namesFile) : null;
        String name = datasetName(dir);

        if (trainImages != null && testImages != null) {
            Part train = readPart(trainImages, trainLabels, opt.limit());
            Part test = readPart(testImages, testLabels, opt.limit());
            if (train.height != test.height || train.width != test.width) {
                throw new DataException(testImages, "byte 8", "test images are " + test.height + "×" + test.width
                        + " but train images (" + LoadSupport.fileName(trainImages) + ") are "
                        + train.height + "×" + train.width);
            }
            List<String> names = classNames(List.of(train, test), false, given, namesFile);
            Dataset d = new Dataset(name, format(train.gzip || test.gzip), dir,
                    train.toImageSet(name + " train", names), test.toImageSet(name + " test", names));
            return d.adapted(opt);
        }
        Path images = trainImages != null ? trainImages : testImages;
        Path labels = trainImages != null ? trainLabels : testLabels;
        Part p = readPart(images, labels, LoadSupport.readCapForSplit(opt));
        List<String> names = classNames(List.of(p), false, given, namesFile);
        Dataset d = LoadSupport.splitAndCap(name, format(p.gzip), dir, p.toImageSet(name, names), opt);
        return renamed(d).adapted(opt);
    }

    // ---------------------------------------------------------------------------------------------

    /** Decoded images (as unit floats) and raw labels of one split. */
    private record Part(Path images, Path labels, int height, int width, float[] pixels, int[] labelValues,
                        long labelsHeaderBytes, boolean gzip) {
        ImageSet toImageSet(String name, List<String> names) {
            return new ImageSet(name, Channels.GRAY, height, width, pixels, labelValues, names);
        }
    }

    private static Part readPart(Path images, Path labels, int limit) {
        try (IdxStream img = IdxStream.open(images);
             IdxStream lab = labels == null ? null : IdxStream.open(labels)) {
            int[] idims = readHeader(img, 3, "an images file (count, rows, columns)");
            long n = idims[0];
            int h = idims[1], w = idims[2];
            long pixels = (long) h * w;
            if (pixels > MAX_IMAGE_PIXELS) {
                throw img.at(8, "absurd image size " + h + "×" + w + " (more than " + MAX_IMAGE_PIXELS
                        + " pixels): the header is corrupt or this is not an images file");
            }
            img.checkLength(n * pixels, "images of " + h + "×" + w);
            long labelCount = -1;
            if (lab != null) {
                int[] ldims = readHeader(lab, 1, "a labels file (count)");
                labelCount = ldims[0];
                if (labelCount != n) {
                    throw lab.at(4, "label count " + labelCount + " does not match the image count " + n
                            + " of " + LoadSupport.fileName(images));
                }
                lab.checkLength(labelCount, "labels");
            }
            long k = limit > 0 ? Math.min(n, limit) : n;
            long values = k * pixels;
            if (values > LoadSupport.MAX_VALUES) {
                throw img.at(4, k + " images of " + h + "×" + w + " are " + values
                        + " values, more than one array holds; read at most "
                        + (LoadSupport.MAX_VALUES / pixels) + " (set a limit)");
            }
            float[] out = img.readUnits((int) values, h + "×" + w + " images");
            if (k == n) img.expectEnd();

            int[] labelValues = new int[(int) k];
            if (lab != null) {
                byte[][] chunks = lab.readChunks(k, "labels");
                int i = 0;
                for (byte[] c : chunks) {
                    for (byte b : c) labelValues[i++] = b & 0xFF;
                }
                if (k == n) lab.expectEnd();
            }
            return new Part(images, labels, h, w, out, labelValues, lab == null ? 0 : lab.headerBytes, img.gzip);
        } catch (IOException e) {
            // close() failures only: reads are translated where they happen
            throw new DataException(images, "", "cannot close: " + LoadSupport.describe(e), e);
        }
    }

    /**
     * Reads magic, type, rank and sizes; checks rank and that every size is positive.
     */
    private static int[] readHeader(IdxStream s, int rank, String what) {
        byte[] magic = new byte[4];
        int got = s.read(magic, 4);
        if (got == 0) throw s.at(0, "empty file: not an IDX file");
        if (magic[0] != 0 || (got >= 2 && magic[1] != 0)) {
            throw s.at(0, "wrong magic number " + hex(magic, got) + ": an IDX file starts with 00 00, a type byte and a rank byte"
                    + (s.gzip ? " (after gzip decompression)" : ""));
        }
        if (got < 4) throw s.at(got, "truncated inside the 4-byte IDX magic number (" + got + " bytes present)");
        int type = magic[2] & 0xFF;
        if (type != TYPE_U8) {
            throw s.at(2, "unsupported IDX data type 0x" + String.format("%02X", type) + " (" + typeName(type)
                    + "); only unsigned bytes (0x08) are supported");
        }
        int r = magic[3] & 0xFF;
        if (r != rank) {
            throw s.at(3, "rank " + r + " but expected " + rank + " for " + what
                    + (r == 1 ? "; is this a labels file?" : r == 3 ? "; is this an images file?" : ""));
        }
        byte[] sizes = new byte[4 * rank];
        got = s.read(sizes, sizes.length);
        if (got < sizes.length) {
            throw s.at(4 + got, "truncated header: " + (4 + sizes.length) + " bytes expected for rank " + rank
                    + ", only " + (4 + got) + " present");
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            int v = ((sizes[4 * d] & 0xFF) << 24) | ((sizes[4 * d + 1] & 0xFF) << 16)
                    | ((sizes[4 * d + 2] & 0xFF) << 8) | (sizes[4 * d + 3] & 0xFF);
            if (v <= 0) {
                throw s.at(4 + 4L * d, "size " + (d + 1) + " of " + rank + " is " + (v & 0xFFFFFFFFL)
                        + (v == 0 ? "; the file holds nothing" : "; more than 2^31-1 is absurd"));
            }
            dims[d] = v;
        }
        s.headerBytes = 4 + 4L * rank;
        return dims;
    }

    private static List<String> classNames(List<Part> parts, boolean unlabelled, List<String> given, Path namesFile) {
        if (unlabelled) return List.of("all");
        if (given != null) {
            for (Part p : parts) {
                int[] l = p.labelValues;
                for (int i = 0; i < l.length; i++) {
                    if (l[i] >= given.size()) {
                        throw DataException.atByte(p.labels, p.labelsHeaderBytes + i, "label " + l[i] + " of item " + i
                                + " is out of range: " + (namesFile == null ? "the given class names" : namesFile.getFileName())
                                + " has " + given.size() + " names");
                    }
                }
            }
            return given;
        }
        int max = 9;
        for (Part p : parts) for (int l : p.labelValues) max = Math.max(max, l);
        return LoadSupport.numberNames(max + 1);
    }

    private static Dataset renamed(Dataset d) {
        return new Dataset(d.name(), d.format(), d.source(),
                d.train().named(d.name() + " train"), d.test().named(d.name() + " test"));
    }

    private static String format(boolean gzip) {
        return gzip ? "IDX (gzip)" : "IDX";
    }

    private static String datasetName(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path base = Files.isDirectory(abs) ? abs : abs.getParent();
        if (base == null || base.getFileName() == null) return LoadSupport.fileName(p);
        return base.getFileName().toString();
    }

    private static Path find(Path dir, String[] stems) {
        for (String stem : stems) {
            for (String suffix : new String[] {"", ".gz"}) {
                Path p = dir.resolve(stem + suffix);
                if (Files.isRegularFile(p)) return p;
            }
        }
        return null;
    }

    private static Path required(Path dir, String[] stems, Path images) {
        Path p = find(dir, stems);
        if (p == null) {
            throw new DataException(dir, "", "labels file " + stems[0] + "[.gz] is missing for "
                    + LoadSupport.fileName(images));
        }
        return p;
    }

    private static Path siblingLabels(Path images) {
        String n = LoadSupport.fileName(images);
        String l = n.replace("images-idx3", "labels-idx1").replace("images.idx3", "labels.idx1");
        if (l.equals(n)) return null;
        Path dir = images.getParent();
        for (String cand : new String[] {l, l.endsWith(".gz") ? l.substring(0, l.length() - 3) : l + ".gz"}) {
            Path p = dir == null ? Path.of(cand) : dir.resolve(cand);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(' ');
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "int16";
            case 0x0C -> "int32";
            case 0x0D -> "float32";
            case 0x0E -> "float64";
            default -> "not an IDX type";
        };
    }

    /** True when the file starts with the gzip magic bytes 1f 8b. */
    public static boolean isGzip(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read: " + LoadSupport.describe(e), e);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** An IDX byte stream (decompressed if gzip) that knows its position for error messages. */
    private static final class IdxStream implements Closeable {
        final Path file;
        final boolean gzip;
        final long fileLength;
        final InputStream in;
        long pos;
        long headerBytes;

        private IdxStream(Path file, boolean gzip, long fileLength, InputStream in) {
            this.file = file;
            this.gzip = gzip;
            this.fileLength = fileLength;
            this.in = in;
        }

        static IdxStream open(Path file) {
            InputStream raw = null;
            try {
                long length = Files.size(file);
                if (Files.isDirectory(file)) throw new DataException(file, "", "is a directory, not an IDX file");
                raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
                raw.mark(2);
                boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
                raw.reset();
                InputStream in = raw;
                if (gzip) {
                    try {
                        in = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
                    } catch (IOException e) {
                        throw new DataException(file, "byte 0", "corrupt gzip header: " + LoadSupport.describe(e), e);
                    }
                }
                return new IdxStream(file, gzip, length, in);
            } catch (NoSuchFileException e) {
                closeQuietly(raw);
                throw new DataException(file, "", "no such file", e);
            } catch (IOException e) {
                closeQuietly(raw);
                throw new DataException(file, "", "cannot read: " + LoadSupport.describe(e), e);
            } catch (RuntimeException e) {
                closeQuietly(raw);
                throw e;
            }
        }

        DataException at(long offset, String fault) {
            return new DataException(file, gzip ? "byte " + offset + " of the decompressed data" : "byte " + offset, fault);
        }

        /** Reads up to n bytes; fewer only at the end of the data. */
        int read(byte[] b, int n) {
            int got = 0;
            try {
                while (got < n) {
                    int r = in.read(b, got, n - got);
                    if (r < 0) break;
                    got += r;
                }
            } catch (EOFException e) {
                // a truncated gzip stream ends here; the caller reports the short read
                truncatedGzip(got, e);
            } catch (ZipException e) {
                throw at(pos + got, "corrupt gzip data: " + LoadSupport.describe(e));
            } catch (IOException e) {
                throw at(pos + got, "cannot read: " + LoadSupport.describe(e));
            }
            pos += got;
            return got;
        }

        private void truncatedGzip(int got, EOFException e) {
            throw new DataException(file, "byte " + (pos + got) + " of the decompressed data",
                    "gzip data ends early (the compressed file is truncated): " + LoadSupport.describe(e), e);
        }

        /** For raw files: the header's claim against the file length, before anything is allocated. */
        void checkLength(long dataBytes, String what) {
            if (gzip) return;
            long expected = headerBytes + dataBytes;
            if (fileLength < expected) {
                throw DataException.atByte(file, fileLength, "truncated: the header declares " + dataBytes + " bytes of "
                        + what + " (" + expected + " bytes in all) but the file has " + fileLength
                        + " bytes (" + (expected - fileLength) + " missing)");
            }
            if (fileLength > expected) {
                throw DataException.atByte(file, expected, (fileLength - expected) + " unexpected bytes after the "
                        + dataBytes + " bytes of " + what + " the header declares (expected " + expected
                        + " bytes in all, the file has " + fileLength + ")");
            }
        }

        /** Reads count bytes in chunks of at most {@link #CHUNK}: never allocates much more than was read. */
        byte[][] readChunks(long count, String what) {
            List<byte[]> chunks = new ArrayList<>();
            long start = pos;
            long left = count;
            while (left > 0) {
                int len = (int) Math.min(CHUNK, left);
                byte[] c = new byte[len];
                int got = read(c, len);
                if (got < len) throw short_(start, count, what);
                chunks.add(c);
                left -= len;
            }
            return chunks.toArray(new byte[0][]);
        }

        /**
         * Reads count bytes as v/255. A raw file's length was checked against the header, so the
         * array is allocated up front; gzip data is first read in bounded chunks, so a header that
         * claims more than the stream holds fails before the large array is allocated.
         */
        float[] readUnits(int count, String what) {
            long start = pos;
            if (gzip) {
                byte[][] chunks = readChunks(count, what);
                float[] out = new float[count];
                int o = 0;
                for (byte[] c : chunks) {
                    for (byte b : c) out[o++] = UNIT[b & 0xFF];
                }
                return out;
            }
            float[] out = new float[count];
            byte[] c = new byte[Math.min(CHUNK, Math.max(1, count))];
            int done = 0;
            while (done < count) {
                int len = Math.min(c.length, count - done);
                int got = read(c, len);
                for (int i = 0; i < got; i++) out[done + i] = UNIT[c[i] & 0xFF];
                if (got < len) throw short_(start, count, what);
                done += len;
            }
            return out;
        }

        private DataException short_(long start, long count, String what) {
            return at(pos, "truncated: " + count + " bytes of " + what + " expected from byte " + start
                    + ", only " + (pos - start) + " present");
        }

        /** After the last declared value: the data must end here (this also checks the gzip trailer). */
        void expectEnd() {
            if (!gzip) return; // checked against the file length up front
            byte[] one = new byte[1];
            long at = pos;
            int got = read(one, 1);
            if (got > 0) {
                long extra = 1;
                byte[] buf = new byte[8192];
                int r;
                while (extra < CHUNK * 64L && (r = read(buf, buf.length)) > 0) extra += r;
                throw at(at, (extra >= CHUNK * 64L ? "more than " + extra : String.valueOf(extra))
                        + " unexpected bytes after the data the header declares");
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        private static void closeQuietly(InputStream s) {
            if (s == null) return;
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
