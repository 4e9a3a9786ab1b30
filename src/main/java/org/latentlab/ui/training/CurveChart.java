package org.latentlab.ui.training;

import java.util.ArrayList;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

/**
 * Live line chart for training curves on one Canvas: appending a point is O(1) and the chart is
 * redrawn at most once per frame, so thousands of iterations cost the FX thread next to nothing
 * (a LineChart node per point would not keep up).
 */
public class CurveChart extends Region {
    /** One curve: name, colour, dashed (test curves) and its points. */
    public static final class Series {
        final String name;
        final Color colour;
        final boolean dashed;
        double[] x = new double[256], y = new double[256];
        int n;

        Series(String name, Color colour, boolean dashed) {
            this.name = name;
            this.colour = colour;
            this.dashed = dashed;
        }

        public int size() { return n; }

        public double lastY() { return n == 0 ? Double.NaN : y[n - 1]; }
    }

    private final Canvas canvas = new Canvas();
    private final List<Series> series = new ArrayList<>();
    private final String xLabel;
    private final String title;
    private boolean dirty = true;
    private boolean logY;

    public CurveChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
        getChildren().add(canvas);
        setMinSize(200, 150);
        setPrefSize(600, 300);
        new AnimationTimer() {
            @Override public void handle(long now) {
                if (dirty) {
                    dirty = false;
                    draw();
                }
            }
        }.start();
    }

    public Series addSeries(String name, Color colour, boolean dashed) {
        Series s = new Series(name, colour, dashed);
        series.add(s);
        dirty = true;
        return s;
    }

    public void setLogY(boolean log) {
        logY = log;
        dirty = true;
    }

    /** Appends a point (FX thread); non-finite values are skipped. */
    public void add(Series s, double x, double y) {
        if (!Double.isFinite(x) || !Double.isFinite(y)) return;
        if (s.n == s.x.length) {
            s.x = java.util.Arrays.copyOf(s.x, s.n * 2);
            s.y = java.util.Arrays.copyOf(s.y, s.n * 2);
        }
        s.x[s.n] = x;
        s.y[s.n] = y;
        s.n++;
        dirty = true;
    }

    public void clear() {
        for (Series s : series) s.n = 0;
        dirty = true;
    }

    public List<Series> series() { return List.copyOf(series); }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        // drawn now, not on the next frame: a snapshot taken in the same pulse (screenshots, PNG
        // export) would otherwise show an empty canvas; layouts are rare, data updates stay throttled
        draw();
        dirty = false;
    }

    private double ty(double v) { return logY ? Math.log10(Math.max(1e-9, v)) : v; }

    void draw() {
        double w = canvas.getWidth(), h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double left = 62, right = 14, top = 26, bottom = 34;
        double pw = w - left - right, ph = h - top - bottom;
        if (pw <= 10 || ph <= 10) return;
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.n; i++) {
                x0 = Math.min(x0, s.x[i]); x1 = Math.max(x1, s.x[i]);
                double v = ty(s.y[i]);
                y0 = Math.min(y0, v); y1 = Math.max(y1, v);
            }
        }
        g.setFont(Font.font(12));
        g.setFill(Color.web("#1f2933"));
        g.fillText(title, left, 16);
        if (x0 == Double.MAX_VALUE) {
            g.setFill(Color.web("#6b7280"));
            g.fillText("no data yet", left + pw / 2 - 30, top + ph / 2);
            return;
        }
        if (x1 - x0 < 1e-12) x1 = x0 + 1;
        double pad = Math.max(1e-9, (y1 - y0) * 0.06);
        y0 -= pad; y1 += pad;
        // axes and ticks
        g.setStroke(Color.web("#d5dae3"));
        g.setLineWidth(1);
        g.setLineDashes();
        g.setFill(Color.web("#4a5568"));
        for (int t = 0; t <= 4; t++) {
            double v = y0 + (y1 - y0) * t / 4;
            double py = top + ph - ph * t / 4;
            g.strokeLine(left, py, left + pw, py);
            double label = logY ? Math.pow(10, v) : v;
            g.fillText(format(label), 4, py + 4);
        }
        for (int t = 0; t <= 5; t++) {
            double v = x0 + (x1 - x0) * t / 5;
            double px = left + pw * t / 5;
            g.fillText(format(v), px - 12, top + ph + 16);
        }
        g.fillText(xLabel, left + pw - 60, h - 4);
        // curves; long series are decimated to about two points per pixel column
        for (Series s : series) {
            if (s.n == 0) continue;
            g.setStroke(s.colour);
            g.setLineWidth(s.dashed ? 2.2 : 1.6);
            if (s.dashed) g.setLineDashes(7, 4); else g.setLineDashes();
            int step = Math.max(1, s.n / (int) Math.max(1, pw * 2));
            g.beginPath();
            boolean first = true;
            for (int i = 0; i < s.n; i += step) {
                double px = left + (s.x[i] - x0) / (x1 - x0) * pw;
                double py = top + ph - (ty(s.y[i]) - y0) / (y1 - y0) * ph;
                if (first) { g.moveTo(px, py); first = false; } else g.lineTo(px, py);
            }
            int last = s.n - 1;
            g.lineTo(left + (s.x[last] - x0) / (x1 - x0) * pw, top + ph - (ty(s.y[last]) - y0) / (y1 - y0) * ph);
            g.stroke();
            if (s.n == 1 || s.dashed) {
                g.setFill(s.colour);
                for (int i = 0; i < s.n; i += step) {
                    double px = left + (s.x[i] - x0) / (x1 - x0) * pw;
                    double py = top + ph - (ty(s.y[i]) - y0) / (y1 - y0) * ph;
                    g.fillRect(px - 2.5, py - 2.5, 5, 5);
                }
            }
        }
        g.setLineDashes();
        // legend
        double lx = left + pw - 8;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            String text = s.name + (s.n > 0 ? " " + format(s.lastY()) : "");
            double tw = text.length() * 6.6 + 26;
            lx -= tw;
            g.setStroke(s.colour);
            g.setLineWidth(2);
            if (s.dashed) g.setLineDashes(6, 3); else g.setLineDashes();
            g.strokeLine(lx, 12, lx + 16, 12);
            g.setLineDashes();
            g.setFill(Color.web("#1f2933"));
            g.fillText(text, lx + 20, 16);
        }
    }

    static String format(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (a >= 1e5 || a < 1e-2) return String.format("%.2e", v);
        if (a >= 100) return String.format("%.1f", v);
        return String.format("%.3f", v);
    }
}
