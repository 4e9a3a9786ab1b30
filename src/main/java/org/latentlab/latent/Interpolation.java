package org.latentlab.latent;

/** Paths between two latent vectors: straight (linear) or along the great circle (spherical). */
public final class Interpolation {
    /** How to move from A to B. */
    public enum Mode { LINEAR, SPHERICAL }

    private Interpolation() {}

    /** {@code steps} vectors from a to b inclusive. */
    public static float[][] path(float[] a, float[] b, int steps, Mode mode) {
        if (a.length != b.length) throw new IllegalArgumentException("vectors differ in length: " + a.length + " vs " + b.length);
        if (steps < 2) throw new IllegalArgumentException("need at least 2 steps");
        float[][] out = new float[steps][];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            out[s] = mode == Mode.LINEAR ? lerp(a, b, t) : slerp(a, b, t);
        }
        return out;
    }

    static float[] lerp(float[] a, float[] b, double t) {
        float[] v = new float[a.length];
        for (int j = 0; j < a.length; j++) v[j] = (float) ((1 - t) * a[j] + t * b[j]);
        return v;
    }

    /** Spherical interpolation; falls back to linear when the vectors are (anti)parallel or zero. */
    static float[] slerp(float[] a, float[] b, double t) {
        double na = 0, nb = 0, dot = 0;
        for (int j = 0; j < a.length; j++) {
            na += a[j] * a[j];
            nb += b[j] * b[j];
            dot += a[j] * b[j];
        }
        na = Math.sqrt(na);
        nb = Math.sqrt(nb);
        if (na < 1e-9 || nb < 1e-9) return lerp(a, b, t);
        double cos = Math.max(-1, Math.min(1, dot / (na * nb)));
        double omega = Math.acos(cos);
        if (Math.abs(Math.sin(omega)) < 1e-6) return lerp(a, b, t);
        double wa = Math.sin((1 - t) * omega) / Math.sin(omega), wb = Math.sin(t * omega) / Math.sin(omega);
        float[] v = new float[a.length];
        for (int j = 0; j < a.length; j++) v[j] = (float) (wa * a[j] + wb * b[j]);
        return v;
    }
}
