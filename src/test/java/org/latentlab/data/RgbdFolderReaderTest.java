package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.latentlab.data.RgbdTestImages.grey16;
import static org.latentlab.data.RgbdTestImages.grey8;
import static org.latentlab.data.RgbdTestImages.rgb;
import static org.latentlab.data.RgbdTestImages.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RgbdFolderReaderTest {
    private static final LoadOptions ALL = LoadOptions.defaults().withTestFraction(0);

    @TempDir
    Path tmp;

    /** DenseDepth train pair: a flat-coloured JPEG and an 8-bit depth PNG. */
    private void densePair(Path scene, String n, int colour, int depthValue) {
        rgb(scene.resolve(n + ".jpg"), 8, 6, "jpg", (x, y) -> colour);
        grey8(scene.resolve(n + ".png"), 8, 6, (x, y) -> x == 0 && y == 0 ? 0 : depthValue);
    }

    @Test
    void denseDepthTrainFoldersGiveSceneClassesAndMetres() {
        Path train = tmp.resolve("nyu2_train");
        densePair(train.resolve("bedroom_0001"), "1", 0xFF0000, 255);
        densePair(train.resolve("bedroom_0001"), "10", 0xFF0000, 51);
        densePair(train.resolve("bedroom_0001"), "2", 0xFF0000, 102);
        densePair(train.resolve("kitchen_0028a"), "1", 0x00FF00, 128);
        densePair(train.resolve("living_room_0038_out"), "5", 0x0000FF, 255);

        Dataset d = RgbdFolderReader.readDataset(tmp, ALL);
        ImageSet s = d.train();
        assertEquals(5, s.size());
        assertEquals(0, d.test().size());
        assertEquals(Channels.RGBD, s.channels());
        assertEquals(6, s.height());
        assertEquals(8, s.width());
        assertEquals(List.of("bedroom", "kitchen", "living_room"), s.classNames());
        assertArrayEquals(new int[] {0, 0, 0, 1, 2}, s.labels());
        // natural order within a scene: 1, 2, 10
        assertEquals(10f, s.value(0, 3, 2, 3), 1e-6);
        assertEquals(102 * 10f / 255f, s.value(1, 3, 2, 3), 1e-6);
        assertEquals(2f, s.value(2, 3, 2, 3), 1e-6);
        // 0 = missing: masked and counted, one per pair
        assertEquals(0f, s.value(0, 3, 0, 0));
        assertEquals(5, s.maskedDepthPixels());
        // JPEG colour, approximately
        assertEquals(1f, s.value(0, 0, 3, 3), 0.05);
        assertEquals(0f, s.value(0, 1, 3, 3), 0.05);
        assertEquals(1f, s.value(3, 1, 3, 3), 0.05);
        assertEquals(1f, s.value(4, 2, 3, 3), 0.05);
    }

    @Test
    void sceneNamesMapToClasses() {
        assertEquals("bedroom", RgbdFolderReader.sceneClass("bedroom_0001"));
        assertEquals("kitchen", RgbdFolderReader.sceneClass("kitchen_0028a"));
        assertEquals("living_room", RgbdFolderReader.sceneClass("living_room_0038_out"));
        assertEquals("office", RgbdFolderReader.sceneClass("office"));
    }

    @Test
    void csvIndexIsUsedAndResolvedLikeDenseDepth() {
        Path data = tmp.resolve("data");
        Path train = data.resolve("nyu2_train");
        densePair(train.resolve("bedroom_0001"), "1", 0xFF0000, 255);
        densePair(train.resolve("bedroom_0001"), "2", 0xFF0000, 51);
        densePair(train.resolve("office_0003"), "7", 0x00FF00, 51);
        text(data.resolve("nyu2_train.csv"),
                "data/nyu2_train/office_0003/7.jpg,data/nyu2_train/office_0003/7.png\n"
                        + "data/nyu2_train/bedroom_0001/2.jpg,data/nyu2_train/bedroom_0001/2.png\n");

        // the zip root (holding data/), data/ itself, and the CSV file all work
        for (Path given : List.of(tmp, data, data.resolve("nyu2_train.csv"))) {
            ImageSet s = RgbdFolderReader.readDataset(given, ALL).train();
            assertEquals(2, s.size(), "only the listed pairs, for " + given);
            assertEquals(List.of("bedroom", "office"), s.classNames());
            assertArrayEquals(new int[] {1, 0}, s.labels());
            assertEquals(2f, s.value(1, 3, 1, 1), 1e-6);
        }
    }

    @Test
    void csvIndexPathsRelativeToItsOwnFolderWork() {
        Path train = tmp.resolve("nyu2_train");
        densePair(train.resolve("bedroom_0001"), "1", 0xFF0000, 255);
        text(tmp.resolve("nyu2_train.csv"), "nyu2_train/bedroom_0001/1.jpg,nyu2_train/bedroom_0001/1.png\n");
        assertEquals(1, RgbdFolderReader.readDataset(tmp, ALL).train().size());
    }

    @Test
    void csvListingAMissingFileNamesTheLine() {
        Path data = tmp.resolve("data");
        densePair(data.resolve("nyu2_train").resolve("bedroom_0001"), "1", 0xFF0000, 255);
        text(data.resolve("nyu2_train.csv"),
                "data/nyu2_train/bedroom_0001/1.jpg,data/nyu2_train/bedroom_0001/1.png\n"
                        + "data/nyu2_train/bedroom_0001/9.jpg,data/nyu2_train/bedroom_0001/9.png\n");
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(tmp, ALL));
        assertEquals("line 2", e.position());
        assertTrue(e.getMessage().contains("9.jpg") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void denseDepthTestFolderReads16BitMillimetres() {
        Path test = tmp.resolve("nyu2_test");
        rgb(test.resolve("00000_colors.png"), 5, 4, "png", (x, y) -> (x * 50) << 16 | (y * 60) << 8 | 7);
        grey16(test.resolve("00000_depth.png"), 5, 4, (x, y) -> x == 4 && y == 3 ? 0 : 1234 + x);
        rgb(test.resolve("00001_colors.png"), 5, 4, "png", (x, y) -> 0x808080);
        grey16(test.resolve("00001_depth.png"), 5, 4, (x, y) -> 10000);

        ImageSet s = RgbdFolderReader.readDataset(test, ALL).train();
        assertEquals(List.of("test"), s.classNames());
        assertEquals(2, s.size());
        assertEquals(1.234f, s.value(0, 3, 0, 0), 1e-6);
        assertEquals(1.236f, s.value(0, 3, 1, 2), 1e-6);
        assertEquals(0f, s.value(0, 3, 3, 4));
        assertEquals(10f, s.value(1, 3, 2, 2), 1e-6);
        assertEquals(1, s.maskedDepthPixels());
        // PNG colour exactly, pixel (y=2, x=3)
        assertEquals(150 / 255f, s.value(0, 0, 2, 3), 1e-6);
        assertEquals(120 / 255f, s.value(0, 1, 2, 3), 1e-6);
        assertEquals(7 / 255f, s.value(0, 2, 2, 3), 1e-6);
    }

    @Test
    void bothDenseDepthSplitsBecomeTrainAndTestWithSharedClasses() {
        densePair(tmp.resolve("nyu2_train").resolve("bedroom_0001"), "1", 0xFF0000, 255);
        densePair(tmp.resolve("nyu2_train").resolve("office_0002"), "1", 0xFF0000, 255);
        rgb(tmp.resolve("nyu2_test").resolve("00000_colors.png"), 8, 6, "png", (x, y) -> 0);
        grey16(tmp.resolve("nyu2_test").resolve("00000_depth.png"), 8, 6, (x, y) -> 2500);

        Dataset d = RgbdFolderReader.readDataset(tmp, LoadOptions.defaults());
        assertEquals(2, d.train().size());
        assertEquals(1, d.test().size());
        assertEquals(List.of("bedroom", "office", "test"), d.train().classNames());
        assertEquals(d.train().classNames(), d.test().classNames());
        assertEquals(2, d.test().label(0));
        assertEquals(2.5f, d.test().value(0, 3, 1, 1), 1e-6);
    }

    @Test
    void plainPairsWithLabelsCsv() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0x102030);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000 * (x + 1));
        rgb(dir.resolve("rgb/b.jpg"), 4, 3, "jpg", (x, y) -> 0xFFFFFF);
        grey16(dir.resolve("depth/b.png"), 4, 3, (x, y) -> 65535);
        text(dir.resolve("labels.csv"), "name,class\na,chair\nb.jpg,table\n");

        ImageSet s = RgbdFolderReader.readDataset(dir, ALL).train();
        assertEquals(List.of("chair", "table"), s.classNames());
        assertArrayEquals(new int[] {0, 1}, s.labels());
        assertEquals(0x10 / 255f, s.value(0, 0, 1, 1), 1e-6);
        assertEquals(0x30 / 255f, s.value(0, 2, 1, 1), 1e-6);
        assertEquals(3f, s.value(0, 3, 2, 2), 1e-6);
        assertEquals(65.535f, s.value(1, 3, 0, 0), 1e-4);
        assertEquals(0, s.maskedDepthPixels());
    }

    @Test
    void plainPairsWithoutLabelsAreOneClass() {
        Path dir = tmp.resolve("scan");
        for (String n : List.of("x1", "x2", "x3", "x4", "x5")) {
            rgb(dir.resolve("rgb/" + n + ".png"), 4, 3, "png", (x, y) -> 0x102030);
            grey16(dir.resolve("depth/" + n + ".png"), 4, 3, (x, y) -> 1500);
        }
        Dataset d = RgbdFolderReader.readDataset(dir, LoadOptions.defaults().withTestFraction(0.4));
        assertEquals(List.of("scan"), d.train().classNames());
        assertEquals(3, d.train().size());
        assertEquals(2, d.test().size());
        // limit picks pairs evenly
        assertEquals(2, RgbdFolderReader.readDataset(dir, ALL.withLimit(2)).train().size());
    }

    @Test
    void labelsCsvMissingANameIsAnError() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000);
        text(dir.resolve("labels.csv"), "other,chair\n");
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("labels.csv") && e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void resizingCropsToAspectAndIgnoresMissingDepth() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 6, 4, "png", (x, y) -> x < 1 || x > 4 ? 0xFF0000 : 0x0000FF);
        // 6 wide, 4 high; the central 4×4 is kept for a square target; one missing pixel
        grey16(dir.resolve("depth/a.png"), 6, 4, (x, y) -> x == 1 && y == 0 ? 0 : 1000 * (y < 2 ? 1 : 3));
        ImageSet s = RgbdFolderReader.readDataset(dir, ALL.withSize(2, 2)).train();
        assertEquals(2, s.height());
        assertEquals(2, s.width());
        // the red border columns 0 and 5 are cropped away
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertEquals(0f, s.value(0, 0, y, x), 1e-6);
                assertEquals(1f, s.value(0, 2, y, x), 1e-6);
            }
        }
        assertEquals(1f, s.value(0, 3, 0, 0), 1e-6); // mean of 3 valid 1 m pixels, the 0 ignored
        assertEquals(3f, s.value(0, 3, 1, 1), 1e-6);
        assertEquals(1, s.maskedDepthPixels());
    }

    @Test
    void channelsOptionDropsDepth() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0xFFFFFF);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000);
        assertEquals(Channels.RGB, RgbdFolderReader.readDataset(dir, ALL.withChannels(Channels.RGB)).channels());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void rgbWithoutDepthIsUnpaired() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000);
        rgb(dir.resolve("rgb/lonely.png"), 4, 3, "png", (x, y) -> 0);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertEquals("lonely.png", e.file().getFileName().toString());
        assertTrue(e.getMessage().contains("unpaired: no depth partner"), e.getMessage());
    }

    @Test
    void depthWithoutRgbIsUnpaired() {
        Path scene = tmp.resolve("nyu2_train").resolve("bedroom_0001");
        densePair(scene, "1", 0, 10);
        grey8(scene.resolve("2.png"), 8, 6, (x, y) -> 10);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(tmp, ALL));
        assertEquals("2.png", e.file().getFileName().toString());
        assertTrue(e.getMessage().contains("unpaired: no RGB partner 2.jpg"), e.getMessage());
    }

    @Test
    void testLayoutUnpairedColours() {
        Path test = tmp.resolve("nyu2_test");
        rgb(test.resolve("00003_colors.png"), 4, 3, "png", (x, y) -> 0);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(test, ALL));
        assertTrue(e.getMessage().contains("00003_colors.png") && e.getMessage().contains("00003_depth.png"),
                e.getMessage());
    }

    @Test
    void sizeMismatchBetweenRgbAndDepth() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/a.png"), 5, 3, (x, y) -> 1000);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("size mismatch") && e.getMessage().contains("5×3")
                && e.getMessage().contains("4×3"), e.getMessage());
    }

    @Test
    void pairsOfDifferentSizesNeedASize() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000);
        rgb(dir.resolve("rgb/b.png"), 8, 6, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/b.png"), 8, 6, (x, y) -> 1000);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("give a size"), e.getMessage());
        assertEquals(2, RgbdFolderReader.readDataset(dir, ALL.withSize(3, 4)).train().size());
    }

    @Test
    void eightBitDepthWhereMillimetresExpected() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey8(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 100);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("8-bit grey") && e.getMessage().contains("16-bit"), e.getMessage());
    }

    @Test
    void sixteenBitDepthInDenseDepthTrainIsRefused() {
        Path scene = tmp.resolve("nyu2_train").resolve("bedroom_0001");
        rgb(scene.resolve("1.jpg"), 4, 3, "jpg", (x, y) -> 0);
        grey16(scene.resolve("1.png"), 4, 3, (x, y) -> 1000);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(tmp, ALL));
        assertTrue(e.getMessage().contains("16-bit grey") && e.getMessage().contains("8-bit"), e.getMessage());
    }

    @Test
    void colourDepthImageIsRefused() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        rgb(dir.resolve("depth/a.png"), 4, 3, "png", (x, y) -> 0x404040);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("single-channel grey"), e.getMessage());
    }

    @Test
    void zeroByteAndUnreadableImages() throws IOException {
        Path dir = tmp.resolve("pairs");
        Files.createDirectories(dir.resolve("rgb"));
        Files.write(dir.resolve("rgb/a.png"), new byte[0]);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> 1000);
        DataException e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("0 bytes"), e.getMessage());

        Files.writeString(dir.resolve("rgb/a.png"), "this is not an image at all");
        e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(dir, ALL));
        assertTrue(e.getMessage().contains("rgb") && e.getMessage().contains("unreadable"), e.getMessage());
    }

    @Test
    void rejectPolicyNamesTheMissingPixel() {
        Path dir = tmp.resolve("pairs");
        rgb(dir.resolve("rgb/a.png"), 4, 3, "png", (x, y) -> 0);
        grey16(dir.resolve("depth/a.png"), 4, 3, (x, y) -> x == 2 && y == 1 ? 0 : 1000);
        DataException e = assertThrows(DataException.class,
                () -> RgbdFolderReader.readDataset(dir, ALL.withDepthPolicy(DepthPolicy.REJECT)));
        assertEquals("pixel (y=1, x=2)", e.position());
        assertTrue(e.getMessage().contains("missing depth"), e.getMessage());
    }

    @Test
    void noPairsFound() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        DataException e = assertThrows(DataException.class,
                () -> RgbdFolderReader.readDataset(tmp.resolve("empty"), ALL));
        assertTrue(e.getMessage().contains("no RGB-D pairs found"), e.getMessage());
        Files.createDirectories(tmp.resolve("p/rgb"));
        Files.createDirectories(tmp.resolve("p/depth"));
        e = assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(tmp.resolve("p"), ALL));
        assertTrue(e.getMessage().contains("no RGB-D pairs found"), e.getMessage());
        assertThrows(DataException.class, () -> RgbdFolderReader.readDataset(tmp.resolve("nowhere"), ALL));
    }

    // ------------------------------------------------------------------ robustness

    @Test
    void truncatedOrDamagedImagesLoadOrThrowDataException() throws IOException {
        Path dir = tmp.resolve("pairs");
        Path rgbPng = rgb(dir.resolve("rgb/a.png"), 16, 12, "png", (x, y) -> x * 16 << 16 | y * 20 << 8 | 99);
        Path depthPng = grey16(dir.resolve("depth/a.png"), 16, 12, (x, y) -> 500 + 37 * x + 101 * y);
        Path jpgDir = tmp.resolve("jpgpairs");
        Path rgbJpg = rgb(jpgDir.resolve("rgb/a.jpg"), 16, 12, "jpg", (x, y) -> x * 16 << 16 | y * 20 << 8 | 99);
        grey16(jpgDir.resolve("depth/a.png"), 16, 12, (x, y) -> 500 + 37 * x + 101 * y);
        Random rnd = new Random(5);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (Path[] target : new Path[][] {{dir, rgbPng}, {dir, depthPng}, {jpgDir, rgbJpg}}) {
                Path root = target[0], file = target[1];
                byte[] good = Files.readAllBytes(file);
                // truncations
                for (int cut = 0; cut < good.length; cut += Math.max(1, good.length / 20)) {
                    Files.write(file, Arrays.copyOf(good, cut));
                    loadsOrThrowsDataException(root);
                }
                // header bytes overwritten
                for (int i = 0; i < Math.min(good.length, 40); i++) {
                    byte[] bad = good.clone();
                    bad[i] = (byte) (i % 3 == 0 ? 0x00 : i % 3 == 1 ? 0xFF : rnd.nextInt(256));
                    Files.write(file, bad);
                    loadsOrThrowsDataException(root);
                }
                // random damage further in
                for (int k = 0; k < 15; k++) {
                    byte[] bad = good.clone();
                    for (int j = 0; j < 4; j++) bad[rnd.nextInt(bad.length)] = (byte) rnd.nextInt(256);
                    Files.write(file, bad);
                    loadsOrThrowsDataException(root);
                }
                Files.write(file, good);
            }
        });
        assertEquals(1, RgbdFolderReader.readDataset(dir, ALL).train().size());
    }

    @Test
    void damagedCsvIndexLoadsOrThrowsDataException() throws IOException {
        Path data = tmp.resolve("data");
        densePair(data.resolve("nyu2_train").resolve("bedroom_0001"), "1", 0xFF0000, 255);
        String good = "data/nyu2_train/bedroom_0001/1.jpg,data/nyu2_train/bedroom_0001/1.png\n";
        Path csv = data.resolve("nyu2_train.csv");
        byte[] bytes = good.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int cut = 0; cut <= bytes.length; cut += 5) {
                Files.write(csv, Arrays.copyOf(bytes, cut));
                loadsOrThrowsDataException(tmp);
            }
            for (int i = 0; i < bytes.length; i += 4) {
                byte[] bad = bytes.clone();
                bad[i] = (byte) (i % 3 == 0 ? 0xFF : i % 3 == 1 ? ',' : 0);
                Files.write(csv, bad);
                loadsOrThrowsDataException(tmp);
            }
        });
    }

    private static void loadsOrThrowsDataException(Path root) {
        try {
            Dataset d = RgbdFolderReader.readDataset(root, ALL);
            assertTrue(d.train().size() > 0);
        } catch (DataException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank());
        }
    }
}
