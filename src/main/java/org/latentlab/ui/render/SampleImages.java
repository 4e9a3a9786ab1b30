package org.latentlab.ui.render;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import org.latentlab.data.Channels;

/**
 * Turns samples in stored units (colour planes in [0,1], depth in metres, planar per sample) into
 * JavaFX images, magnified with nearest-neighbour so small images stay crisp on a projector.
 */
public final class SampleImages {
    private SampleImages() {}

    /** Which part of an RGB-D sample to show. */
    public enum View { COLOUR, DEPTH }

    /** A sample as an image: colour (or grey), or its depth with the given scale. */
    public static WritableImage image(float[] sample, Channels channels, int h, int w, View view, float minM, float maxM, int scale) {
        return magnify(pixels(sample, channels, h, w, view, minM, maxM), h, w, scale);
    }

    /** ARGB pixels (h×w) of a sample's colour, or of its depth on the scale minM..maxM metres. */
    static int[] pixels(float[] sample, Channels channels, int h, int w, View view, float minM, float maxM) {
        return view == View.DEPTH && channels.hasDepth() ? Pixels.depth(sample, h, w, minM, maxM)
                : Pixels.colour(sample, channels, h, w);
    }

    /**
     * The views of one sample shaped like {@code like}: its colour image and, for RGB-D, its depth
     * coloured on the shared scale depthRange {min, max} in metres (ignored otherwise).
     */
    public static List<Node> views(float[] sample, org.latentlab.data.ImageSet like, float[] depthRange, int scale) {
        List<Node> out = new ArrayList<>(2);
        out.add(new ImageView(image(sample, like.channels(), like.height(), like.width(), View.COLOUR, 0, 0, scale)));
        if (like.channels().hasDepth()) {
            out.add(new ImageView(image(sample, like.channels(), like.height(), like.width(), View.DEPTH, depthRange[0], depthRange[1], scale)));
        }
        return out;
    }

    /** Nearest-neighbour magnification of ARGB pixels into a new image. */
    public static WritableImage magnify(int[] px, int h, int w, int scale) {
        int s = Math.max(1, scale);
        WritableImage img = new WritableImage(w * s, h * s);
        magnifyInto(px, h, w, s, new int[w * s * h * s], img);
        return img;
    }

    /** Nearest-neighbour magnification of ARGB pixels into target (w·s × h·s), through the buffer big. */
    static void magnifyInto(int[] px, int h, int w, int s, int[] big, WritableImage target) {
        int W = w * s, H = h * s;
        for (int y = 0; y < H; y++) {
            int srcRow = (y / s) * w;
            for (int x = 0; x < W; x++) big[y * W + x] = px[srcRow + x / s];
        }
        target.getPixelWriter().setPixels(0, 0, W, H, PixelFormat.getIntArgbInstance(), big, 0, W);
    }

    /** A horizontal colour bar for a depth legend. */
    public static WritableImage depthLegend(int width, int height) {
        int[] px = new int[width * height];
        for (int x = 0; x < width; x++) {
            int c = DepthColormap.argb(x / (double) Math.max(1, width - 1));
            for (int y = 0; y < height; y++) px[y * width + x] = c;
        }
        WritableImage img = new WritableImage(width, height);
        img.getPixelWriter().setPixels(0, 0, width, height, PixelFormat.getIntArgbInstance(), px, 0, width);
        return img;
    }

}
