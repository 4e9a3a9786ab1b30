package org.latentlab.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * OpenBLAS's sgemm on off-heap float buffers: the matrix products of {@link GemmVae} and
 * {@link FastDecoder}. OpenBLAS itself always runs on one thread. With more than one {@link Parts}
 * thread a product is cut into blocks of rows (or of columns, when it has more columns), one
 * single-threaded sgemm per part. OpenBLAS's own threads kept spinning on the other core for a
 * while after each product, so the engine's Java passes that followed could not use it: a 2-part
 * Adam pass over 313k weights took 0.26 ms alone but 0.56 ms right after a 2-thread product,
 * slower than on one thread (0.52 ms). The split products ran as fast as OpenBLAS's threads on the
 * MLP's shapes (0.53–0.57 against 0.53–0.55 ms) and faster on the conv VAE's 6272×64×288 ones
 * (1.3–1.7 against 2.1–2.5 ms).
 */
final class Blas {
    /** Products with fewer multiply-adds run whole: handing a part to another thread costs tens of µs. */
    private static final long SPLIT_MIN_MACS = 1L << 21;
    /** Block bounds are multiples of this, so that each part keeps the kernels' full tiles. */
    private static final int SPLIT_ALIGN = 16;

    private Blas() {}

    /** C[m,n] = op(A)·op(B) + beta·C, row-major. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, int lda, FloatBuffer b, int ldb,
                     float beta, FloatBuffer c, int ldc) {
        if (Parts.count() == 1 || (long) m * n * k < SPLIT_MIN_MACS) {
            sgemm(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
        } else if (m >= n) {
            // rows i of C and op(A): A's row i (or column i when transposed)
            Parts.run(m, SPLIT_ALIGN, SPLIT_ALIGN, (part, from, to) -> sgemm(ta, tb, to - from, n, k,
                    from(a, ta ? from : (long) from * lda), lda, b, ldb, beta, from(c, (long) from * ldc), ldc));
        } else {
            // columns j of C and op(B): B's column j (or row j when transposed)
            Parts.run(n, SPLIT_ALIGN, SPLIT_ALIGN, (part, from, to) -> sgemm(ta, tb, m, to - from, k,
                    a, lda, from(b, tb ? (long) from * ldb : from), ldb, beta, from(c, from), ldc));
        }
    }

    /**
     * The same product whole, on the calling thread: for the sliders' decoder, which must not wait
     * for the engine's part threads (in the app those run at the training thread's lower priority).
     */
    static void gemmOnCallingThread(boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, int lda, FloatBuffer b,
                                    int ldb, float beta, FloatBuffer c, int ldc) {
        sgemm(ta, tb, m, n, k, a, lda, b, ldb, beta, c, ldc);
    }

    private static void sgemm(boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, int lda, FloatBuffer b, int ldb,
                              float beta, FloatBuffer c, int ldc) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1f, a, lda, b, ldb, beta, c, ldc);
    }

    /** The buffer from float offset on (sgemm reads a direct buffer from its start). */
    private static FloatBuffer from(FloatBuffer buf, long offset) {
        int off = Math.toIntExact(offset);
        return off == 0 ? buf : buf.slice(off, buf.limit() - off);
    }

    /** A zeroed off-heap buffer of n floats in native order (what sgemm reads without a copy). */
    static FloatBuffer buffer(int n) {
        return ByteBuffer.allocateDirect(Math.max(1, n) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
