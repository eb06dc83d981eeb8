package org.axdse.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small helpers for the operator specifications: tensors from literals, one-output runs, exact comparisons. */
final class OpTests {
    private OpTests() {
    }

    static int[] shape(int... dims) {
        return dims;
    }

    static Tensor floats(int[] shape, float... values) {
        return Tensor.floats(shape, values);
    }

    static Tensor longs(int[] shape, long... values) {
        return Tensor.longs(shape, values);
    }

    /** A node's attributes named {@code node} (the prefix of error messages). */
    static TestAttributes attrs() {
        return new TestAttributes("node");
    }

    /** Builds {@code opType} at {@code opset} through the dispatch and runs it on {@code inputs}; its first output. */
    static Tensor run(String opType, TestAttributes a, int opset, Tensor... inputs) {
        return Operators.create(opType, a, opset).run(inputs)[0];
    }

    /** Same shape, same float bits (so -0.0 differs from +0.0, and NaN equals NaN). */
    static void assertFloats(int[] expectedShape, float[] expected, Tensor actual) {
        assertArrayEquals(expectedShape, actual.shape(), "shape");
        assertEquals(true, actual.isFloat(), "float tensor");
        int[] e = new int[expected.length];
        int[] a = new int[actual.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = Float.floatToIntBits(expected[i]);
        }
        for (int i = 0; i < a.length; i++) {
            a[i] = Float.floatToIntBits(actual.floatData()[i]);
        }
        assertArrayEquals(e, a, () -> "values: expected " + java.util.Arrays.toString(expected) + ", got "
                + java.util.Arrays.toString(actual.floatData()));
    }

    static void assertLongs(int[] expectedShape, long[] expected, Tensor actual) {
        assertArrayEquals(expectedShape, actual.shape(), "shape");
        assertEquals(false, actual.isFloat(), "int64 tensor");
        assertArrayEquals(expected, actual.longData(), "values");
    }
}
