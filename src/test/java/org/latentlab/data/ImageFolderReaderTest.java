package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    @TempDir
    Path tmp;

    /** Options that keep everything in train, in file order. */
    static final LoadOptions ALL_TRAIN = LoadOptions.defaults().withTestFraction(0);

    /** A 4×4 colour image whose pixels encode its id, row and column. */
    static BufferedImage colour(int id) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) img.setRGB(x, y, red(id, y, x) << 16 | green(id, y, x) << 8 | blue(id, y, x));
        }
        return img;
    }

    static int red(int id, int y, int x) { return (id * 20 + y * 4 + x) & 0xFF; }
    static int green(int id, int y, int x) { return (200 - y * 30) & 0xFF; }
    static int blue(int id, int y, int x) { return (x * 60 + id) & 0xFF; }

    static BufferedImage grey(int v, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.getRaster().setSample(x, y, 0, (v + x + y) & 0xFF);
        }
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, bo)) throw new IllegalStateException("no writer for " + format);
            return bo.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
    void classesAreSortedSubFoldersAndPixelsAreExact() throws IOException {
        Path root = tmp.resolve("animals");
        write(root.resolve("dogs/b.png"), encode(colour(2), "png"));
        write(root.resolve("dogs/a.png"), encode(colour(1), "png"));
        write(root.resolve("cats/z.png"), encode(colour(3), "png"));
        write(root.resolve("README.txt"), "top-level files are ignored".getBytes());
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN.withSize(4, 4));
        assertEquals("animals", d.name());
        assertEquals("image folder", d.format());
        ImageSet s = d.train();
        assertEquals(List.of("cats", "dogs"), s.classNames());
        assertArrayEquals(new int[] {0, 1, 1}, s.labels());
        assertEquals(Channels.RGB, s.channels());
        assertArrayEquals(new int[] {3, 4, 4}, s.shape());
        int[] ids = {3, 1, 2}; // cats/z, dogs/a, dogs/b
        for (int i = 0; i < 3; i++) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    assertEquals(red(ids[i], y, x) / 255f, s.value(i, 0, y, x));
                    assertEquals(green(ids[i], y, x) / 255f, s.value(i, 1, y, x));
                    assertEquals(blue(ids[i], y, x) / 255f, s.value(i, 2, y, x));
                }
            }
        }
        assertEquals(0, d.test().size());
    }

    @Test
    void greyImagesOfAnySizeGiveAGreySetAtTheDefaultSize() {
        Path root = tmp.resolve("grey");
        write(root.resolve("a/1.png"), encode(grey(10, 128, 128), "png"));
        write(root.resolve("b/2.bmp"), encode(grey(50, 30, 20), "bmp"));
        write(root.resolve("b/3.gif"), encode(grey(90, 64, 64), "gif"));
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN);
        assertEquals(Channels.GRAY, d.channels());
        assertEquals(64, d.height());
        assertEquals(64, d.width());
        // 128 → 64: each output pixel is the mean of a 2×2 block
        float expected = ((10) + (11) + (11) + (12)) / 4f / 255f;
        assertEquals(expected, d.train().value(0, 0, 0, 0), 1e-6);
        // the 64×64 GIF is kept as is
        assertEquals((90 + 5 + 7) / 255f, d.train().value(2, 0, 5, 7), 1e-6);
    }

    @Test
    void channelsOptionConvertsAndAlphaIsCompositedOverWhite() {
        Path root = tmp.resolve("alpha");
        BufferedImage a = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB); // all transparent
        a.setRGB(1, 1, 0xFF000000);
        write(root.resolve("x/a.png"), encode(a, "png"));
        write(root.resolve("x/g.png"), encode(grey(0, 2, 2), "png"));
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN.withSize(2, 2));
        assertEquals(Channels.GRAY, d.channels()); // white and black are grey
        assertEquals(1f, d.train().value(0, 0, 0, 0));
        assertEquals(0f, d.train().value(0, 0, 1, 1));
        Dataset rgb = ImageFolderReader.readDataset(root, ALL_TRAIN.withSize(2, 2).withChannels(Channels.RGB));
        assertEquals(Channels.RGB, rgb.channels());
        assertEquals(1f / 255f, rgb.train().value(1, 2, 0, 1)); // grey image copied into blue

        write(root.resolve("y/c.png"), encode(colour(4), "png"));
        Dataset g = ImageFolderReader.readDataset(root, ALL_TRAIN.withSize(4, 4).withChannels(Channels.GRAY));
        float lum = (0.299f * red(4, 0, 1) + 0.587f * green(4, 0, 1) + 0.114f * blue(4, 0, 1)) / 255f;
        assertEquals(lum, g.train().value(2, 0, 0, 1), 1e-5);
        assertThrows(DataException.class, () -> ImageFolderReader.readDataset(root, ALL_TRAIN.withChannels(Channels.RGBD)));
    }

    @Test
    void jpegLoadsCloseToItsSource() {
        Path root = tmp.resolve("jpeg");
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 16; x++) flat.setRGB(x, y, 0x3366CC);
        write(root.resolve("c/flat.jpg"), encode(flat, "jpg"));
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN.withSize(8, 8));
        assertEquals(Channels.RGB, d.channels());
        assertEquals(0x33 / 255f, d.train().value(0, 0, 4, 4), 4 / 255f);
        assertEquals(0xCC / 255f, d.train().value(0, 2, 4, 4), 4 / 255f);
    }

    @Test
    void hiddenFilesNonImagesAndEmptyClassFoldersAreIgnored() throws IOException {
        Path root = tmp.resolve("hidden");
        write(root.resolve("a/1.png"), encode(colour(1), "png"));
        write(root.resolve("a/.2.png"), "broken".getBytes());
        write(root.resolve("a/notes.txt"), "text".getBytes());
        write(root.resolve(".cache/3.png"), "broken".getBytes());
        Files.createDirectories(root.resolve("empty"));
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN);
        assertEquals(1, d.train().size());
        assertEquals(List.of("a"), d.train().classNames());
    }

    @Test
    void limitTakesFilesRoundRobinAcrossClasses() {
        Path root = tmp.resolve("limit");
        for (int i = 0; i < 5; i++) write(root.resolve("a/" + i + ".png"), encode(grey(i, 2, 2), "png"));
        write(root.resolve("b/0.png"), encode(grey(100, 2, 2), "png"));
        for (int i = 0; i < 4; i++) write(root.resolve("c/" + i + ".png"), encode(grey(200 + i, 2, 2), "png"));
        Dataset d = ImageFolderReader.readDataset(root, ALL_TRAIN.withLimit(5).withSize(2, 2));
        assertArrayEquals(new int[] {0, 0, 1, 2, 2}, d.train().labels());
        // the first files of each class, in name order: a/0, a/1, b/0, c/0, c/1
        float[] firstPixels = new float[5];
        for (int i = 0; i < 5; i++) firstPixels[i] = d.train().value(i, 0, 0, 0) * 255f;
        assertArrayEquals(new float[] {0, 1, 100, 200, 201}, firstPixels, 1e-4f);

        Dataset split = ImageFolderReader.readDataset(root, LoadOptions.defaults().withTestFraction(0.5).withLimit(3));
        assertTrue(split.train().size() <= 3 && split.test().size() <= 3);

        int[][] chosen = ImageFolderReader.choose(List.of(List.of(Path.of("a0"), Path.of("a1")), List.of(), List.of(Path.of("c0"))), 2);
        assertArrayEquals(new int[] {0, 0}, chosen[0]);
        assertArrayEquals(new int[] {2, 0}, chosen[1]);
    }

    @Test
    void splitIsDeterministicPerSeed() {
        Path root = tmp.resolve("split");
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 10; i++) write(root.resolve("k" + c + "/" + i + ".png"), encode(grey(c * 100 + i, 3, 3), "png"));
        }
        LoadOptions opt = LoadOptions.defaults().withTestFraction(0.2).withSeed(5).withSize(3, 3);
        Dataset a = ImageFolderReader.readDataset(root, opt);
        Dataset b = ImageFolderReader.readDataset(root, opt);
        assertEquals(16, a.train().size());
        assertEquals(4, a.test().size());
        assertArrayEquals(a.test().labels(), b.test().labels());
        for (int i = 0; i < 4; i++) assertArrayEquals(a.test().sample(i), b.test().sample(i));
        assertEquals("split train", a.train().name());
    }

    @Test
    void foldersWithoutClassesOrImagesAreRejected() throws IOException {
        Path flat = tmp.resolve("flat");
        write(flat.resolve("a.png"), encode(colour(1), "png"));
        DataException e = assertThrows(DataException.class, () -> ImageFolderReader.readDataset(flat, ALL_TRAIN));
        assertTrue(e.fault().contains("no class sub-folders"), e.fault());

        Path noImages = tmp.resolve("noimages");
        write(noImages.resolve("a/readme.txt"), "x".getBytes());
        e = assertThrows(DataException.class, () -> ImageFolderReader.readDataset(noImages, ALL_TRAIN));
        assertTrue(e.fault().contains("no images"), e.fault());

        assertThrows(DataException.class, () -> ImageFolderReader.readDataset(tmp.resolve("missing"), ALL_TRAIN));
        assertThrows(DataException.class, () -> ImageFolderReader.readDataset(flat.resolve("a.png"), ALL_TRAIN));
    }

    @Test
    void oneBadImageFailsTheWholeLoadNamingTheFirstBadFile() {
        Path root = tmp.resolve("bad");
        for (int i = 0; i < 12; i++) write(root.resolve("a/" + String.format("%02d", i) + ".png"), encode(colour(i), "png"));
        write(root.resolve("a/07.png"), new byte[0]);
        byte[] png = encode(colour(1), "png");
        write(root.resolve("b/05.png"), Arrays.copyOf(png, png.length / 2));
        write(root.resolve("b/09.png"), "not an image".getBytes());
        for (int k = 0; k < 3; k++) { // the same file every time, whatever the thread timing
            DataException e = assertThrows(DataException.class, () -> ImageFolderReader.readDataset(root, ALL_TRAIN));
            assertEquals(root.resolve("a/07.png"), e.file());
            assertTrue(e.getMessage().contains("07.png") && e.fault().contains("empty"), e.getMessage());
        }
        write(root.resolve("a/07.png"), png);
        DataException e = assertThrows(DataException.class, () -> ImageFolderReader.readDataset(root, ALL_TRAIN));
        assertEquals(root.resolve("b/05.png"), e.file());
    }

    // ---- robustness: a truncated or overwritten image loads or throws DataException ----

    @Test
    void truncatedAndOverwrittenImagesLoadOrThrowDataException() {
        // one image per folder: the reader's own work per attempt stays small on a busy machine
        Path root = tmp.resolve("fuzz-png");
        Path rootJpg = tmp.resolve("fuzz-jpg");
        Path victim = root.resolve("b/victim.png");
        Path victimJpg = rootJpg.resolve("c/victim.jpg");
        byte[] png = encode(colour(7), "png");
        byte[] jpg = encode(colour(7), "jpg");
        LoadOptions opt = ALL_TRAIN.withSize(4, 4);
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            int attempts = 0;
            for (int cut = 0; cut < png.length; cut++) attempts += attempt(root, victim, Arrays.copyOf(png, cut), opt);
            for (int pos = 0; pos < Math.min(41, png.length); pos++) { // signature, IHDR, next chunk header
                for (int v : new int[] {0x00, 0xFF, 0x7F}) {
                    byte[] b = png.clone();
                    b[pos] = (byte) v;
                    attempts += attempt(root, victim, b, opt);
                }
            }
            TreeSet<Integer> cuts = new TreeSet<>();
            for (int i = 0; i < 60; i++) cuts.add(i * jpg.length / 60);
            for (int cut : cuts) attempts += attempt(rootJpg, victimJpg, Arrays.copyOf(jpg, cut), opt);
            for (int pos = 0; pos < 40; pos++) {
                byte[] b = jpg.clone();
                b[pos] = (byte) 0xFF;
                attempts += attempt(rootJpg, victimJpg, b, opt);
            }
            assertTrue(attempts > 250, "attempts " + attempts);
        });
    }

    private static int attempt(Path root, Path victim, byte[] content, LoadOptions opt) {
        write(victim, content);
        try {
            Dataset d = ImageFolderReader.readDataset(root, opt);
            assertEquals(4, d.height());
        } catch (DataException e) {
            if (!e.file().equals(victim)) fail("the fault names " + e.file() + ", not the damaged " + victim, e);
        } catch (Throwable t) {
            fail("not a DataException for " + content.length + " bytes", t);
        }
        return 1;
    }
}
