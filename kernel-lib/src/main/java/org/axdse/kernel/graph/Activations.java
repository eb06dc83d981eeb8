package org.axdse.kernel.graph;

import org.axdse.kernel.conv.FloatLoops;

/**
 * Element-wise activations on float tensors: Relu, LeakyRelu, Sigmoid, Tanh and Clip. Each output element is a
 * function of the input element at the same index alone; the output has the input's shape.
 */
final class Activations {
    private Activations() {
    }

    /** {@code max(v, 0)} with NaN and -0.0 to +0.0 ({@link FloatLoops#relu}). */
    static Op relu(OpAttributes a, int opset) {
        return in -> new Tensor[] {relu(in[0])};
    }

    /** {@code v >= 0 ? v : alpha * v}, {@code alpha} 0.01 by default. */
    static Op leakyRelu(OpAttributes a, int opset) {
        float alpha = a.getFloat("alpha", 0.01f);
        return in -> new Tensor[] {map(in[0], v -> v >= 0f ? v : alpha * v)};
    }

    /** {@code 1 / (1 + exp(-v))} in double, rounded to float. */
    static Op sigmoid(OpAttributes a, int opset) {
        return in -> new Tensor[] {map(in[0], v -> (float) (1 / (1 + Math.exp(-v))))};
    }

    /** {@code tanh(v)} in double, rounded to float. */
    static Op tanh(OpAttributes a, int opset) {
        return in -> new Tensor[] {map(in[0], v -> (float) Math.tanh(v))};
    }

    /**
     * {@code min(max, max(min, v))}: bounds from the attributes {@code min}/{@code max} before opset 11, from the
     * optional inputs 1 and 2 since; a missing bound is infinite.
     */
    static Op clip(OpAttributes a, int opset) {
        if (opset < 11) {
            float min = a.getFloat("min", Float.NEGATIVE_INFINITY);
            float max = a.getFloat("max", Float.POSITIVE_INFINITY);
            return in -> new Tensor[] {clamp(in[0], min, max)};
        }
        return in -> {
            float min = in.length > 1 && in[1] != null ? in[1].floatData()[0] : Float.NEGATIVE_INFINITY;
            float max = in.length > 2 && in[2] != null ? in[2].floatData()[0] : Float.POSITIVE_INFINITY;
            return new Tensor[] {clamp(in[0], min, max)};
        };
    }

    private interface FloatFn {
        float apply(float v);
    }

    private static Tensor map(Tensor x, FloatFn f) {
        float[] in = x.floatData();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = f.apply(in[i]);
        }
        return Tensor.floats(x.shape(), out);
    }

    /**
     * ReLU with its own loop: through {@link #map} the per-element call is megamorphic (every element-wise
     * operator shares it) and costs a call per element; measured (axdse bench eval) ReLU was most of the FP32
     * operators' time on LeNet-5.
     */
    private static Tensor relu(Tensor x) {
        float[] in = x.floatData();
        float[] out = new float[in.length];
        FloatLoops.relu(in, out, in.length);
        return Tensor.floats(x.shape(), out);
    }

    /** Clip (ReLU6 and friends) with its own loop, for the reason given at {@link #relu(Tensor)}. */
    private static Tensor clamp(Tensor x, float min, float max) {
        float[] in = x.floatData();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(max, Math.max(min, in[i]));
        }
        return Tensor.floats(x.shape(), out);
    }
}
