package org.latentlab.model;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** OpenBLAS's sgemm on off-heap float buffers: the matrix products of {@link GemmVae} and {@link FastDecoder}. */
final class Blas {
    private Blas() {}

    /** C[m,n] = op(A)·op(B) + beta·C, row-major. */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, FloatBuffer a, int lda, FloatBuffer b, int ldb,
                     float beta, FloatBuffer c, int ldc) {
        cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, m, n, k,
                1f, a, lda, b, ldb, beta, c, ldc);
    }

    /** A zeroed off-heap buffer of n floats in native order (what sgemm reads without a copy). */
    static FloatBuffer buffer(int n) {
        return ByteBuffer.allocateDirect(Math.max(1, n) * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
