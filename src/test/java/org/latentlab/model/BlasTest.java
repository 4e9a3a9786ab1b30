package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlasTest {

    @AfterEach
    void backToOneThread() {
        Parts.setCount(1);
    }

    /**
     * A product split into blocks of rows (m ≥ n) or columns (m < n) over three parts gives the
     * whole product, for every transpose, with beta adding to what C held; checked against a plain
     * double-precision loop.
     */
    @ParameterizedTest
    @CsvSource({
            "false, false, 300, 40, 200", "true, false, 300, 40, 200", "false, true, 300, 40, 200", "true, true, 300, 40, 200",
            "false, false, 40, 300, 200", "true, false, 40, 300, 200", "false, true, 40, 300, 200", "true, true, 40, 300, 200",
    })
    void splitProductsEqualTheWholeProduct(boolean ta, boolean tb, int m, int n, int k) {
        Random r = new Random(7);
        float[] a = random(r, m * k), b = random(r, k * n), c0 = random(r, m * n);
        int lda = ta ? m : k, ldb = tb ? k : n;
        FloatBuffer fa = Blas.buffer(a.length), fb = Blas.buffer(b.length), fc = Blas.buffer(c0.length);
        fa.put(0, a);
        fb.put(0, b);
        fc.put(0, c0);
        Parts.setCount(3);
        Blas.gemm(ta, tb, m, n, k, fa, lda, fb, ldb, 0.5f, fc, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0.5 * c0[i * n + j];
                for (int q = 0; q < k; q++) sum += (double) a[ta ? q * lda + i : i * lda + q] * b[tb ? j * ldb + q : q * ldb + j];
                assertEquals(sum, fc.get(i * n + j), 1e-4 * (1 + Math.abs(sum)), "C[" + i + "][" + j + "]");
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
