package org.latentlab.ui.render;

import javafx.scene.paint.Color;

/**
 * Colour-blind-safe class colours: Okabe–Ito's eight, then Paul Tol's muted set, so up to 17
 * classes get distinct colours before the palette repeats.
 */
public final class ClassPalette {
    private static final int[] RGB = {
        0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x000000,
        0x332288, 0x88CCEE, 0x44AA99, 0x117733, 0x999933, 0xDDCC77, 0xCC6677, 0x882255, 0xAA4499
    };

    private ClassPalette() {}

    public static int size() { return RGB.length; }

    /** Opaque ARGB of class c. */
    public static int argb(int c) {
        return 0xFF000000 | RGB[Math.floorMod(c, RGB.length)];
    }

    public static Color fx(int c) {
        int v = RGB[Math.floorMod(c, RGB.length)];
        return Color.rgb((v >> 16) & 255, (v >> 8) & 255, v & 255);
    }
}
