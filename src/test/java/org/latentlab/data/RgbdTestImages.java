package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes small real PNG/JPEG files for the RGB-D reader tests. */
final class RgbdTestImages {
    private RgbdTestImages() {}

    interface PixelFunction {
        int at(int x, int y);
    }

    /** 8-bit RGB image; f gives 0xRRGGBB. format "png" or "jpg". */
    static Path rgb(Path file, int w, int h, String format, PixelFunction f) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, f.at(x, y));
        return write(img, format, file);
    }

    /** 8-bit grey PNG; f gives 0..255. */
    static Path grey8(Path file, int w, int h, PixelFunction f) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, f.at(x, y));
        return write(img, "png", file);
    }

    /** 16-bit grey PNG; f gives 0..65535. */
    static Path grey16(Path file, int w, int h, PixelFunction f) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_USHORT_GRAY);
        WritableRaster r = img.getRaster();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) r.setSample(x, y, 0, f.at(x, y));
        return write(img, "png", file);
    }

    private static Path write(BufferedImage img, String format, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, format, file.toFile())) throw new IOException("no writer for " + format);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void text(Path file, String content) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
