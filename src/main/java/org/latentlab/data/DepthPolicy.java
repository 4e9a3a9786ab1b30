package org.latentlab.data;

/** What a reader does with depth pixels that are NaN, infinite, zero-or-negative ("missing"). */
public enum DepthPolicy {
    /** Keep the image, set the bad pixel to 0 m (the conventional "no reading"), count it. */
    MASK,
    /** Throw a {@link DataException} naming the file and the first bad pixel. */
    REJECT
}
