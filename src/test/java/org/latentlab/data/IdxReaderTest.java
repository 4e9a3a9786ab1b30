package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path tmp;

    /** The test pattern: distinct per image, row and column. */
    static int pixel(int i, int y, int x) {
        return (i * 61 + y * 17 + x * 3) & 0xFF;
    }

    static byte[] images(int n, int h, int w) {
        return images(n, h, w, 0x08);
    }

    static byte[] images(int n, int h, int w, int type) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bo);
            out.writeShort(0);
            out.writeByte(type);
            out.writeByte(3);
            out.writeInt(n);
            out.writeInt(h);
            out.writeInt(w);
            for (int i = 0; i < n; i++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) out.writeByte(pixel(i, y, x));
                }
            }
            out.flush();
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] labels(int... values) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bo);
            out.writeInt(0x00000801);
            out.writeInt(values.length);
            for (int v : values) out.writeByte(v);
            out.flush();
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] b) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
                gz.write(b);
            }
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            // delete first: on ext4, truncating a file and rewriting it forces a slow flush
            Files.deleteIfExists(file);
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] labelsFor(int n) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) l[i] = (i * 7) % 10;
        return l;
    }

    @Test
    void readsRawImagesWithExactPixelPlacementAndLabels() {
        Path img = write(tmp.resolve("imgs"), images(3, 4, 5));
        Path lab = write(tmp.resolve("labs"), labels(7, 0, 9));
        ImageSet set = IdxReader.read(img, lab, "digits", LoadOptions.defaults());
        assertEquals(3, set.size());
        assertEquals(Channels.GRAY, set.channels());
        assertArrayEquals(new int[] {1, 4, 5}, set.shape());
        assertArrayEquals(new int[] {7, 0, 9}, set.labels());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), set.classNames());
        for (int i = 0; i < 3; i++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 5; x++) {
                    assertEquals(pixel(i, y, x) / 255f, set.value(i, 0, y, x), "pixel " + i + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void byte255IsOneAndZeroIsZero() throws IOException {
        byte[] b = images(1, 2, 2);
        b[16] = (byte) 0xFF;
        b[17] = 0;
        ImageSet set = IdxReader.read(write(tmp.resolve("i"), b), null, "x", LoadOptions.defaults());
        assertEquals(1.0f, set.value(0, 0, 0, 0));
        assertEquals(0.0f, set.value(0, 0, 0, 1));
        assertEquals(List.of("all"), set.classNames());
        assertArrayEquals(new int[] {0}, set.labels());
    }

    @Test
    void gzipIsDetectedByMagicNotByName() {
        Path gzNoSuffix = write(tmp.resolve("images-compressed"), gzip(images(2, 3, 3)));
        Path rawWithGz = write(tmp.resolve("labels.gz"), labels(1, 2));
        ImageSet set = IdxReader.read(gzNoSuffix, rawWithGz, "x", LoadOptions.defaults());
        assertEquals(2, set.size());
        assertEquals(pixel(1, 2, 1) / 255f, set.value(1, 0, 2, 1));
        assertTrue(IdxReader.isGzip(gzNoSuffix));
        assertTrue(!IdxReader.isGzip(rawWithGz));
    }

    @Test
    void readsMnistDirectoryWithGzipStandardNames() {
        Path dir = tmp.resolve("mnist");
        write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images(6, 4, 4)));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(labelsFor(6))));
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(3, 4, 4)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(5, 6, 7)));
        Dataset d = IdxReader.readDataset(dir, LoadOptions.defaults());
        assertEquals("mnist", d.name());
        assertEquals("IDX (gzip)", d.format());
        assertEquals(6, d.train().size());
        assertEquals(3, d.test().size());
        assertArrayEquals(labelsFor(6), d.train().labels());
        assertArrayEquals(new int[] {5, 6, 7}, d.test().labels());
        assertEquals(pixel(2, 3, 1) / 255f, d.test().value(2, 0, 3, 1));
        assertEquals(10, d.train().classCount());
    }

    @Test
    void readsDotNamesRawAndClassNamesFile() throws IOException {
        Path dir = tmp.resolve("fashion");
        write(dir.resolve("train-images.idx3-ubyte"), images(4, 2, 3));
        write(dir.resolve("train-labels.idx1-ubyte"), labels(0, 1, 2, 1));
        write(dir.resolve("t10k-images.idx3-ubyte"), images(2, 2, 3));
        write(dir.resolve("t10k-labels.idx1-ubyte"), labels(2, 0));
        Files.writeString(dir.resolve("classes.txt"), "T-shirt/top\n\nTrouser\r\nPullover\n");
        Dataset d = IdxReader.readDataset(dir, LoadOptions.defaults());
        assertEquals("IDX", d.format());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover"), d.train().classNames());
        assertEquals(d.train().classNames(), d.test().classNames());
        assertEquals(4, d.train().size());
    }

    @Test
    void labelBeyondClassNamesIsRejectedWithItsPosition() throws IOException {
        Path dir = tmp.resolve("few");
        write(dir.resolve("t10k-images-idx3-ubyte"), images(3, 2, 2));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(0, 1, 4));
        Files.writeString(dir.resolve("classes.txt"), "a\nb\nc\n");
        DataException e = assertThrows(DataException.class, () -> IdxReader.readDataset(dir, LoadOptions.defaults()));
        assertEquals("byte 10", e.position());
        assertTrue(e.getMessage().contains("t10k-labels-idx1-ubyte"), e.getMessage());
        assertTrue(e.fault().contains("label 4"), e.fault());
    }

    @Test
    void labelsAboveNineWithoutNamesExtendTheClasses() {
        ImageSet set = IdxReader.read(write(tmp.resolve("i"), images(2, 2, 2)), write(tmp.resolve("l"), labels(3, 25)),
                "emnist", LoadOptions.defaults());
        assertEquals(26, set.classCount());
        assertEquals("25", set.classNames().get(25));
    }

    @Test
    void onlyTheTestSplitPresentIsSplitPerClass() {
        Path dir = tmp.resolve("t10k-only");
        int[] l = new int[40];
        for (int i = 0; i < 40; i++) l[i] = i % 4; // 10 per class
        write(dir.resolve("t10k-images-idx3-ubyte.gz"), gzip(images(40, 3, 3)));
        write(dir.resolve("t10k-labels-idx1-ubyte.gz"), gzip(labels(l)));
        Dataset d = IdxReader.readDataset(dir, LoadOptions.defaults().withTestFraction(0.2).withSeed(7));
        assertEquals(32, d.train().size());
        assertEquals(8, d.test().size());
        int[] testCounts = d.test().classCounts();
        assertEquals(2, testCounts[0]);
        assertEquals(2, testCounts[3]);
        assertEquals("t10k-only test", d.test().name());
        // the same seed gives the same split
        Dataset again = IdxReader.readDataset(dir, LoadOptions.defaults().withTestFraction(0.2).withSeed(7));
        assertArrayEquals(d.test().sample(4), again.test().sample(4));
    }

    @Test
    void aSingleImagesFileFindsItsLabelsAndIsSplit() {
        Path dir = tmp.resolve("single");
        Path img = write(dir.resolve("train-images-idx3-ubyte"), images(10, 2, 2));
        write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(labels(0, 1, 0, 1, 0, 1, 0, 1, 0, 1)));
        Dataset d = IdxReader.readDataset(img, LoadOptions.defaults().withTestFraction(0.2));
        assertEquals(8, d.train().size());
        assertEquals(2, d.test().size());
        assertEquals("single", d.name());
    }

    @Test
    void limitSizeAndChannelsAreApplied() {
        Path dir = tmp.resolve("opts");
        write(dir.resolve("train-images-idx3-ubyte"), images(8, 4, 4));
        write(dir.resolve("train-labels-idx1-ubyte"), labels(labelsFor(8)));
        write(dir.resolve("t10k-images-idx3-ubyte"), images(5, 4, 4));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(labelsFor(5)));
        Dataset d = IdxReader.readDataset(dir, LoadOptions.defaults().withLimit(3).withSize(2, 2).withChannels(Channels.RGB));
        assertEquals(3, d.train().size());
        assertEquals(3, d.test().size());
        assertArrayEquals(new int[] {3, 2, 2}, d.train().shape());
        // area average of the top-left 2×2 block of image 1, copied into all three planes
        float expected = (pixel(1, 0, 0) + pixel(1, 0, 1) + pixel(1, 1, 0) + pixel(1, 1, 1)) / 4f / 255f;
        for (int c = 0; c < 3; c++) assertEquals(expected, d.train().value(1, c, 0, 0), 1e-6);
    }

    @Test
    void limitOnASplitSourceCapsBothParts() {
        Path dir = tmp.resolve("cap");
        write(dir.resolve("t10k-images-idx3-ubyte"), images(50, 2, 2));
        write(dir.resolve("t10k-labels-idx1-ubyte"), labels(labelsFor(50)));
        Dataset d = IdxReader.readDataset(dir, LoadOptions.defaults().withLimit(8).withTestFraction(0.5));
        assertTrue(d.train().size() <= 8 && d.train().size() >= 6, "train " + d.train().size());
        assertTrue(d.test().size() <= 8 && d.test().size() >= 6, "test " + d.test().size());
    }

    @Test
    void labelAndImageCountMismatchIsRejected() {
        Path img = write(tmp.resolve("train-images-idx3-ubyte"), images(3, 2, 2));
        Path lab = write(tmp.resolve("train-labels-idx1-ubyte"), labels(1, 2));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(img, lab, "x", LoadOptions.defaults()));
        assertEquals(lab, e.file());
        assertTrue(e.fault().contains("label count 2") && e.fault().contains("image count 3"), e.fault());
    }

    @Test
    void wrongMagicNamesTheFileAndSaysMagic() {
        byte[] b = images(2, 2, 2);
        b[0] = 0x50;
        b[1] = 0x4B;
        Path img = write(tmp.resolve("not-idx.bin"), b);
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(img, null, "x", LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("not-idx.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        assertEquals("byte 0", e.position());
    }

    @Test
    void unsupportedTypeAndWrongRankAreNamed() {
        Path floats = write(tmp.resolve("f"), images(1, 2, 2, 0x0D));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(floats, null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("0x0D") && e.fault().contains("float32"), e.fault());
        assertEquals("byte 2", e.position());

        Path lab = write(tmp.resolve("l"), labels(1, 2));
        e = assertThrows(DataException.class, () -> IdxReader.read(lab, lab, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("rank 1") && e.fault().contains("labels file"), e.fault());
        assertEquals("byte 3", e.position());
    }

    @Test
    void truncatedRawFileSaysExpectedAndPresentBytes() {
        byte[] b = images(4, 5, 5); // 16 + 100 bytes
        Path img = write(tmp.resolve("cut"), Arrays.copyOf(b, 70));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(img, null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("116") && e.fault().contains("70") && e.fault().contains("truncated"), e.fault());
        assertEquals("byte 70", e.position());
    }

    @Test
    void truncatedGzipFileIsReported() {
        byte[] gz = gzip(images(20, 6, 6));
        Path img = write(tmp.resolve("cut.gz"), Arrays.copyOf(gz, gz.length - 30));
        DataException e = assertThrows(DataException.class, () -> IdxReader.read(img, null, "x", LoadOptions.defaults()));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejectedRawAndGzip() {
        byte[] b = Arrays.copyOf(images(2, 2, 2), 16 + 8 + 3);
        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read(write(tmp.resolve("t"), b), null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("3 unexpected bytes"), e.fault());
        assertThrows(DataException.class,
                () -> IdxReader.read(write(tmp.resolve("t.gz"), gzip(b)), null, "x", LoadOptions.defaults()));
    }

    @Test
    void zeroAndAbsurdSizesAreRejectedWithoutAllocating() {
        byte[] zero = images(2, 2, 2);
        zero[11] = 0; // n = 0
        assertThrows(DataException.class, () -> IdxReader.read(write(tmp.resolve("z"), zero), null, "x", LoadOptions.defaults()));

        // a gzip header that claims 2^31-1 images of 1000×1000: must fail fast on the short stream
        byte[] huge = images(1, 2, 2);
        putInt(huge, 4, Integer.MAX_VALUE);
        putInt(huge, 8, 1000);
        putInt(huge, 12, 1000);
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            DataException e = assertThrows(DataException.class,
                    () -> IdxReader.read(write(tmp.resolve("huge.gz"), gzip(huge)), null, "x", LoadOptions.defaults()));
            assertTrue(e.fault().contains("one array") || e.fault().contains("truncated"), e.fault());
        });
        // 2^31-1 images of 28×28 with a limit: the gzip stream ends long before; only chunks were allocated
        putInt(huge, 8, 28);
        putInt(huge, 12, 28);
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            DataException e = assertThrows(DataException.class,
                    () -> IdxReader.read(write(tmp.resolve("huge2.gz"), gzip(huge)), null, "x", LoadOptions.defaults().withLimit(1_000_000)));
            assertTrue(e.fault().contains("truncated"), e.fault());
        });
        // the raw file is checked against its length before anything is read
        DataException e = assertThrows(DataException.class,
                () -> IdxReader.read(write(tmp.resolve("huge.raw"), huge), null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("truncated") && e.fault().contains("file has 20 bytes"), e.fault());
        // a single image of 2^16 × 2^16 pixels
        putInt(huge, 4, 1);
        putInt(huge, 8, 1 << 16);
        putInt(huge, 12, 1 << 16);
        e = assertThrows(DataException.class,
                () -> IdxReader.read(write(tmp.resolve("wide.gz"), gzip(huge)), null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("absurd"), e.fault());
    }

    @Test
    void missingFilesAndEmptyDirectoriesAreDataExceptions() throws IOException {
        assertThrows(DataException.class, () -> IdxReader.readDataset(tmp.resolve("nope"), LoadOptions.defaults()));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DataException e = assertThrows(DataException.class, () -> IdxReader.readDataset(empty, LoadOptions.defaults()));
        assertTrue(e.fault().contains("train-images-idx3-ubyte"), e.fault());
        Path noLabels = tmp.resolve("nolabels");
        write(noLabels.resolve("t10k-images-idx3-ubyte"), images(2, 2, 2));
        e = assertThrows(DataException.class, () -> IdxReader.readDataset(noLabels, LoadOptions.defaults()));
        assertTrue(e.fault().contains("t10k-labels-idx1-ubyte"), e.fault());
        Path three = write(tmp.resolve("three"), new byte[] {0, 0, 8});
        e = assertThrows(DataException.class, () -> IdxReader.read(three, null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("truncated inside the 4-byte IDX magic"), e.fault());
        Path emptyFile = write(tmp.resolve("zero"), new byte[0]);
        e = assertThrows(DataException.class, () -> IdxReader.read(emptyFile, null, "x", LoadOptions.defaults()));
        assertTrue(e.fault().contains("empty"), e.fault());
    }

    // ---- robustness: truncations and header overwrites either load or throw DataException ----

    @Test
    void everyTruncationAndHeaderOverwriteLoadsOrThrowsDataException() {
        byte[] img = images(4, 3, 2);
        byte[] lab = labels(1, 2, 3, 4);
        byte[] imgGz = gzip(img);
        byte[] labGz = gzip(lab);
        Path dir = tmp.resolve("fuzz");
        int[] values = {0x00, 0xFF, 0x7F, 0x80};
        // the loop takes well under a second of CPU; the limit is generous for a loaded shared machine
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int attempts = 0;
            // truncation of every file at every offset, raw and gzip
            for (int cut = 0; cut < img.length; cut++) attempts += attempt(dir, Arrays.copyOf(img, cut), lab, false);
            for (int cut = 0; cut < lab.length; cut++) attempts += attempt(dir, img, Arrays.copyOf(lab, cut), false);
            for (int cut = 0; cut < imgGz.length; cut++) attempts += attempt(dir, Arrays.copyOf(imgGz, cut), labGz, false);
            for (int cut = 0; cut < labGz.length; cut++) attempts += attempt(dir, imgGz, Arrays.copyOf(labGz, cut), false);
            // overwrite each IDX header byte (raw, and gzip-compressed after the change)
            for (int pos = 0; pos < 16; pos++) {
                for (int v : values) {
                    byte[] b = img.clone();
                    b[pos] = (byte) v;
                    attempts += attempt(dir, b, lab, false);
                    attempts += attempt(dir, gzip(b), labGz, false);
                }
            }
            for (int pos = 0; pos < 8; pos++) {
                for (int v : values) {
                    byte[] b = lab.clone();
                    b[pos] = (byte) v;
                    attempts += attempt(dir, img, b, false);
                    attempts += attempt(dir, imgGz, gzip(b), false);
                }
            }
            // overwrite bytes of the gzip container itself (header, deflate data, trailer)
            for (int pos = 0; pos < imgGz.length; pos++) {
                for (int v : new int[] {0x00, 0xFF}) {
                    byte[] b = imgGz.clone();
                    b[pos] = (byte) v;
                    attempts += attempt(dir, b, labGz, false);
                }
            }
            // the whole-directory path, including the split of a single part
            for (int cut = 0; cut < img.length; cut += 3) attempts += attempt(dir, Arrays.copyOf(img, cut), lab, true);
            assertTrue(attempts > 400, "attempts " + attempts);
        });
    }

    private final java.util.Map<Path, byte[]> written = new java.util.HashMap<>();

    /** Writes only what changed since the last attempt: file writes dominate on a busy disk. */
    private Path writeIfChanged(Path file, byte[] content) {
        if (!Arrays.equals(written.get(file), content)) {
            write(file, content);
            written.put(file, content.clone());
        }
        return file;
    }

    private int attempt(Path dir, byte[] img, byte[] lab, boolean asDirectory) {
        Path i = writeIfChanged(dir.resolve("t10k-images-idx3-ubyte"), img);
        Path l = writeIfChanged(dir.resolve("t10k-labels-idx1-ubyte"), lab);
        try {
            if (asDirectory) {
                IdxReader.readDataset(dir, LoadOptions.defaults());
            } else {
                IdxReader.read(i, l, "fuzz", LoadOptions.defaults());
            }
        } catch (DataException expected) {
            if (expected.getMessage() == null || expected.file() == null) fail("DataException without file: " + expected);
        } catch (Throwable t) {
            fail("not a DataException for " + Arrays.toString(Arrays.copyOf(img, Math.min(24, img.length))), t);
        }
        return 1;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
