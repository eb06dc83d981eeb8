package org.axdse.kernel.graph;

import org.axdse.kernel.conv.FloatLoops;

/**
 * Element-wise functions of float tensors: the activations Relu, LeakyRelu, Sigmoid, Tanh, Clip, HardSigmoid and
 * HardSwish, and the unary arithmetic Erf, Exp, Neg and Sqrt. Each output element is a function of the input
 * element at the same index alone; the output has the input's shape. Transcendental functions are computed in
 * double and rounded to float once.
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

    /** {@code max(0, min(1, alpha * v + beta))}, {@code alpha} 0.2 and {@code beta} 0.5 by default. */
    static Op hardSigmoid(OpAttributes a, int opset) {
        float alpha = a.getFloat("alpha", 0.2f);
        float beta = a.getFloat("beta", 0.5f);
        return in -> new Tensor[] {map(in[0], v -> Math.max(0f, Math.min(1f, alpha * v + beta)))};
    }

    /** {@code v * max(0, min(1, v / 6 + 1 / 2))} (ONNX's alpha 1/6, beta 0.5). */
    static Op hardSwish(OpAttributes a, int opset) {
        float alpha = 1f / 6;
        return in -> new Tensor[] {map(in[0], v -> v * Math.max(0f, Math.min(1f, alpha * v + 0.5f)))};
    }

    /** The error function {@link #erf(double)}, rounded to float (exact GELU is exported as {@code x * (1 + erf(x / sqrt 2)) / 2}). */
    static Op erf(OpAttributes a, int opset) {
        return in -> new Tensor[] {map(in[0], v -> (float) erf(v))};
    }

    /** {@code exp(v)} in double, rounded to float. */
    static Op exp(OpAttributes a, int opset) {
        return in -> new Tensor[] {map(in[0], v -> (float) Math.exp(v))};
    }

    /** {@code -v} (float; int64 inputs negated as int64, as shape arithmetic needs). */
    static Op neg(OpAttributes a, int opset) {
        return in -> {
            Tensor x = in[0];
            if (x.isFloat()) {
                return new Tensor[] {map(x, v -> -v)};
            }
            long[] l = x.longData();
            long[] r = new long[l.length];
            for (int i = 0; i < l.length; i++) {
                r[i] = -l[i];
            }
            return new Tensor[] {Tensor.longs(x.shape(), r)};
        };
    }

    /** {@code sqrt(v)} (NaN below 0), correctly rounded. */
    static Op sqrt(OpAttributes a, int opset) {
        return in -> new Tensor[] {map(in[0], v -> (float) Math.sqrt(v))};
    }

    /**
     * The error function {@code erf(x) = 2 / sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (1 * 3 * ... * (2n + 1))}, a
     * series of positive terms (no cancellation), to double precision for {@code |x| < 4}; beyond, {@code erf(x)}
     * rounds to {@code +-1} in float ({@code erfc(4) = 1.5e-8}, below half a float ulp of 1).
     *
     * @param x a value
     * @return erf(x), accurate well beyond float precision
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 4) {
            return Math.signum(x);
        }
        double twoX2 = 2 * ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 1; term > sum * 1e-17; n++) {
            term *= twoX2 / (2 * n + 1);
            sum += term;
        }
        double r = 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
        return x < 0 ? -r : r;
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
