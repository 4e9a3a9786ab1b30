package org.latentlab.cli;

import java.io.PrintStream;

/** A one-line text progress bar on stderr (redrawn with \r; plain lines when stderr is not a terminal). */
final class ProgressBar {
    private final PrintStream err;
    private final String label;
    private final boolean terminal = System.console() != null;
    private long lastDraw;
    private int lastPercent = -1;

    ProgressBar(String label) {
        this.err = System.err;
        this.label = label;
    }

    void update(double fraction, String detail) {
        long now = System.nanoTime();
        int percent = (int) Math.floor(Math.max(0, Math.min(1, fraction)) * 100);
        if (terminal) {
            if (now - lastDraw < 100_000_000L && percent < 100) return;
            int filled = percent / 4;
            err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(25 - filled) + "] " + percent + "% " + detail + "   ");
        } else {
            if (percent / 10 == lastPercent / 10 && percent < 100) return;
            err.println(label + " " + percent + "% " + detail);
        }
        lastDraw = now;
        lastPercent = percent;
        err.flush();
    }

    void done() {
        if (terminal) err.println();
    }
}
