package org.axdse.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Max and average pooling equal a plain definition bit for bit, on windows that all lie inside the image (the
 * fast path) and on padded or ceil-mode ones (the general path), with NaN and infinities among the inputs.
 */
class PoolingTest {
    @ParameterizedTest(name = "{0} {1}x{1} k{2} s{3} d{4} pad{5} ceil{6}")
    @CsvSource({
            "AveragePool, 13, 2, 2, 1, 0, 0",
            "MaxPool, 13, 2, 2, 1, 0, 0",
            "MaxPool, 11, 3, 2, 2, 0, 0",
            "AveragePool, 9, 3, 1, 1, 0, 0",
            "AveragePool, 7, 2, 2, 1, 0, 1",
            "MaxPool, 7, 3, 2, 1, 1, 0",
            "AveragePool, 8, 3, 2, 1, 1, 1",
    })
    void equalsThePlainDefinition(String op, int size, int k, int s, int d, int pad, int ceil) {
        TestAttributes node = new TestAttributes("pool").ints("kernel_shape", k, k).ints("strides", s, s)
                .ints("pads", pad, pad, pad, pad).integer("ceil_mode", ceil);
        if (d != 1) {
            node.ints("dilations", d, d);
        }
        Op pool = Pooling.create(op, node, 13);
        int n = 2;
        int c = 3;
        Random r = new Random(size * 31L + k);
        float[] x = new float[n * c * size * size];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 17 == 0 ? Float.NaN : i % 23 == 0 ? Float.NEGATIVE_INFINITY : (float) r.nextGaussian();
        }
        Tensor y = pool.run(new Tensor[] {Tensor.floats(new int[] {n, c, size, size}, x)})[0];
        int oh = y.dim(2);
        int ow = y.dim(3);
        boolean max = op.equals("MaxPool");
        float[] out = y.floatData();
        for (int plane = 0; plane < n * c; plane++) {
            for (int yo = 0; yo < oh; yo++) {
                for (int xo = 0; xo < ow; xo++) {
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    int count = 0;
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            int iy = yo * s - pad + i * d;
                            int ix = xo * s - pad + j * d;
                            if (iy >= 0 && iy < size && ix >= 0 && ix < size) {
                                float v = x[plane * size * size + iy * size + ix];
                                acc = max ? Math.max(acc, v) : acc + v;
                                count++;
                            }
                        }
                    }
                    float expected = max ? acc : count == 0 ? 0f : acc / count;
                    assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[(plane * oh + yo) * ow + xo]),
                            op + " plane " + plane + " at " + yo + "," + xo);
                }
            }
        }
    }
}
