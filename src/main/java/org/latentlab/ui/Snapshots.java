package org.latentlab.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Window;
import javax.imageio.ImageIO;
import org.latentlab.data.AtomicFiles;

/**
 * Pictures of what the user sees. Works headless under Monocle, where Robot screen capture throws:
 * each showing window's scene is snapshotted and composited at its position.
 */
public final class Snapshots {
    private Snapshots() {}

    /** Composite of every showing window, in screen coordinates relative to the top-left window. FX thread only. */
    public static BufferedImage windows() {
        var shown = Window.getWindows().stream().filter(Window::isShowing).filter(w -> w.getScene() != null).toList();
        if (shown.isEmpty()) throw new IllegalStateException("no window is showing");
        double minX = shown.stream().mapToDouble(Window::getX).min().orElse(0);
        double minY = shown.stream().mapToDouble(Window::getY).min().orElse(0);
        double maxX = shown.stream().mapToDouble(w -> w.getX() + w.getWidth()).max().orElse(1);
        double maxY = shown.stream().mapToDouble(w -> w.getY() + w.getHeight()).max().orElse(1);
        BufferedImage out = new BufferedImage((int) Math.ceil(maxX - minX), (int) Math.ceil(maxY - minY), BufferedImage.TYPE_INT_ARGB);
        var g = out.createGraphics();
        for (Window w : shown) {
            BufferedImage img = scene(w.getScene());
            g.drawImage(img, (int) (w.getX() - minX + w.getScene().getX()), (int) (w.getY() - minY + w.getScene().getY()), null);
        }
        g.dispose();
        return out;
    }

    public static BufferedImage scene(Scene scene) {
        WritableImage fx = scene.snapshot(null);
        return SwingFXUtils.fromFXImage(fx, null);
    }

    public static BufferedImage node(Node node) {
        WritableImage fx = node.snapshot(null, null);
        return SwingFXUtils.fromFXImage(fx, null);
    }

    /** Writes a PNG atomically (temp file + rename) so a failed export never leaves half a file. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) throw new IOException("no PNG writer");
        });
    }
}
