package org.axdse.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Normalisation and reduction over float tensors: BatchNormalization (inference form), LayerNormalization, Softmax,
 * LogSoftmax and ReduceMean. Sums that span many elements are accumulated in double and rounded to float once.
 */
final class Normalization {
    private Normalization() {
    }

    /**
     * {@code y = x * mul + add} per channel (axis 1), {@code mul = (float) (scale / sqrt((double) var + eps))},
     * {@code add = bias - mean * mul} in float; inputs X, scale, B, mean, var. {@code training_mode=1} is refused.
     */
    static Op batchNormalization(OpAttributes a, int opset) {
        float eps = a.getFloat("epsilon", 1e-5f);
        if (a.getInt("training_mode", 0) != 0) {
            throw a.error("training_mode=1 is not supported (export the model in eval mode)");
        }
        return in -> new Tensor[] {batchNorm(in, eps, a)};
    }

    /**
     * {@code (x - mean) / sqrt(variance + epsilon) * scale + bias} over the axes from {@code axis} (default -1) to the
     * last, mean and (biased) variance in double; inputs X, Scale and the optional B; only the first output (Y).
     */
    static Op layerNormalization(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", -1);
        double eps = a.getFloat("epsilon", 1e-5f);
        return in -> new Tensor[] {layerNorm(in[0], in[1], in.length > 2 ? in[2] : null, axis, eps, a)};
    }

    /**
     * Softmax along {@code axis} (default -1 since opset 13); before opset 13 the input is coerced to 2-D at
     * {@code axis} (default 1): the softmax runs over all dimensions from {@code axis} on.
     */
    static Op softmax(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", opset >= 13 ? -1 : 1);
        boolean coerce2d = opset < 13;
        return in -> new Tensor[] {softmax(in[0], axis, coerce2d)};
    }

    /** {@code (float) log(v)} of each element of {@link #softmax(OpAttributes, int)}'s result. */
    static Op logSoftmax(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", opset >= 13 ? -1 : 1);
        boolean coerce2d = opset < 13;
        return in -> new Tensor[] {log(softmax(in[0], axis, coerce2d))};
    }

    /**
     * Mean over the axes (attribute {@code axes}; since opset 18 the optional input 1), all axes when none are
     * given; {@code keepdims} (default 1) keeps reduced axes as size 1.
     */
    static Op reduceMean(OpAttributes a, int opset) {
        int[] attrAxes = a.getInts("axes", null);
        boolean keep = a.getInt("keepdims", 1) != 0;
        return in -> new Tensor[] {reduceMean(in[0], opset >= 18 && in.length > 1 && in[1] != null
                ? Axes.toInts(in[1].longData()) : attrAxes, keep, a)};
    }

    private static Tensor batchNorm(Tensor[] in, float eps, OpAttributes a) {
        Tensor x = in[0];
        int n = x.dim(0);
        int c = x.rank() > 1 ? x.dim(1) : 1;
        int inner = x.size() / Math.max(1, n * c);
        float[] scale = in[1].floatData();
        float[] bias = in[2].floatData();
        float[] mean = in[3].floatData();
        float[] var = in[4].floatData();
        if (scale.length != c || bias.length != c || mean.length != c || var.length != c) {
            throw a.error("expected " + c + " channels of scale, bias, mean and variance");
        }
        float[] v = x.floatData();
        float[] out = new float[v.length];
        for (int ch = 0; ch < c; ch++) {
            float mul = (float) (scale[ch] / Math.sqrt((double) var[ch] + eps));
            float add = bias[ch] - mean[ch] * mul;
            for (int b = 0; b < n; b++) {
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) {
                    out[base + i] = v[base + i] * mul + add;
                }
            }
        }
        return Tensor.floats(x.shape(), out);
    }

    private static Tensor layerNorm(Tensor x, Tensor scale, Tensor bias, int axis, double eps, OpAttributes a) {
        int ax = Axes.axis(axis, x.rank(), a);
        int len = 1;
        for (int d = ax; d < x.rank(); d++) {
            len *= x.dim(d);
        }
        float[] g = scale.floatData();
        float[] b = bias == null ? null : bias.floatData();
        if (g.length != len || (b != null && b.length != len)) {
            throw a.error("scale " + scale + (bias == null ? "" : " and bias " + bias) + " do not match the normalised "
                    + len + " elements of " + x);
        }
        float[] v = x.floatData();
        float[] out = new float[v.length];
        for (int base = 0; base < v.length; base += len) {
            double sum = 0;
            for (int i = 0; i < len; i++) {
                sum += v[base + i];
            }
            double mean = sum / len;
            double sq = 0;
            for (int i = 0; i < len; i++) {
                double d = v[base + i] - mean;
                sq += d * d;
            }
            double inv = 1 / Math.sqrt(sq / len + eps);
            for (int i = 0; i < len; i++) {
                out[base + i] = (float) ((v[base + i] - mean) * inv * g[i] + (b == null ? 0 : b[i]));
            }
        }
        return Tensor.floats(x.shape(), out);
    }

    /** Max-shifted softmax: {@code (float) (exp(v - max) / sum)}, the sum of the exponentials in double. */
    private static Tensor softmax(Tensor x, int axis, boolean coerce2d) {
        int[] s = x.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        int outer = 1;
        for (int d = 0; d < ax; d++) {
            outer *= s[d];
        }
        int len;
        int inner;
        if (coerce2d) {
            len = x.size() / outer;
            inner = 1;
        } else {
            len = s[ax];
            inner = x.size() / (outer * len);
        }
        float[] in = x.floatData();
        float[] out = new float[in.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * len * inner + i;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) {
                    max = Math.max(max, in[base + k * inner]);
                }
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    sum += Math.exp(in[base + k * inner] - max);
                }
                for (int k = 0; k < len; k++) {
                    out[base + k * inner] = (float) (Math.exp(in[base + k * inner] - max) / sum);
                }
            }
        }
        return Tensor.floats(s, out);
    }

    private static Tensor log(Tensor x) {
        float[] in = x.floatData();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = (float) Math.log(in[i]);
        }
        return Tensor.floats(x.shape(), out);
    }

    /** Mean over {@code axes} (all axes when null), as ONNX ReduceMean; sums in double in element order. */
    private static Tensor reduceMean(Tensor x, int[] axes, boolean keepDims, OpAttributes a) {
        int[] s = x.shape();
        boolean[] reduce = new boolean[s.length];
        if (axes == null) {
            Arrays.fill(reduce, true);
        } else {
            for (int ax : axes) {
                reduce[Axes.axis(ax, s.length, a)] = true;
            }
        }
        List<Integer> kept = new ArrayList<>();
        int[] outFull = new int[s.length];
        long count = 1;
        for (int d = 0; d < s.length; d++) {
            outFull[d] = reduce[d] ? 1 : s[d];
            if (reduce[d]) {
                count *= s[d];
            } else {
                kept.add(s[d]);
            }
        }
        int[] outStrides = Tensor.strides(outFull);
        double[] sums = new double[(int) Tensor.size(outFull)];
        float[] v = x.floatData();
        int[] idx = new int[s.length];
        for (int e = 0; e < v.length; e++) {
            int o = 0;
            for (int d = 0; d < s.length; d++) {
                o += reduce[d] ? 0 : idx[d] * outStrides[d];
            }
            sums[o] += v[e];
            for (int d = s.length - 1; d >= 0; d--) {
                if (++idx[d] < s[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        float[] out = new float[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sums[i] / count);
        }
        return Tensor.floats(keepDims ? outFull : kept.stream().mapToInt(Integer::intValue).toArray(), out);
    }
}
