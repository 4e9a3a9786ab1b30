package org.latentlab.ui.training;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javafx.animation.AnimationTimer;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;

/**
 * Live line chart for training curves on one Canvas: appending a point is O(1) and the chart is
 * redrawn at most five times a second, so thousands of iterations cost the FX and render threads
 * next to nothing (a LineChart node per point would not keep up).
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

    /**
     * Each redraw repaints the whole canvas on the render thread (several ms in the software
     * pipeline), and there every repainted frame is also copied whole to the window on the FX
     * thread. Five a second still show a curve growing; at ten (four charts, 40 repainted frames a
     * second) bench-gui measured longer pulse gaps while training (max 39-54 ms in six runs, against
     * 36-49 ms outside the collector's pauses at five).
     */
    private static final int MAX_REDRAWS_PER_SECOND = 5;
    private static final long REDRAW_INTERVAL_NANOS = 1_000_000_000L / MAX_REDRAWS_PER_SECOND;

    private final Canvas canvas = new Canvas();
    private final List<Series> series = new ArrayList<>();
    private final String xLabel;
    private final String title;
    private long lastDrawNanos;

    /**
     * Charts waiting for a redraw, drawn by one shared timer at most one per frame, oldest first:
     * the four training charts get their points from the same event, and drawing all four in one
     * frame (a few ms each on the FX thread, then their repaint on the render thread) made that
     * frame miss the next one or two. The timer runs only while a chart is waiting.
     */
    private static final Set<CurveChart> WAITING = new LinkedHashSet<>();
    private static final AnimationTimer REDRAW = new AnimationTimer() {
        @Override public void handle(long now) {
            long t = System.nanoTime();
            for (CurveChart c : WAITING) {
                if (t - c.lastDrawNanos >= REDRAW_INTERVAL_NANOS) {
                    c.drawNow();
                    break;
                }
            }
            if (WAITING.isEmpty()) stop();
        }
    };

    public CurveChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
        getChildren().add(canvas);
        setMinSize(200, 150);
        setPrefSize(600, 300);
    }

    private void requestRedraw() {
        if (WAITING.add(this)) REDRAW.start();
    }

    private void drawNow() {
        WAITING.remove(this);
        lastDrawNanos = System.nanoTime();
        draw();
    }

    public Series addSeries(String name, Color colour, boolean dashed) {
        Series s = new Series(name, colour, dashed);
        series.add(s);
        requestRedraw();
        return s;
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
        requestRedraw();
    }

    public void clear() {
        for (Series s : series) s.n = 0;
        requestRedraw();
    }

    public List<Series> series() { return List.copyOf(series); }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        // drawn now, not on the next frame: a snapshot taken in the same pulse (screenshots, PNG
        // export) would otherwise show an empty canvas; layouts are rare, data updates stay throttled
        drawNow();
    }

    /** The plot area inside the axes' labels. */
    private record Plot(double left, double top, double width, double height,
                        double x0, double x1, double y0, double y1, double yStep) {
        double px(double x) { return left + (x - x0) / (x1 - x0) * width; }
        double py(double y) { return top + height - (y - y0) / (y1 - y0) * height; }
    }

    // The drawing is split into small methods on purpose: one large draw() took the JIT compiler
    // 0.6-1 s a compilation (five times, as profiles changed), on the core the UI needs while
    // training runs.
    void draw() {
        double w = canvas.getWidth(), h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double left = 62, right = 14, top = 26, bottom = 34;
        double pw = w - left - right, ph = h - top - bottom;
        if (pw <= 10 || ph <= 10) return;
        g.setFont(FONT);
        g.setFill(TITLE);
        g.fillText(title, left, 16);
        Plot plot = plot(left, top, pw, ph);
        if (plot == null) {
            g.setFill(MUTED);
            g.fillText("no data yet", left + pw / 2 - 30, top + ph / 2);
            return;
        }
        drawAxes(g, plot, h);
        for (Series s : series) {
            if (s.n > 0) drawSeries(g, plot, s);
        }
        g.setLineDashes();
        drawLegend(g, plot);
    }

    /**
     * The data's range over the given area, null while no series has a point. The y range is widened
     * to whole tick steps, so grid lines meet the frame; x starts at epoch 0.
     */
    private Plot plot(double left, double top, double pw, double ph) {
        double x0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y0 = Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.n; i++) {
                x0 = Math.min(x0, s.x[i]);
                x1 = Math.max(x1, s.x[i]);
                y0 = Math.min(y0, s.y[i]);
                y1 = Math.max(y1, s.y[i]);
            }
        }
        if (x0 == Double.MAX_VALUE) return null;
        if (x0 >= 0) x0 = 0;
        if (x1 - x0 < 1e-12) x1 = x0 + 1;
        if (y1 - y0 < 1e-9 * Math.max(1, Math.abs(y0))) { // one value (an autoencoder's KL is 0): a band around it
            double half = y0 == 0 ? 0.5 : 0.5 * Math.abs(y0);
            y0 -= half;
            y1 += half;
        }
        double step = tickStep(y1 - y0, Y_INTERVALS);
        // the tolerance keeps 1.1 / 0.1 = 11.000000000000002 from adding an empty step
        return new Plot(left, top, pw, ph, x0, x1, Math.floor(y0 / step + 1e-9) * step, Math.ceil(y1 / step - 1e-9) * step, step);
    }

    private static final int Y_INTERVALS = 5, X_INTERVALS = 6;

    private void drawAxes(GraphicsContext g, Plot p, double h) {
        g.setStroke(GRID);
        g.setLineWidth(1);
        g.setLineDashes();
        g.setFill(AXIS_TEXT);
        DecimalFormat yFormat = tickFormat(p.yStep);
        for (double v : ticks(p.y0, p.y1, p.yStep)) {
            double py = p.py(v);
            g.strokeLine(p.left, py, p.left + p.width, py);
            g.fillText(yFormat.format(v), 4, py + 4);
        }
        double xStep = tickStep(p.x1 - p.x0, X_INTERVALS);
        DecimalFormat xFormat = tickFormat(xStep);
        for (double v : ticks(p.x0, p.x1, xStep)) {
            String label = xFormat.format(v);
            g.fillText(label, p.px(v) - label.length() * 3.3, p.top + p.height + 16);
        }
        g.fillText(xLabel, p.left + p.width - 60, h - 4);
    }

    /** The smallest 1, 2 or 5 × 10^k step that cuts span into at most {@code maxIntervals} intervals (1 for no span). */
    static double tickStep(double span, int maxIntervals) {
        if (!(span > 0) || !Double.isFinite(span)) return 1;
        double raw = span / Math.max(1, maxIntervals);
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
        }
        return 10 * magnitude;
    }

    /** Multiples of step within [lo, hi] (none if they would be more than a hundred). */
    static double[] ticks(double lo, double hi, double step) {
        if (!(step > 0) || !Double.isFinite(lo) || !Double.isFinite(hi)) return new double[0];
        long first = (long) Math.ceil(lo / step - 1e-9), last = (long) Math.floor(hi / step + 1e-9);
        if (last - first > 100) return new double[0];
        double[] t = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < t.length; i++) t[i] = (first + i) * step;
        return t;
    }

    /** As many decimals as the step needs (0.2 → one, 50 → none); scientific for steps under 1e-4 or from 1e5. */
    static DecimalFormat tickFormat(double step) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        if (step >= 1e5 || decimals > 4) return SCIENTIFIC;
        return DECIMALS[decimals];
    }

    /** A curve, decimated to about two points per pixel column; test curves dashed with markers. */
    private void drawSeries(GraphicsContext g, Plot p, Series s) {
        g.setStroke(s.colour);
        g.setLineWidth(s.dashed ? 2.2 : 1.6);
        if (s.dashed) g.setLineDashes(7, 4); else g.setLineDashes();
        int step = Math.max(1, s.n / (int) Math.max(1, p.width * 2));
        g.beginPath();
        g.moveTo(p.px(s.x[0]), p.py(s.y[0]));
        for (int i = step; i < s.n; i += step) g.lineTo(p.px(s.x[i]), p.py(s.y[i]));
        int last = s.n - 1;
        g.lineTo(p.px(s.x[last]), p.py(s.y[last]));
        g.stroke();
        if (s.n == 1 || s.dashed) {
            g.setFill(s.colour);
            for (int i = 0; i < s.n; i += step) g.fillRect(p.px(s.x[i]) - 2.5, p.py(s.y[i]) - 2.5, 5, 5);
        }
    }

    private void drawLegend(GraphicsContext g, Plot p) {
        double lx = p.left + p.width - 8;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            String text = s.n > 0 ? s.name + " " + format(s.lastY()) : s.name;
            lx -= text.length() * 6.6 + 26;
            g.setStroke(s.colour);
            g.setLineWidth(2);
            if (s.dashed) g.setLineDashes(6, 3); else g.setLineDashes();
            g.strokeLine(lx, 12, lx + 16, 12);
            g.setLineDashes();
            g.setFill(TITLE);
            g.fillText(text, lx + 20, 16);
        }
    }

    private static final Font FONT = Font.font(12);
    private static final Color TITLE = Color.web("#1f2933"), MUTED = Color.web("#6b7280"),
            GRID = Color.web("#d5dae3"), AXIS_TEXT = Color.web("#4a5568");
    // java.text formats, one per pattern, reused: String.format parses its pattern and looks up the
    // locale's symbols on every call, tens of times per redraw. Used on the FX thread only.
    /** DECIMALS[k]: k decimals (ticks and legends). */
    private static final DecimalFormat[] DECIMALS = {decimalFormat("0"), decimalFormat("0.0"), decimalFormat("0.00"),
            decimalFormat("0.000"), decimalFormat("0.0000"), decimalFormat("0.00000")};
    private static final DecimalFormat SCIENTIFIC = decimalFormat("0.00E0");

    private static DecimalFormat decimalFormat(String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }

    /** A legend value: four significant digits, scientific outside [0.01, 1e5). */
    static String format(double v) {
        double a = Math.abs(v);
        if (a == 0) return "0";
        if (!Double.isFinite(v)) return String.valueOf(v);
        if (a >= 1e5 || a < 1e-2) return SCIENTIFIC.format(v);
        int decimals = Math.max(0, 3 - (int) Math.floor(Math.log10(a)));
        return DECIMALS[Math.min(decimals, DECIMALS.length - 1)].format(v);
    }
}
