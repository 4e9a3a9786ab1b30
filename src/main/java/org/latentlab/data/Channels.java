package org.latentlab.data;

/** Channel layout of an image set. RGBD stores R, G, B then depth in metres as the fourth plane. */
public enum Channels {
    GRAY(1), RGB(3), RGBD(4);

    private final int count;

    Channels(int count) {
        this.count = count;
    }

    /** Number of planes stored per sample. */
    public int count() {
        return count;
    }

    public boolean hasDepth() {
        return this == RGBD;
    }

    /** Number of colour planes (depth excluded). */
    public int colourCount() {
        return this == RGBD ? 3 : count;
    }
}
