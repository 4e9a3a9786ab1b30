package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecodingTest {
    @TempDir
    Path tmp;

    static BufferedImage rgb(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) img.setRGB(x, y, (x * 40 & 0xFF) << 16 | (y * 50 & 0xFF) << 8 | ((x + y) * 10 & 0xFF));
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
            Files.deleteIfExists(file);
            return Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void rgbPlanesAreExactAndPlanar() {
        BufferedImage img = rgb(3, 2);
        img.setRGB(2, 1, 0xFFFFFF);
        float[] p = ImageDecoding.planes(img, Channels.RGB, 2, 3);
        assertEquals(18, p.length);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                if (y == 1 && x == 2) continue;
                assertEquals(x * 40 / 255f, p[y * 3 + x]);
                assertEquals(y * 50 / 255f, p[6 + y * 3 + x]);
                assertEquals((x + y) * 10 / 255f, p[12 + y * 3 + x]);
            }
        }
        assertEquals(1f, p[5]);
        assertEquals(1f, p[11]);
        assertEquals(1f, p[17]);
        // RGBD gives the colour planes only
        assertEquals(18, ImageDecoding.planes(img, Channels.RGBD, 2, 3).length);
    }

    @Test
    void greyImagesKeepTheirStoredValuesAndColourBecomesLuminance() {
        BufferedImage g = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(0, 0, 0, 128);
        g.getRaster().setSample(1, 0, 0, 255);
        float[] one = ImageDecoding.planes(g, Channels.GRAY, 1, 2);
        assertEquals(128 / 255f, one[0]);
        assertEquals(1f, one[1]);
        float[] three = ImageDecoding.planes(g, Channels.RGB, 1, 2);
        assertEquals(128 / 255f, three[2]);
        assertEquals(128 / 255f, three[4]);
        assertFalse(ImageDecoding.isColour(g));

        BufferedImage c = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        c.setRGB(0, 0, 0xFF0000);
        assertEquals(0.299f, ImageDecoding.planes(c, Channels.GRAY, 1, 1)[0], 1e-6);
        assertTrue(ImageDecoding.isColour(c));
        c.setRGB(0, 0, 0x808182); // within the grey tolerance
        assertFalse(ImageDecoding.isColour(c));
    }

    @Test
    void alphaIsCompositedOverWhite() {
        BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, 0x00000000); // fully transparent black
        a.setRGB(1, 0, 0x80FF0000); // half-transparent red
        float[] p = ImageDecoding.planes(a, Channels.RGB, 1, 2);
        assertEquals(1f, p[0]);
        assertEquals(1f, p[2]);
        assertEquals(1f, p[4]);
        assertEquals(1f, p[1]);
        assertEquals(((255 - 128) * 255 + 127) / 255 / 255f, p[3], 1e-6); // green: only white shows through
        assertFalse(ImageDecoding.isColour(new BufferedImage(3, 3, BufferedImage.TYPE_INT_ARGB)));
    }

    @Test
    void planesIntoADestinationMatchPlanesAtTheOffset() {
        BufferedImage img = rgb(6, 4);
        for (int[] size : new int[][] {{4, 6}, {2, 3}, {8, 12}}) {
            float[] alone = ImageDecoding.planes(img, Channels.RGB, size[0], size[1]);
            float[] dst = new float[alone.length + 10];
            ImageDecoding.planes(img, Channels.RGB, size[0], size[1], dst, 7);
            assertArrayEquals(alone, Arrays.copyOfRange(dst, 7, 7 + alone.length));
            assertEquals(0f, dst[6]);
        }
        assertThrows(IllegalArgumentException.class, () -> ImageDecoding.planes(img, Channels.RGB, 4, 6, new float[71], 0));
    }

    @Test
    void shrinkingAveragesAreas() {
        BufferedImage g = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) g.getRaster().setSample(x, y, 0, (y * 4 + x) * 10);
        }
        float[] p = ImageDecoding.planes(g, Channels.GRAY, 2, 2);
        assertEquals((0 + 10 + 40 + 50) / 4f / 255f, p[0], 1e-6);
        assertEquals((100 + 110 + 140 + 150) / 4f / 255f, p[3], 1e-6);
    }

    @Test
    void readsPngJpegBmpGif() {
        for (String f : new String[] {"png", "jpg", "bmp", "gif"}) {
            Path file = write(tmp.resolve("img." + f), encode(rgb(5, 4), f));
            BufferedImage img = ImageDecoding.read(file);
            assertEquals(5, img.getWidth(), f);
            assertEquals(4, img.getHeight(), f);
        }
        assertTrue(ImageDecoding.isImageFile(Path.of("A.JPEG")));
        assertFalse(ImageDecoding.isImageFile(Path.of("notes.txt")));
    }

    @Test
    void badFilesAreDataExceptionsNamingTheFile() {
        Path zero = write(tmp.resolve("zero.png"), new byte[0]);
        DataException e = assertThrows(DataException.class, () -> ImageDecoding.read(zero));
        assertEquals(zero, e.file());
        assertTrue(e.fault().contains("0 bytes"), e.fault());

        Path text = write(tmp.resolve("text.png"), "hello, not a picture".getBytes());
        e = assertThrows(DataException.class, () -> ImageDecoding.read(text));
        assertTrue(e.getMessage().contains("text.png") && e.fault().contains("not a readable image"), e.getMessage());

        assertThrows(DataException.class, () -> ImageDecoding.read(tmp.resolve("missing.png")));
        assertThrows(DataException.class, () -> ImageDecoding.read(tmp));

        byte[] jpg = encode(rgb(40, 30), "jpg");
        Path cut = write(tmp.resolve("cut.jpg"), Arrays.copyOf(jpg, jpg.length * 2 / 3));
        e = assertThrows(DataException.class, () -> ImageDecoding.read(cut));
        assertTrue(e.fault().contains("truncated"), e.fault());

        byte[] png = encode(rgb(40, 30), "png");
        Path cutPng = write(tmp.resolve("cut.png"), Arrays.copyOf(png, png.length / 2));
        assertThrows(DataException.class, () -> ImageDecoding.read(cutPng));
    }

    @Test
    void anAbsurdDeclaredSizeFailsBeforeDecoding() {
        byte[] png = encode(rgb(4, 4), "png");
        // IHDR width and height at bytes 16..23
        byte[] huge = png.clone();
        huge[16] = 0x00;
        huge[17] = 0x10;
        huge[20] = 0x00;
        huge[21] = 0x10; // 1M × 1M pixels
        Path file = write(tmp.resolve("huge.png"), huge);
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            DataException e = assertThrows(DataException.class, () -> ImageDecoding.read(file));
            assertTrue(e.fault().contains("absurd") || e.fault().contains("corrupt"), e.fault());
        });
    }

    @Test
    void largeImagesCanBeSubsampledForASmallTarget() {
        Path file = write(tmp.resolve("big.png"), encode(rgb(400, 320), "png"));
        BufferedImage img = ImageDecoding.read(file, 16, 16);
        assertEquals(80, img.getWidth()); // step 5 = min(320/64, 400/64)
        assertEquals(64, img.getHeight());
        assertEquals(400, ImageDecoding.read(file).getWidth());
    }
}
