package org.axdse.kernel.graph;

import java.util.Arrays;

/**
 * Operators that produce or pass on values without computing: Constant, ConstantOfShape, Cast, and Identity
 * (also Dropout, which is the identity at inference).
 */
final class Values {
    /** ONNX {@code TensorProto.DataType} codes that {@code Cast} maps to float32 (FLOAT, FLOAT16, DOUBLE). */
    static final int FLOAT = 1;
    static final int FLOAT16 = 10;
    static final int DOUBLE = 11;

    private Values() {
    }

    /** Input 0 as it is (the same tensor). */
    static Op identity(OpAttributes a, int opset) {
        return in -> new Tensor[] {in[0]};
    }

    /** The attribute {@code value} (a tensor), or {@code value_float}, {@code value_int} (scalars), {@code value_floats}, {@code value_ints}. */
    static Op constant(OpAttributes a, int opset) {
        Tensor value = constant(a);
        return in -> new Tensor[] {value};
    }

    /** A tensor of the shape in input 0 filled with the first element of {@code value} (default float 0). */
    static Op constantOfShape(OpAttributes a, int opset) {
        Tensor v = a.getTensor("value");
        Tensor value = v == null ? Tensor.floats(new int[] {1}, new float[] {0f}) : v;
        return in -> new Tensor[] {filled(Axes.toInts(in[0].longData()), value)};
    }

    /**
     * To float32 when {@code to} (default FLOAT) is a floating-point type, else to int64 (floats truncated towards
     * zero, {@link Tensor#longData()}); always a copy.
     */
    static Op cast(OpAttributes a, int opset) {
        int to = (int) a.getInt("to", FLOAT);
        boolean toFloat = to == FLOAT || to == DOUBLE || to == FLOAT16;
        return in -> new Tensor[] {toFloat ? Tensor.floats(in[0].shape(), in[0].floatData().clone())
                : Tensor.longs(in[0].shape(), in[0].longData().clone())};
    }

    private static Tensor constant(OpAttributes a) {
        Tensor t = a.getTensor("value");
        if (t != null) {
            return t;
        }
        if (a.has("value_float")) {
            return Tensor.floats(new int[0], new float[] {a.getFloat("value_float", 0f)});
        }
        if (a.has("value_int")) {
            return Tensor.longs(new int[0], new long[] {a.getInt("value_int", 0)});
        }
        float[] fs = a.getFloats("value_floats");
        if (fs != null) {
            return Tensor.floats(new int[] {fs.length}, fs);
        }
        int[] is = a.getInts("value_ints", null);
        if (is != null) {
            return Tensor.longs(new int[] {is.length}, Arrays.stream(is).asLongStream().toArray());
        }
        throw a.error("a Constant needs value, value_float(s) or value_int(s)");
    }

    private static Tensor filled(int[] shape, Tensor value) {
        int n = (int) Tensor.size(shape);
        if (value.isFloat()) {
            float[] f = new float[n];
            Arrays.fill(f, value.floatData()[0]);
            return Tensor.floats(shape, f);
        }
        long[] l = new long[n];
        Arrays.fill(l, value.longData()[0]);
        return Tensor.longs(shape, l);
    }
}
