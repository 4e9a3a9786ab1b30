package org.latentlab.ui.map;

import java.util.Arrays;
import java.util.function.IntConsumer;
import javafx.geometry.Point2D;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import org.latentlab.ui.render.ClassPalette;

/**
 * A scatter plot for tens of thousands of points, drawn into one int[] pixel buffer (a JavaFX
 * ScatterChart makes a node per point and takes seconds for 60k). Mouse: drag pans, wheel zooms at
 * the cursor, shift-drag (or right-drag) box-zooms, double-click resets, click selects the nearest
 * point, hovering reports the nearest point within a few pixels.
 */
public class ScatterPlot extends Region {
    private static final int BACKGROUND = 0xFFFFFFFF;
    private static final int GRID = 0xFFEEF0F4;
    private static final int HIT_RADIUS = 7;
    private static final int CELL = 8;

    private final ImageView imageView = new ImageView();
    private final Rectangle zoomBox = new Rectangle();
    private WritableImage image;
    private PixelBuffer<java.nio.IntBuffer> pixelBuffer;
    private int[] pixels = new int[0];
    private int width, height;

    private float[] xy = new float[0];
    private int[] labels = new int[0];
    private int count;
    private boolean[] hiddenClasses = new boolean[0];
    private int selected = -1, hovered = -1;
    private int[] highlighted = new int[0];

    // view window in data coordinates
    private double minX = -1, maxX = 1, minY = -1, maxY = 1;

    // screen-space grid for hit tests, rebuilt on each render: cellStart[c]..cellStart[c+1] in cellPoints
    private int gridW, gridH;
    private int[] cellStart = new int[0], cellPoints = new int[0];
    private int[] screenX = new int[0], screenY = new int[0];

    private IntConsumer onHover = i -> {};
    private IntConsumer onSelect = i -> {};
    private long lastRenderNanos;
    private Point2D pressAt;
    private double[] pressView;
    private boolean boxZooming;

    public ScatterPlot() {
        getStyleClass().add("scatter-plot");
        zoomBox.setFill(Color.color(0.18, 0.43, 0.71, 0.15));
        zoomBox.setStroke(Color.color(0.18, 0.43, 0.71));
        zoomBox.setVisible(false);
        zoomBox.setManaged(false);
        getChildren().addAll(imageView, zoomBox);
        setMinSize(200, 200);
        setPrefSize(800, 600);
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> hover(nearest(e.getX(), e.getY())));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> hover(-1));
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    }

    /** Replaces the points (xy = n×2 interleaved) and their class labels; fits the view when asked. */
    public void setPoints(float[] xy, int[] labels, boolean fit) {
        this.xy = xy;
        this.labels = labels;
        this.count = Math.min(xy.length / 2, labels.length);
        selected = -1;
        hovered = -1;
        highlighted = new int[0];
        if (fit) fitView(); else render();
    }

    public int pointCount() { return count; }
    public void setOnHover(IntConsumer c) { onHover = c; }
    public void setOnSelect(IntConsumer c) { onSelect = c; }
    public int selected() { return selected; }

    /** Hides or shows the points of a class (legend toggles). */
    public void setClassHidden(int cls, boolean hidden) {
        if (cls >= hiddenClasses.length) hiddenClasses = Arrays.copyOf(hiddenClasses, cls + 1);
        hiddenClasses[cls] = hidden;
        render();
    }

    public void select(int index) {
        selected = index;
        render();
    }

    /** Points drawn with a ring, e.g. the nearest neighbours of the selection. */
    public void setHighlighted(int[] indices) {
        highlighted = indices.clone();
        render();
    }

    /** Time the last redraw took, for the GUI benchmark. */
    public long lastRenderNanos() { return lastRenderNanos; }

    /** Resets the view to show every point with a margin. */
    public void fitView() {
        if (count == 0) {
            minX = minY = -1;
            maxX = maxY = 1;
        } else {
            double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
            for (int i = 0; i < count; i++) {
                float x = xy[2 * i], y = xy[2 * i + 1];
                if (!Float.isFinite(x) || !Float.isFinite(y)) continue;
                x0 = Math.min(x0, x); x1 = Math.max(x1, x);
                y0 = Math.min(y0, y); y1 = Math.max(y1, y);
            }
            double mx = Math.max(1e-6, (x1 - x0) * 0.05), my = Math.max(1e-6, (y1 - y0) * 0.05);
            minX = x0 - mx; maxX = x1 + mx; minY = y0 - my; maxY = y1 + my;
        }
        render();
    }

    @Override
    protected void layoutChildren() {
        int w = Math.max(1, (int) Math.floor(getWidth()));
        int h = Math.max(1, (int) Math.floor(getHeight()));
        if (w != width || h != height) {
            width = w;
            height = h;
            pixels = new int[w * h];
            pixelBuffer = new PixelBuffer<>(w, h, java.nio.IntBuffer.wrap(pixels), PixelFormat.getIntArgbPreInstance());
            image = new WritableImage(pixelBuffer);
            imageView.setImage(image);
            render();
        }
    }

    /** Redraws every point into the pixel buffer (FX thread). */
    public void render() {
        if (pixelBuffer == null) return;
        long t0 = System.nanoTime();
        Arrays.fill(pixels, BACKGROUND);
        drawGrid();
        double sx = width / (maxX - minX), sy = height / (maxY - minY);
        if (screenX.length < count) {
            screenX = new int[count];
            screenY = new int[count];
        }
        int size = count > 20000 ? 2 : count > 3000 ? 3 : 4;
        for (int i = 0; i < count; i++) {
            int px = (int) ((xy[2 * i] - minX) * sx);
            int py = (int) ((maxY - xy[2 * i + 1]) * sy);
            boolean visible = px >= 0 && py >= 0 && px < width && py < height && !isHidden(labels[i]);
            screenX[i] = visible ? px : -1;
            screenY[i] = py;
            if (visible) square(px, py, size, ClassPalette.argb(labels[i]));
        }
        for (int i : highlighted) if (i >= 0 && i < count && screenX[i] >= 0) ring(screenX[i], screenY[i], 6, 0xFF222222);
        if (hovered >= 0 && hovered < count && screenX[hovered] >= 0) ring(screenX[hovered], screenY[hovered], 7, 0xFF555555);
        if (selected >= 0 && selected < count && screenX[selected] >= 0) {
            ring(screenX[selected], screenY[selected], 9, 0xFF000000);
            ring(screenX[selected], screenY[selected], 8, 0xFFFFFFFF);
        }
        buildHitGrid();
        pixelBuffer.updateBuffer(b -> null);
        lastRenderNanos = System.nanoTime() - t0;
    }

    private boolean isHidden(int label) {
        return label >= 0 && label < hiddenClasses.length && hiddenClasses[label];
    }

    private void drawGrid() {
        double step = niceStep((maxX - minX) / 8);
        for (double gx = Math.ceil(minX / step) * step; gx < maxX; gx += step) {
            int px = (int) ((gx - minX) / (maxX - minX) * width);
            for (int y = 0; y < height; y++) pixels[y * width + px] = GRID;
        }
        step = niceStep((maxY - minY) / 8);
        for (double gy = Math.ceil(minY / step) * step; gy < maxY; gy += step) {
            int py = (int) ((maxY - gy) / (maxY - minY) * height);
            if (py >= 0 && py < height) Arrays.fill(pixels, py * width, py * width + width, GRID);
        }
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-12))));
        double f = raw / p;
        return (f < 2 ? 2 : f < 5 ? 5 : 10) * p / 2;
    }

    private void square(int cx, int cy, int size, int argb) {
        int x0 = Math.max(0, cx - size / 2), y0 = Math.max(0, cy - size / 2);
        int x1 = Math.min(width, x0 + size), y1 = Math.min(height, y0 + size);
        for (int y = y0; y < y1; y++) {
            int row = y * width;
            for (int x = x0; x < x1; x++) pixels[row + x] = argb;
        }
    }

    private void ring(int cx, int cy, int r, int argb) {
        for (int a = 0; a < 64; a++) {
            double t = a * Math.PI / 32;
            int x = cx + (int) Math.round(r * Math.cos(t)), y = cy + (int) Math.round(r * Math.sin(t));
            if (x >= 0 && y >= 0 && x < width && y < height) pixels[y * width + x] = argb;
        }
    }

    private void buildHitGrid() {
        gridW = width / CELL + 1;
        gridH = height / CELL + 1;
        int cells = gridW * gridH;
        if (cellStart.length != cells + 1) cellStart = new int[cells + 1]; else Arrays.fill(cellStart, 0);
        if (cellPoints.length < count) cellPoints = new int[count];
        for (int i = 0; i < count; i++) if (screenX[i] >= 0) cellStart[cell(i) + 1]++;
        for (int c = 0; c < cells; c++) cellStart[c + 1] += cellStart[c];
        int[] fill = Arrays.copyOf(cellStart, cells);
        for (int i = 0; i < count; i++) if (screenX[i] >= 0) cellPoints[fill[cell(i)]++] = i;
    }

    private int cell(int i) {
        return (screenY[i] / CELL) * gridW + screenX[i] / CELL;
    }

    /** Index of the visible point nearest to (x, y) in pixels within the hit radius, or -1. */
    public int nearest(double x, double y) {
        if (gridW == 0) return -1;
        int cx = (int) x / CELL, cy = (int) y / CELL, reach = HIT_RADIUS / CELL + 1;
        int best = -1;
        double bestD = HIT_RADIUS * HIT_RADIUS;
        for (int gy = Math.max(0, cy - reach); gy <= Math.min(gridH - 1, cy + reach); gy++) {
            for (int gx = Math.max(0, cx - reach); gx <= Math.min(gridW - 1, cx + reach); gx++) {
                int c = gy * gridW + gx;
                for (int k = cellStart[c]; k < cellStart[c + 1]; k++) {
                    int i = cellPoints[k];
                    double dx = screenX[i] - x, dy = screenY[i] - y, d = dx * dx + dy * dy;
                    if (d <= bestD) { bestD = d; best = i; }
                }
            }
        }
        return best;
    }

    /** Screen position of point i in this plot's coordinates, or null when off screen. */
    public Point2D screenPosition(int i) {
        if (i < 0 || i >= count) return null;
        double px = (xy[2 * i] - minX) / (maxX - minX) * width, py = (maxY - xy[2 * i + 1]) / (maxY - minY) * height;
        return px < 0 || py < 0 || px >= width || py >= height ? null : new Point2D(px, py);
    }

    private void hover(int i) {
        if (i == hovered) return;
        hovered = i;
        render();
        onHover.accept(i);
    }

    private void pressed(MouseEvent e) {
        pressAt = new Point2D(e.getX(), e.getY());
        pressView = new double[] {minX, maxX, minY, maxY};
        boxZooming = e.isShiftDown() || e.getButton() == MouseButton.SECONDARY;
        if (e.getClickCount() == 2) fitView();
    }

    private void dragged(MouseEvent e) {
        if (pressAt == null) return;
        if (boxZooming) {
            zoomBox.setX(Math.min(pressAt.getX(), e.getX()));
            zoomBox.setY(Math.min(pressAt.getY(), e.getY()));
            zoomBox.setWidth(Math.abs(e.getX() - pressAt.getX()));
            zoomBox.setHeight(Math.abs(e.getY() - pressAt.getY()));
            zoomBox.setVisible(true);
        } else {
            double dx = (e.getX() - pressAt.getX()) / width * (pressView[1] - pressView[0]);
            double dy = (e.getY() - pressAt.getY()) / height * (pressView[3] - pressView[2]);
            minX = pressView[0] - dx; maxX = pressView[1] - dx;
            minY = pressView[2] + dy; maxY = pressView[3] + dy;
            render();
        }
    }

    private void released(MouseEvent e) {
        if (pressAt == null) return;
        double moved = pressAt.distance(e.getX(), e.getY());
        if (boxZooming && moved > 4) {
            zoomTo(pressAt.getX(), pressAt.getY(), e.getX(), e.getY());
        } else if (moved <= 3 && e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 1) {
            int i = nearest(e.getX(), e.getY());
            if (i >= 0) {
                selected = i;
                render();
                onSelect.accept(i);
            }
        }
        zoomBox.setVisible(false);
        pressAt = null;
    }

    /** Zooms to a pixel rectangle. */
    public void zoomTo(double x0, double y0, double x1, double y1) {
        double ax = minX + Math.min(x0, x1) / width * (maxX - minX), bx = minX + Math.max(x0, x1) / width * (maxX - minX);
        double ay = maxY - Math.max(y0, y1) / height * (maxY - minY), by = maxY - Math.min(y0, y1) / height * (maxY - minY);
        minX = ax; maxX = bx; minY = ay; maxY = by;
        render();
    }

    private void scrolled(ScrollEvent e) {
        double f = e.getDeltaY() > 0 ? 0.8 : 1.25;
        double cx = minX + e.getX() / width * (maxX - minX), cy = maxY - e.getY() / height * (maxY - minY);
        minX = cx - (cx - minX) * f; maxX = cx + (maxX - cx) * f;
        minY = cy - (cy - minY) * f; maxY = cy + (maxY - cy) * f;
        render();
    }
}
