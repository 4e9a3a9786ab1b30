package org.latentlab.ui.render;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.latentlab.data.Channels;
import org.latentlab.data.ImageSet;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Sliders pane's decoded image: redrawn in place while its shape stays, made anew when it changes. */
@ExtendWith(ApplicationExtension.class)
class LiveSampleViewsTest {

    @Start
    void start(Stage stage) {
        // no window: the views only need the toolkit
    }

    @Test
    void sameShapeRewritesThePixelsOfTheSameImagesOtherShapeMakesNewViews(FxRobot robot) {
        ImageSet gray = set(Channels.GRAY, 1f), rgbd = set(Channels.RGBD, 5f);
        LiveSampleViews views = new LiveSampleViews();
        robot.interact(() -> {
            float[] dark = new float[16], bright = new float[16];
            java.util.Arrays.fill(bright, 1f);
            assertTrue(views.draw(dark, gray, null, 3), "the first sample makes the views");
            List<Node> first = List.copyOf(views.nodes());
            Image image = ((ImageView) first.get(0)).getImage();
            assertEquals(12, image.getWidth());
            int[] before = pixels(image);
            assertFalse(views.draw(bright, gray, null, 3), "a sample of the same shape is drawn in place");
            assertSame(first.get(0), views.nodes().get(0));
            assertNotEquals(before[0], pixels(image)[0], "its pixels changed");

            // RGB-D: colour and depth views, the depth on the given scale
            float[] room = new float[4 * 16];
            for (int i = 3 * 16; i < 4 * 16; i++) room[i] = 1f + i % 4;
            assertTrue(views.draw(room, rgbd, new float[] {1f, 4f}, 2), "another shape makes new views");
            assertEquals(2, views.nodes().size());
            Image depth = ((ImageView) views.nodes().get(1)).getImage();
            int[] d = pixels(depth);
            assertNotEquals(d[0], d[2], "depth 1 m and 2 m get different colours");

            // a sample that does not fit the new shape leaves the views as they were
            List<Node> kept = List.copyOf(views.nodes());
            assertThrows(RuntimeException.class, () -> views.draw(new float[16], new ImageSet("t", Channels.GRAY, 8, 8, new float[64], new int[] {0}, List.of("a")), null, 2));
            assertFalse(views.draw(room, rgbd, new float[] {1f, 4f}, 2), "the RGB-D views are still the current ones");
            assertSame(kept.get(1), views.nodes().get(1));

            // after reset the same shape makes new views (the caller had taken them off screen)
            views.reset();
            assertTrue(views.nodes().isEmpty());
            assertTrue(views.draw(room, rgbd, new float[] {1f, 4f}, 2));
        });
    }

    private static ImageSet set(Channels ch, float depthMax) {
        return ch.hasDepth()
                ? new ImageSet("t", ch, 4, 4, new float[4 * 16], new int[] {0}, List.of("a"), depthMax, 0)
                : new ImageSet("t", ch, 4, 4, new float[16], new int[] {0}, List.of("a"));
    }

    private static int[] pixels(Image img) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        int[] px = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }
}
