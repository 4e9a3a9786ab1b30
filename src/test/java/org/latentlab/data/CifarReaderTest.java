package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
    @TempDir
    Path tmp;

    /** Distinct values per record, plane (0 = R, 1 = G, 2 = B), row and column. */
    static int value(int record, int plane, int y, int x) {
        return switch (plane) {
            case 0 -> (y * 32 + x + record) & 0xFF;
            case 1 -> (255 - y * 7 - x - record * 3) & 0xFF;
            default -> (x * 8 + record * 11 + 100) & 0xFF;
        };
    }

    /** A batch in the exact CIFAR-10 binary layout: label byte, 1024 R, 1024 G, 1024 B per record. */
    static byte[] batch(int... labels) {
        byte[] b = new byte[labels.length * CifarReader.RECORD];
        for (int r = 0; r < labels.length; r++) {
            int off = r * 3073;
            b[off] = (byte) labels[r];
            for (int p = 0; p < 3; p++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) b[off + 1 + p * 1024 + y * 32 + x] = (byte) value(r, p, y, x);
                }
            }
        }
        return b;
    }

    static Path write(Path file, byte[] content) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file); // rewriting a truncated file forces a slow flush on ext4
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void readBatchPlacesRedGreenBluePlanesAndLabels() {
        byte[] b = batch(3, 0, 9);
        b[1] = (byte) 0xFF; // R(0,0) of record 0
        b[1 + 1024 + 31] = 0; // G(0,31) of record 0
        Path bin = write(tmp.resolve("data_batch_1.bin"), b);
        ImageSet set = CifarReader.readBatch(bin, null, 0);
        assertEquals(3, set.size());
        assertEquals(Channels.RGB, set.channels());
        assertArrayEquals(new int[] {3, 32, 32}, set.shape());
        assertArrayEquals(new int[] {3, 0, 9}, set.labels());
        assertEquals(CifarReader.CIFAR10_CLASSES, set.classNames());
        assertEquals(1.0f, set.value(0, 0, 0, 0));
        assertEquals(0.0f, set.value(0, 1, 0, 31));
        for (int r = 0; r < 3; r++) {
            for (int p = 0; p < 3; p++) {
                for (int y = 0; y < 32; y += 5) {
                    for (int x = 0; x < 32; x += 3) {
                        if (r == 0 && y == 0 && (x == 0 || x == 31)) continue;
                        assertEquals(value(r, p, y, x) / 255f, set.value(r, p, y, x), "r" + r + " p" + p + " " + y + "," + x);
                    }
                }
            }
        }
        assertEquals(2, CifarReader.readBatch(bin, null, 2).size());
    }

    @Test
    void readsADirectoryOfSomeBatchesWithTestBatchAndMeta() throws IOException {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        write(dir.resolve("data_batch_1.bin"), batch(0, 1));
        write(dir.resolve("data_batch_3.bin"), batch(2, 2, 1));
        write(dir.resolve("test_batch.bin"), batch(1, 0));
        Files.writeString(dir.resolve("batches.meta.txt"), "plane\ncar\n\nbird\n\n");
        Dataset d = CifarReader.readDataset(dir, LoadOptions.defaults());
        assertEquals("CIFAR-10 binary", d.format());
        assertEquals(5, d.train().size());
        assertEquals(2, d.test().size());
        assertArrayEquals(new int[] {0, 1, 2, 2, 1}, d.train().labels());
        assertEquals(List.of("plane", "car", "bird"), d.train().classNames());
        // batch 3 follows batch 1: sample 2 is record 0 of batch 3
        assertEquals(value(0, 2, 4, 5) / 255f, d.train().value(2, 2, 4, 5));
        assertEquals(value(1, 1, 9, 9) / 255f, d.test().value(1, 1, 9, 9));

        Dataset limited = CifarReader.readDataset(dir, LoadOptions.defaults().withLimit(3));
        assertEquals(3, limited.train().size());
        assertEquals(2, limited.test().size());

        Dataset grey = CifarReader.readDataset(dir, LoadOptions.defaults().withChannels(Channels.GRAY).withSize(16, 16));
        assertArrayEquals(new int[] {1, 16, 16}, grey.train().shape());
    }

    @Test
    void aSingleFileOrOnlyTrainBatchesAreSplit() {
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) labels[i] = i % 2;
        Path single = write(tmp.resolve("one/test_batch.bin"), batch(labels));
        Dataset d = CifarReader.readDataset(single, LoadOptions.defaults().withTestFraction(0.2));
        assertEquals(16, d.train().size());
        assertEquals(4, d.test().size());

        Path dir = tmp.resolve("trainonly");
        write(dir.resolve("data_batch_2.bin"), batch(labels));
        Dataset t = CifarReader.readDataset(dir, LoadOptions.defaults().withTestFraction(0.5));
        assertEquals(10, t.train().size());
        assertEquals(10, t.test().size());
    }

    @Test
    void lengthNotAMultipleOfTheRecordSaysLengthAndRemainder() {
        Path bin = write(tmp.resolve("short.bin"), Arrays.copyOf(batch(1, 2), 3073 + 100));
        DataException e = assertThrows(DataException.class, () -> CifarReader.readBatch(bin, null, 0));
        assertTrue(e.getMessage().contains("short.bin"), e.getMessage());
        assertTrue(e.fault().contains("3173") && e.fault().contains("100 bytes left over"), e.fault());
        assertEquals("byte 3073", e.position());
    }

    @Test
    void emptyFileMissingFilesAndEmptyDirectoryAreRejected() throws IOException {
        Path empty = write(tmp.resolve("data_batch_1.bin"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> CifarReader.readBatch(empty, null, 0));
        assertTrue(e.fault().contains("empty"), e.fault());
        assertThrows(DataException.class, () -> CifarReader.readBatch(tmp.resolve("missing.bin"), null, 0));
        Path dir = Files.createDirectories(tmp.resolve("nothing"));
        e = assertThrows(DataException.class, () -> CifarReader.readDataset(dir, LoadOptions.defaults()));
        assertTrue(e.fault().contains("data_batch_1.bin"), e.fault());
        write(dir.resolve("train.bin"), new byte[3074]);
        e = assertThrows(DataException.class, () -> CifarReader.readDataset(dir, LoadOptions.defaults()));
        assertTrue(e.fault().contains("CIFAR-100"), e.fault());
    }

    @Test
    void labelOutOfRangeIsRejectedAtItsRecord() throws IOException {
        Path bin = write(tmp.resolve("bad.bin"), batch(1, 10, 2));
        DataException e = assertThrows(DataException.class, () -> CifarReader.readBatch(bin, null, 0));
        assertEquals("byte 3073", e.position());
        assertTrue(e.fault().contains("label 10 of record 1"), e.fault());

        Path dir = tmp.resolve("three");
        write(dir.resolve("test_batch.bin"), batch(0, 1, 2, 3));
        Files.writeString(dir.resolve("batches.meta.txt"), "a\nb\nc\n");
        e = assertThrows(DataException.class, () -> CifarReader.readDataset(dir, LoadOptions.defaults()));
        assertTrue(e.fault().contains("label 3") && e.fault().contains("batches.meta.txt"), e.fault());
    }

    // ---- robustness ----

    @Test
    void truncationsFailUnlessWholeRecordsAndLabelOverwritesLoadOrFail() {
        byte[] full = batch(1, 2, 3);
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 0; i <= 20; i++) cuts.add(i);
        for (int k = 1; k <= 3; k++) {
            for (int d = -3; d <= 3; d++) cuts.add(k * 3073 + d);
        }
        for (int i = 0; i < 200; i++) cuts.add(i * full.length / 200);
        cuts.removeIf(c -> c < 0 || c >= full.length);
        Path bin = tmp.resolve("fuzz.bin");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int cut : cuts) {
                write(bin, Arrays.copyOf(full, cut));
                try {
                    ImageSet s = CifarReader.readBatch(bin, null, 0);
                    if (cut == 0 || cut % 3073 != 0) fail("length " + cut + " loaded");
                    assertEquals(cut / 3073, s.size());
                } catch (DataException e) {
                    if (cut > 0 && cut % 3073 == 0) fail("whole records rejected at " + cut, e);
                } catch (Throwable t) {
                    fail("not a DataException at length " + cut, t);
                }
            }
            for (int record = 0; record < 3; record++) {
                for (int v : new int[] {0x00, 0x09, 0x0A, 0x7F, 0x80, 0xFF}) {
                    byte[] b = full.clone();
                    b[record * 3073] = (byte) v;
                    write(bin, b);
                    try {
                        CifarReader.readDataset(bin, LoadOptions.defaults());
                        if (v > 9) fail("label " + v + " loaded");
                    } catch (DataException e) {
                        if (v <= 9) fail("label " + v + " rejected", e);
                        assertEquals("byte " + record * 3073, e.position());
                    } catch (Throwable t) {
                        fail("not a DataException for label " + v, t);
                    }
                }
            }
        });
    }
}
