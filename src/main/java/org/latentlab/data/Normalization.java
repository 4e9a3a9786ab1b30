package org.latentlab.data;

/**
 * Value range the model sees. Colour planes are stored in [0,1]; depth planes are stored in metres
 * and first scaled by the set's maximum depth to [0,1].
 */
public enum Normalization {
    ZERO_ONE, MINUS_ONE_ONE;

    /** Maps a value already in [0,1] to this range. */
    public float apply(float unit) {
        return this == ZERO_ONE ? unit : unit * 2f - 1f;
    }

    /** Inverse of {@link #apply}: back to [0,1]. */
    public float invert(float v) {
        return this == ZERO_ONE ? v : (v + 1f) * 0.5f;
    }
}
