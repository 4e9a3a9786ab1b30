package org.latentlab.ui.render;

import java.util.List;
import javafx.scene.image.WritableImage;
import org.latentlab.data.Channels;

/** A grid of decoded images (see {@link Pixels#grid}) as one JavaFX image. */
public final class ImageGrid {
    private ImageGrid() {}

    public static WritableImage compose(List<float[]> images, int rows, int cols, Channels ch, int h, int w,
                                        float depthMin, float depthMax, int scale) {
        Pixels.Sheet sheet = Pixels.grid(images, rows, cols, ch, h, w, depthMin, depthMax);
        return SampleImages.magnify(sheet.argb(), sheet.height(), sheet.width(), scale);
    }
}
