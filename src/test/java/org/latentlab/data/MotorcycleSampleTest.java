package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The committed Middlebury 2014 Motorcycle pair (sample-data/motorcycle, see its README). */
class MotorcycleSampleTest {
    private static final Path DIR = Path.of("sample-data/motorcycle");

    @Test
    void realDepthIsPlausibleAndMissingPixelsAreCounted() throws Exception {
        ImageSet s = RgbdFolderReader.readDataset(DIR, LoadOptions.defaults().withTestFraction(0)).train();
        assertEquals(1, s.size());
        assertEquals(Channels.RGBD, s.channels());
        assertEquals(432, s.height());
        assertEquals(640, s.width());
        assertEquals(List.of("motorcycle"), s.classNames());

        BufferedImage depthPng = ImageIO.read(DIR.resolve("depth/motorcycle.png").toFile());
        assertEquals(BufferedImage.TYPE_USHORT_GRAY, depthPng.getType());
        Raster r = depthPng.getRaster();
        long zeros = 0;
        float[] valid = new float[s.planeSize()];
        int n = 0;
        for (int y = 0; y < s.height(); y++) {
            for (int x = 0; x < s.width(); x++) {
                int mm = r.getSample(x, y, 0);
                float d = s.value(0, 3, y, x);
                if (mm == 0) {
                    zeros++;
                    assertEquals(0f, d);
                } else {
                    assertEquals(mm / 1000f, d, 1e-6f);
                    valid[n++] = d;
                }
            }
        }
        assertTrue(zeros > 1000, "the scene has occluded pixels without ground truth");
        assertEquals(zeros, s.maskedDepthPixels());
        Arrays.sort(valid, 0, n);
        assertTrue(valid[0] >= 1f && valid[n - 1] <= 5.5f, "depth range " + valid[0] + ".." + valid[n - 1]);
        float median = valid[n / 2];
        assertTrue(median > 2f && median < 4f, "median depth " + median);

        // colour is a real photograph: many distinct values
        float[][] ranges = s.valueRanges();
        for (int c = 0; c < 3; c++) assertTrue(ranges[c][1] - ranges[c][0] > 0.5f);

        // and it reads at model size too
        ImageSet small = RgbdFolderReader.readDataset(DIR, LoadOptions.defaults().withTestFraction(0).withSize(64, 64)).train();
        float centre = small.value(0, 3, 32, 32);
        assertTrue(centre > 1f && centre < 5.5f, "centre depth at 64×64: " + centre);
    }
}
