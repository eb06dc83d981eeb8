package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Max and average pooling equal a plain definition bit for bit, on windows that all lie inside the image (the
 * fast path) and on padded or ceil-mode ones (the general path), with NaN and infinities among the inputs; and
 * hand-computed cases of padding, {@code count_include_pad}, {@code ceil_mode}, {@code auto_pad} and global pooling.
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

    private static final Tensor ONE_TO_NINE = floats(shape(1, 1, 3, 3), 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);

    @Test
    void maxPoolTakesTheLargestOfEachWindow() {
        float[] x = new float[16];
        for (int i = 0; i < 16; i++) {
            x[i] = i + 1;
        }
        assertFloats(shape(1, 1, 2, 2), new float[] {6f, 8f, 14f, 16f},
                run("MaxPool", attrs().ints("kernel_shape", 2, 2).ints("strides", 2, 2), 13, floats(shape(1, 1, 4, 4), x)));
    }

    @Test
    void averagePoolDividesByTheRealCellsUnlessCountIncludePad() {
        Tensor x = floats(shape(1, 1, 2, 2), 1f, 2f, 3f, 4f);
        TestAttributes a = attrs().ints("kernel_shape", 3, 3).ints("pads", 1, 1, 1, 1);
        // Every 3x3 window around a 2x2 image holds the 4 pixels (sum 10) and 5 padded cells.
        assertFloats(shape(1, 1, 2, 2), new float[] {2.5f, 2.5f, 2.5f, 2.5f}, run("AveragePool", a, 13, x));
        assertFloats(shape(1, 1, 2, 2), new float[] {10f / 9, 10f / 9, 10f / 9, 10f / 9},
                run("AveragePool", a.integer("count_include_pad", 1), 13, x));
    }

    @Test
    void ceilModeAddsAWindowThatStartsInsideTheImageButNeverCountsItsOverhang() {
        TestAttributes k2s2 = attrs().ints("kernel_shape", 2, 2).ints("strides", 2, 2);
        assertFloats(shape(1, 1, 1, 1), new float[] {5f}, run("MaxPool", k2s2, 13, ONE_TO_NINE));
        k2s2.integer("ceil_mode", 1);
        assertFloats(shape(1, 1, 2, 2), new float[] {5f, 6f, 8f, 9f}, run("MaxPool", k2s2, 13, ONE_TO_NINE));
        // Windows {1,2,4,5}, {3,6}, {7,8}, {9}: the cells beyond the image are not padding, even with count_include_pad.
        assertFloats(shape(1, 1, 2, 2), new float[] {3f, 4.5f, 7.5f, 9f}, run("AveragePool", k2s2, 13, ONE_TO_NINE));
        assertFloats(shape(1, 1, 2, 2), new float[] {3f, 4.5f, 7.5f, 9f},
                run("AveragePool", k2s2.integer("count_include_pad", 1), 13, ONE_TO_NINE));
    }

    @Test
    void autoPadSameUpperPadsAtTheEndAndSameLowerAtTheBeginning() {
        Tensor x = floats(shape(1, 1, 2, 2), 1f, 2f, 3f, 4f);
        assertFloats(shape(1, 1, 2, 2), new float[] {2.5f, 3f, 3.5f, 4f},
                run("AveragePool", attrs().ints("kernel_shape", 2, 2).string("auto_pad", "SAME_UPPER"), 13, x));
        assertFloats(shape(1, 1, 2, 2), new float[] {1f, 1.5f, 2f, 2.5f},
                run("AveragePool", attrs().ints("kernel_shape", 2, 2).string("auto_pad", "SAME_LOWER"), 13, x));
        assertFloats(shape(1, 1, 1, 1), new float[] {4f},
                run("MaxPool", attrs().ints("kernel_shape", 2, 2).string("auto_pad", "VALID"), 13, x));
    }

    @Test
    void globalPoolingReducesEachChannelToOneValue() {
        Tensor x = floats(shape(1, 2, 2, 2), 1f, 2f, 3f, 4f, 5f, 6f, 7f, -8f);
        assertFloats(shape(1, 2, 1, 1), new float[] {2.5f, 2.5f}, run("GlobalAveragePool", attrs(), 13, x));
        assertFloats(shape(1, 2, 1, 1), new float[] {4f, 7f}, run("GlobalMaxPool", attrs(), 13, x));
    }

    @Test
    void unsupportedPoolingIsRefusedNamingTheNode() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Operators.create("MaxPool", attrs(), 13));
        assertEquals("node: kernel_shape: expected 2 values (2-D pooling), got none", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Operators.create("AveragePool",
                attrs().ints("kernel_shape", 2, 2).ints("dilations", 2, 2), 19));
        assertEquals("node: dilations: AveragePool with dilation is not supported", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Operators.create("MaxPool",
                attrs().ints("kernel_shape", 2, 2).integer("storage_order", 1), 13));
        assertEquals("node: storage_order=1 (column-major indices) is not supported", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> run("MaxPool", attrs().ints("kernel_shape", 2, 2), 13, floats(shape(2, 2), 1f, 2f, 3f, 4f)));
        assertEquals("node: expected an NCHW input, got float[2, 2]", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("MaxPool",
                attrs().ints("kernel_shape", 2, 2).string("auto_pad", "SAME"), 13, ONE_TO_NINE));
        assertEquals("node: auto_pad: expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, got SAME", e.getMessage());
    }
}
