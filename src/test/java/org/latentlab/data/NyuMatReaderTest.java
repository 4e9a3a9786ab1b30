package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fixtures: src/test/resources/nyu/make_fixture.py (values documented there). */
class NyuMatReaderTest {
    private static final Path DIR = Path.of("src/test/resources/nyu");
    private static final Path SMALL = DIR.resolve("nyu_small.mat");
    private static final float[] BASE = {0.5f, 3.0f, 5.0f, 1.0f};
    /** Native size of the fixture: 40 wide, 30 high, all frames in train. */
    private static final LoadOptions NATIVE = LoadOptions.defaults().withSize(30, 40).withTestFraction(0);

    @TempDir
    Path tmp;

    private static int colour(int n, int c, int x, int y) {
        return (61 * n + 29 * c + 7 * x + 3 * y) % 256;
    }

    @Test
    void readsFramesTransposedWithExactDepth() {
        Dataset d = NyuMatReader.readDataset(SMALL, NATIVE);
        ImageSet s = d.train();
        assertEquals(4, s.size());
        assertEquals(0, d.test().size());
        assertEquals(Channels.RGBD, s.channels());
        assertEquals(30, s.height());
        assertEquals(40, s.width());
        for (int n = 0; n < 4; n++) {
            for (int y = 0; y < 30; y++) {
                for (int x = 0; x < 40; x++) {
                    for (int c = 0; c < 3; c++) {
                        float want = colour(n, c, x, y) / 255f;
                        if (Math.abs(s.value(n, c, y, x) - want) > 1e-6f) {
                            fail("frame " + n + " channel " + c + " (y=" + y + ", x=" + x + "): "
                                    + s.value(n, c, y, x) + " != " + want);
                        }
                    }
                    boolean bad = n == 3 && ((y == 1 && x == 2) || (y == 2 && x == 3) || (y == 3 && x == 4));
                    float want = bad ? 0f : BASE[n] + x / 64f + y / 128f;
                    if (s.value(n, 3, y, x) != want) {
                        fail("depth frame " + n + " (y=" + y + ", x=" + x + "): " + s.value(n, 3, y, x) + " != " + want);
                    }
                }
            }
        }
        assertEquals(3, s.maskedDepthPixels()); // NaN, +inf and -1 in frame 3
        assertEquals(10f, s.depthMaxMetres());
    }

    @Test
    void labelsAreMedianDepthBuckets() {
        ImageSet s = NyuMatReader.readDataset(SMALL, NATIVE).train();
        assertEquals(java.util.List.of("near", "mid", "far"), s.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 0}, s.labels());
        assertEquals(0, NyuMatReader.bucket(10, 6, 0));
        assertEquals(1, NyuMatReader.bucket(10, 5, 5));
        assertEquals(2, NyuMatReader.bucket(10, 0, 6));
        assertEquals(2, NyuMatReader.bucket(0, 0, 0));
    }

    @Test
    void defaultSizeIs64AndLimitAndSplitApply() {
        Dataset d = NyuMatReader.readDataset(SMALL, LoadOptions.defaults().withTestFraction(0));
        assertEquals(64, d.height());
        assertEquals(64, d.width());
        // only the width asked: the height follows the 4:3 source aspect
        Dataset w = NyuMatReader.readDataset(SMALL, LoadOptions.defaults().withSize(0, 20).withTestFraction(0));
        assertEquals(15, w.height());
        assertEquals(20, w.width());
        // halving: area average of 2×2 blocks, depth exact for this linear ramp
        ImageSet half = NyuMatReader.readDataset(SMALL, NATIVE.withSize(15, 20)).train();
        assertEquals(BASE[1] + 0.5f / 64f + 0.5f / 128f, half.value(1, 3, 0, 0), 1e-6);
        assertEquals(2, NyuMatReader.readDataset(SMALL, NATIVE.withLimit(2)).train().size());
        Dataset split = NyuMatReader.readDataset(SMALL, LoadOptions.defaults().withTestFraction(0.5));
        assertEquals(4, split.train().size() + split.test().size());
        assertTrue(split.test().size() > 0);
        assertEquals(Channels.GRAY,
                NyuMatReader.readDataset(SMALL, NATIVE.withChannels(Channels.GRAY)).channels());
    }

    @Test
    void rejectPolicyNamesFrameAndPixel() {
        DataException e = assertThrows(DataException.class,
                () -> NyuMatReader.readDataset(SMALL, NATIVE.withDepthPolicy(DepthPolicy.REJECT)));
        assertEquals("frame 3, pixel (y=1, x=2)", e.position());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(SMALL, e.file());
        // the first three frames are clean
        assertEquals(3, NyuMatReader.readDataset(SMALL,
                NATIVE.withLimit(3).withDepthPolicy(DepthPolicy.REJECT)).train().size());
    }

    @Test
    void missingDatasetListsWhatIsPresent() {
        DataException e = assertThrows(DataException.class,
                () -> NyuMatReader.readDataset(DIR.resolve("nyu_missing.mat"), NATIVE));
        assertTrue(e.getMessage().contains("'depths'") && e.getMessage().contains("present: images, labels"),
                e.getMessage());
    }

    @Test
    void shapesThatDisagree() {
        DataException e = assertThrows(DataException.class,
                () -> NyuMatReader.readDataset(DIR.resolve("nyu_mismatch.mat"), NATIVE));
        assertTrue(e.getMessage().contains("shapes disagree") && e.getMessage().contains("(2, 3, 8, 6)")
                && e.getMessage().contains("(2, 6, 8)"), e.getMessage());
    }

    @Test
    void wrongMagicAndOlderMatFiles() throws IOException {
        Path png = tmp.resolve("not.mat");
        Files.write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13});
        DataException e = assertThrows(DataException.class, () -> NyuMatReader.readDataset(png, NATIVE));
        assertTrue(e.getMessage().contains("not an HDF5 file"), e.getMessage());
        assertEquals("byte 0", e.position());

        Path v5 = tmp.resolve("v5.mat");
        byte[] header = new byte[2048];
        byte[] text = "MATLAB 5.0 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024"
                .getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        Files.write(v5, header);
        e = assertThrows(DataException.class, () -> NyuMatReader.readDataset(v5, NATIVE));
        assertTrue(e.getMessage().contains("not version 7.3") && e.getMessage().contains("-v7.3"), e.getMessage());

        Path empty = tmp.resolve("empty.mat");
        Files.write(empty, new byte[0]);
        e = assertThrows(DataException.class, () -> NyuMatReader.readDataset(empty, NATIVE));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());

        e = assertThrows(DataException.class, () -> NyuMatReader.readDataset(tmp.resolve("absent.mat"), NATIVE));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void truncatedFileIsADataException() throws IOException {
        byte[] good = Files.readAllBytes(SMALL);
        Path cut = tmp.resolve("cut.mat");
        for (int len : new int[] {600, 2048, good.length / 2, good.length - 100}) {
            Files.write(cut, Arrays.copyOf(good, len));
            DataException e = assertThrows(DataException.class, () -> NyuMatReader.readDataset(cut, NATIVE),
                    "truncated to " + len);
            assertEquals(cut, e.file());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void truncatedOrDamagedFilesLoadOrThrowDataException() throws IOException {
        byte[] good = Files.readAllBytes(SMALL);
        Path f = tmp.resolve("damaged.mat");
        Random rnd = new Random(11);
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            // truncations at many offsets, denser in the header
            for (int len = 0; len < good.length; len += len < 4096 ? 211 : 1999) {
                Files.write(f, Arrays.copyOf(good, len));
                outcomes[attempt(f)]++;
            }
            // header bytes overwritten: MATLAB text, HDF5 superblock and the first object headers
            for (int i = 0; i < 2048; i += 29) {
                byte[] bad = good.clone();
                bad[i] = (byte) (i % 2 == 0 ? 0xFF : rnd.nextInt(256));
                Files.write(f, bad);
                outcomes[attempt(f)]++;
            }
            // random damage anywhere
            for (int k = 0; k < 20; k++) {
                byte[] bad = good.clone();
                for (int j = 0; j < 8; j++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
                Files.write(f, bad);
                outcomes[attempt(f)]++;
            }
        });
        assertTrue(outcomes[1] > 0, "some damaged files must be refused");
    }

    /** 0 = loaded, 1 = DataException; any other throwable fails the test. */
    private static int attempt(Path f) {
        try {
            NyuMatReader.readDataset(f, NATIVE);
            return 0;
        } catch (DataException e) {
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
            return 1;
        }
    }
}
