package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticRoomsTest {

    @Test
    void sameSeedSameBytesOtherSeedOtherImages() {
        ImageSet a = SyntheticRooms.generate(12, 24, 32, 7);
        ImageSet b = SyntheticRooms.generate(12, 24, 32, 7);
        assertArrayEquals(a.raw(), b.raw());
        assertArrayEquals(a.labels(), b.labels());
        ImageSet c = SyntheticRooms.generate(12, 24, 32, 8);
        assertFalse(Arrays.equals(a.raw(), c.raw()));
    }

    @Test
    void imageIDependsOnlyOnSeedAndIndex() {
        ImageSet ten = SyntheticRooms.generate(10, 16, 16, 99);
        ImageSet six = SyntheticRooms.generate(6, 16, 16, 99);
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(ten.sample(i), six.sample(i));
        }
        // rendering image 5 on its own gives the same bytes
        SyntheticRooms.Scene scene = new SyntheticRooms.Scene();
        scene.randomise(SyntheticRooms.imageSeed(99, 0, 5));
        float[] alone = new float[4 * 16 * 16];
        scene.render(16, 16, alone, 0);
        assertArrayEquals(ten.sample(5), alone);
        assertEquals(ten.label(5), scene.objectCount - 1);
    }

    @Test
    void depthIsPlausibleAndNeverMissing() {
        ImageSet s = SyntheticRooms.generate(300, 24, 24, 3);
        assertEquals(Channels.RGBD, s.channels());
        assertEquals(0, s.maskedDepthPixels());
        assertEquals(10f, s.depthMaxMetres());
        float lo = Float.MAX_VALUE, hi = 0;
        for (int i = 0; i < s.size(); i++) {
            for (int y = 0; y < 24; y++) {
                for (int x = 0; x < 24; x++) {
                    float d = s.value(i, 3, y, x);
                    if (!(d > 0.3f && d < 12f)) fail("depth " + d + " in image " + i);
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                    for (int c = 0; c < 3; c++) {
                        float v = s.value(i, c, y, x);
                        if (!(v >= 0 && v <= 1)) fail("colour " + v + " in image " + i);
                    }
                }
            }
        }
        // the set spans near and far like NYU
        assertTrue(lo < 1.5f, "nearest " + lo);
        assertTrue(hi > 6f, "farthest " + hi);
    }

    @Test
    void depthIsExactZDepthOfAWallAndOfASphere() {
        SyntheticRooms.Scene s = new SyntheticRooms.Scene();
        s.room(4, 3, 6);
        s.camera(2, 1.5, 1, 0, 0); // looking along +z at the far wall 5 m away
        int h = 33, w = 33;
        float[] out = new float[4 * h * w];
        s.render(h, w, out, 0);
        int plane = h * w;
        assertEquals(5f, out[3 * plane + 16 * w + 16]);
        // every pixel that sees the far wall has z-depth 5, not the (longer) ray length
        int wall = 0;
        for (int j = 0; j < plane; j++) {
            float d = out[3 * plane + j];
            if (Math.abs(d - 5f) < 1e-4) wall++;
        }
        assertTrue(wall > plane / 4, "pixels on the far wall: " + wall);
        // the bottom centre pixel sees the floor: z = camera height / -b
        double tanV = Math.tan(Math.toRadians(30));
        double b = tanV - (h - 0.5) * 2 * tanV / h;
        assertEquals(1.5 / -b, out[3 * plane + (h - 1) * w + 16], 1e-5);

        // a sphere of radius 0.5 on the floor 3 m ahead, camera at its centre's height
        s.addSphere(2, 4, 0.5);
        s.camera(2, 0.5, 1, 0, 0);
        s.render(h, w, out, 0);
        assertEquals(2.5f, out[3 * plane + 16 * w + 16], 1e-6);
    }

    @Test
    void labelsCoverAllObjectCounts() {
        ImageSet s = SyntheticRooms.generate(200, 8, 8, 11);
        assertEquals(SyntheticRooms.CLASS_NAMES, s.classNames());
        assertEquals(4, s.classCount());
        int[] counts = s.classCounts();
        for (int c = 0; c < 4; c++) {
            assertTrue(counts[c] >= 25, "class " + c + ": " + Arrays.toString(counts));
        }
    }

    @Test
    void imagesAreNotConstant() {
        ImageSet s = SyntheticRooms.generate(20, 32, 32, 5);
        for (int i = 0; i < s.size(); i++) {
            for (int c = 0; c < 4; c++) {
                float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        lo = Math.min(lo, s.value(i, c, y, x));
                        hi = Math.max(hi, s.value(i, c, y, x));
                    }
                }
                assertTrue(hi - lo > (c == 3 ? 0.5f : 0.05f), "image " + i + " channel " + c + " range " + lo + ".." + hi);
            }
        }
        assertFalse(Arrays.equals(s.sample(0), s.sample(1)));
    }

    @Test
    void datasetHasDistinctTrainAndTestStreams() {
        Dataset d = SyntheticRooms.dataset(10, 4, 16, 20, 1);
        assertEquals(10, d.train().size());
        assertEquals(4, d.test().size());
        assertEquals(16, d.height());
        assertEquals(20, d.width());
        assertEquals(d.train().classNames(), d.test().classNames());
        for (int i = 0; i < 4; i++) {
            assertFalse(Arrays.equals(d.train().sample(i), d.test().sample(i)));
        }
        assertEquals(0, SyntheticRooms.dataset(3, 0, 8, 8, 1).test().size());
    }
}
