package org.latentlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CIFAR-10 binary batches: records of {@value #RECORD} bytes, one label byte then the
 * 1024 red, 1024 green and 1024 blue bytes of a 32×32 image, each plane row-major. The result is
 * {@link Channels#RGB}, 32×32, byte {@code v} stored as {@code v / 255f}.
 *
 * <p>Faults (empty file, a length that is not a whole number of records, a label beyond the
 * class names, an unreadable file) are {@link DataException}s naming the file and the byte offset
 * or record. Lengths are checked before anything is allocated.
 */
public final class CifarReader {
    public static final int SIDE = 32;
    public static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    /** Bytes per record: the label and the image. */
    public static final int RECORD = 1 + IMAGE_BYTES;
    public static final String META_FILE = "batches.meta.txt";
    public static final String TEST_BATCH = "test_batch.bin";
    public static final String FORMAT = "CIFAR-10 binary";
    /** The CIFAR-10 class names in label order, used when no {@value #META_FILE} is found. */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");

    /** Records read per I/O call (≈ 1 MB). */
    private static final int RECORDS_PER_READ = 341;
    private static final float[] UNIT = new float[256];

    static {
        for (int i = 0; i < 256; i++) UNIT[i] = i / 255f;
    }

    private CifarReader() {}

    /** The names {@code data_batch_1.bin} .. {@code data_batch_5.bin}. */
    public static List<String> trainBatchNames() {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) names.add("data_batch_" + i + ".bin");
        return names;
    }

    /**
     * Reads one batch file.
     *
     * @param classNames names in label order (null or empty = {@link #CIFAR10_CLASSES}); a label
     *                   at or beyond their count is a {@link DataException}
     * @param limit      read at most this many records (0 = all)
     */
    public static ImageSet readBatch(Path bin, List<String> classNames, int limit) {
        boolean given = classNames != null && !classNames.isEmpty();
        List<String> names = given ? classNames : CIFAR10_CLASSES;
        long records = recordCount(bin);
        int k = (int) (limit > 0 ? Math.min(records, limit) : records);
        float[] data = new float[k * IMAGE_BYTES];
        int[] labels = new int[k];
        fill(bin, k, data, labels, 0, names, given ? "as given" : "the CIFAR-10 defaults");
        String name = LoadSupport.fileName(bin);
        if (name.endsWith(".bin")) name = name.substring(0, name.length() - 4);
        return new ImageSet(name, Channels.RGB, SIDE, SIDE, data, labels, names);
    }

    /**
     * Reads a CIFAR-10 directory ({@code data_batch_1.bin} .. {@code data_batch_5.bin}, any of them,
     * and/or {@code test_batch.bin}, optional {@code batches.meta.txt}) or one batch file. A source
     * with only train or only test batches, or a single file, is split by
     * {@code opt.testFraction()}. At most {@code opt.limit()} images per part; size and channels
     * are converted per the options.
     */
    public static Dataset readDataset(Path dirOrFile, LoadOptions opt) {
        if (!Files.exists(dirOrFile)) throw new DataException(dirOrFile, "", "no such file or directory");
        LoadSupport.requireNoDepth(dirOrFile, opt, "CIFAR-10");
        boolean dir = Files.isDirectory(dirOrFile);
        Path folder = dir ? dirOrFile : dirOrFile.toAbsolutePath().getParent();
        Path meta = folder == null ? null : folder.resolve(META_FILE);
        List<String> names = meta != null && Files.isRegularFile(meta) ? LoadSupport.readClassNames(meta) : CIFAR10_CLASSES;
        String namesSource = meta != null && Files.isRegularFile(meta) ? META_FILE : "the CIFAR-10 defaults";
        String name = LoadSupport.fileName((dir ? dirOrFile : folder == null ? dirOrFile : folder).toAbsolutePath().normalize());

        if (!dir) {
            ImageSet all = readBatches(List.of(dirOrFile), LoadSupport.readCapForSplit(opt), names, namesSource, name);
            return finish(LoadSupport.splitAndCap(name, FORMAT, dirOrFile, all, opt), opt);
        }
        List<Path> train = new ArrayList<>();
        for (String n : trainBatchNames()) {
            Path p = dirOrFile.resolve(n);
            if (Files.isRegularFile(p)) train.add(p);
        }
        Path test = dirOrFile.resolve(TEST_BATCH);
        boolean hasTest = Files.isRegularFile(test);
        if (train.isEmpty() && !hasTest) {
            String hint = Files.isRegularFile(dirOrFile.resolve("train.bin")) || Files.isRegularFile(dirOrFile.resolve("test.bin"))
                    ? " (train.bin/test.bin look like CIFAR-100, whose 3074-byte records with two labels are not supported)"
                    : "";
            throw new DataException(dirOrFile, "", "no CIFAR-10 batches: expected data_batch_1.bin .. data_batch_5.bin and/or "
                    + TEST_BATCH + hint);
        }
        if (!train.isEmpty() && hasTest) {
            ImageSet tr = readBatches(train, opt.limit(), names, namesSource, name + " train");
            ImageSet te = readBatches(List.of(test), opt.limit(), names, namesSource, name + " test");
            return new Dataset(name, FORMAT, dirOrFile, tr, te).adapted(opt);
        }
        List<Path> only = train.isEmpty() ? List.of(test) : train;
        ImageSet all = readBatches(only, LoadSupport.readCapForSplit(opt), names, namesSource, name);
        return finish(LoadSupport.splitAndCap(name, FORMAT, dirOrFile, all, opt), opt);
    }

    private static Dataset finish(Dataset d, LoadOptions opt) {
        return new Dataset(d.name(), d.format(), d.source(),
                d.train().named(d.name() + " train"), d.test().named(d.name() + " test")).adapted(opt);
    }

    /** The batches in order as one set, at most limit records (0 = all); every length is checked first. */
    private static ImageSet readBatches(List<Path> batches, int limit, List<String> names, String namesSource, String setName) {
        long total = 0;
        long[] counts = new long[batches.size()];
        for (int b = 0; b < batches.size(); b++) {
            counts[b] = recordCount(batches.get(b));
            total += counts[b];
        }
        long k = limit > 0 ? Math.min(total, limit) : total;
        if (k * IMAGE_BYTES > LoadSupport.MAX_VALUES) {
            throw new DataException(batches.get(0), "", k + " records are more values than one array holds; set a limit of at most "
                    + LoadSupport.MAX_VALUES / IMAGE_BYTES);
        }
        float[] data = new float[(int) k * IMAGE_BYTES];
        int[] labels = new int[(int) k];
        int at = 0;
        for (int b = 0; b < batches.size() && at < k; b++) {
            int take = (int) Math.min(counts[b], k - at);
            fill(batches.get(b), take, data, labels, at, names, namesSource);
            at += take;
        }
        return new ImageSet(setName, Channels.RGB, SIDE, SIDE, data, labels, names);
    }

    /** Number of records in a batch file after checking its length. */
    static long recordCount(Path bin) {
        long length;
        try {
            if (Files.isDirectory(bin)) throw new DataException(bin, "", "is a directory, not a CIFAR-10 batch file");
            length = Files.size(bin);
        } catch (NoSuchFileException e) {
            throw new DataException(bin, "", "no such file", e);
        } catch (IOException e) {
            throw new DataException(bin, "", "cannot read: " + LoadSupport.describe(e), e);
        }
        if (length == 0) throw DataException.atByte(bin, 0, "empty file (0 bytes): no CIFAR-10 records");
        long rem = length % RECORD;
        if (rem != 0) {
            long whole = length / RECORD;
            throw DataException.atByte(bin, whole * RECORD, "length " + length + " is not a multiple of the " + RECORD
                    + "-byte CIFAR-10 record: " + whole + " whole record" + (whole == 1 ? "" : "s") + " and "
                    + rem + " byte" + (rem == 1 ? "" : "s") + " left over (truncated, or not a CIFAR-10 batch)");
        }
        return length / RECORD;
    }

    /** Reads the first k records of a checked file into data/labels from record {@code at}. */
    private static void fill(Path bin, int k, float[] data, int[] labels, int at, List<String> names, String namesSource) {
        byte[] buf = new byte[RECORDS_PER_READ * RECORD];
        long pos = 0;
        try (InputStream in = Files.newInputStream(bin)) {
            int done = 0;
            while (done < k) {
                int recs = Math.min(RECORDS_PER_READ, k - done);
                int want = recs * RECORD;
                int got = 0;
                while (got < want) {
                    int r = in.read(buf, got, want - got);
                    if (r < 0) break;
                    got += r;
                }
                if (got < want) {
                    throw DataException.atByte(bin, pos + got, "file ended early (it changed while being read?): "
                            + want + " bytes expected, " + got + " present");
                }
                for (int r = 0; r < recs; r++) {
                    int off = r * RECORD;
                    int label = buf[off] & 0xFF;
                    int record = done + r;
                    if (label >= names.size()) {
                        throw DataException.atByte(bin, (long) record * RECORD, "label " + label + " of record " + record
                                + " is out of range for " + names.size() + " class names ("
                                + namesSource + "): labels are 0.." + (names.size() - 1));
                    }
                    labels[at + record] = label;
                    int dst = (at + record) * IMAGE_BYTES;
                    for (int j = 0; j < IMAGE_BYTES; j++) data[dst + j] = UNIT[buf[off + 1 + j] & 0xFF];
                }
                pos += want;
                done += recs;
            }
        } catch (IOException e) {
            throw DataException.atByte(bin, pos, "cannot read: " + LoadSupport.describe(e));
        }
    }
}
