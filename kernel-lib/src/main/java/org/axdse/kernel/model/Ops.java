package org.axdse.kernel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.FloatLoops;
import org.axdse.kernel.model.onnx.Onnx;

/**
 * Builds the non-approximable operators: activations, pooling, normalisation, element-wise arithmetic
 * and the shape-manipulating operators that PyTorch and tf2onnx emit around them (Shape, Gather,
 * Unsqueeze, Concat, Reshape, Slice, Transpose, Cast, ConstantOfShape ...). Attributes are read and
 * checked here, at import time.
 */
final class Ops {
    /** The operators AxDSE evaluates, besides the approximable Conv, Gemm and MatMul. */
    static final List<String> SUPPORTED = List.of("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "MaxPool", "AveragePool",
            "GlobalAveragePool", "GlobalMaxPool", "Flatten", "Reshape", "BatchNormalization", "Add", "Sub", "Mul", "Div",
            "Concat", "Softmax", "Identity", "Dropout", "Constant", "Pad", "Transpose", "Shape", "Gather", "Unsqueeze",
            "Squeeze", "Slice", "Cast", "ConstantOfShape", "LogSoftmax", "ReduceMean");

    private Ops() {
    }

    static Op create(Onnx.NodeProto node, int opset, String where) {
        Attributes a = new Attributes(node, where);
        String type = node.getOpType();
        return switch (type) {
            case "Relu" -> in -> new Tensor[] {relu(in[0])};
            case "LeakyRelu" -> {
                float alpha = a.getFloat("alpha", 0.01f);
                yield in -> new Tensor[] {map(in[0], v -> v >= 0f ? v : alpha * v)};
            }
            case "Sigmoid" -> in -> new Tensor[] {map(in[0], v -> (float) (1 / (1 + Math.exp(-v))))};
            case "Tanh" -> in -> new Tensor[] {map(in[0], v -> (float) Math.tanh(v))};
            case "Clip" -> clip(a, opset);
            case "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool" -> Pooling.create(type, a, opset);
            case "Flatten" -> {
                int axis = (int) a.getInt("axis", 1);
                yield in -> new Tensor[] {flatten(in[0], axis, a)};
            }
            case "Reshape" -> {
                boolean allowZero = a.getInt("allowzero", 0) != 0;
                yield in -> new Tensor[] {reshape(in[0], in[1].longData(), allowZero, a)};
            }
            case "BatchNormalization" -> {
                float eps = a.getFloat("epsilon", 1e-5f);
                if (a.getInt("training_mode", 0) != 0) {
                    throw a.error("training_mode=1 is not supported (export the model in eval mode)");
                }
                yield in -> new Tensor[] {batchNorm(in, eps, a)};
            }
            case "Add" -> in -> new Tensor[] {Broadcast.apply(Broadcast.Kind.ADD, in[0], in[1], where)};
            case "Sub" -> in -> new Tensor[] {Broadcast.apply(Broadcast.Kind.SUB, in[0], in[1], where)};
            case "Mul" -> in -> new Tensor[] {Broadcast.apply(Broadcast.Kind.MUL, in[0], in[1], where)};
            case "Div" -> in -> new Tensor[] {Broadcast.apply(Broadcast.Kind.DIV, in[0], in[1], where)};
            case "Concat" -> {
                if (!a.has("axis")) {
                    throw a.error("attribute axis is required");
                }
                int axis = (int) a.getInt("axis", 0);
                yield in -> new Tensor[] {concat(in, axis, a)};
            }
            case "Softmax" -> {
                int axis = (int) a.getInt("axis", opset >= 13 ? -1 : 1);
                boolean coerce2d = opset < 13;
                yield in -> new Tensor[] {softmax(in[0], axis, coerce2d)};
            }
            case "LogSoftmax" -> {
                int axis = (int) a.getInt("axis", opset >= 13 ? -1 : 1);
                boolean coerce2d = opset < 13;
                yield in -> new Tensor[] {map(softmax(in[0], axis, coerce2d), v -> (float) Math.log(v))};
            }
            case "ReduceMean" -> {
                int[] attrAxes = a.getInts("axes", null);
                boolean keep = a.getInt("keepdims", 1) != 0;
                yield in -> new Tensor[] {reduceMean(in[0], opset >= 18 && in.length > 1 && in[1] != null
                        ? toInts(in[1].longData()) : attrAxes, keep, a)};
            }
            case "Identity", "Dropout" -> in -> new Tensor[] {in[0]};
            case "Constant" -> {
                Tensor value = constant(a, where);
                yield in -> new Tensor[] {value};
            }
            case "Pad" -> pad(a, opset);
            case "Transpose" -> {
                int[] perm = a.getInts("perm", null);
                yield in -> new Tensor[] {transpose(in[0], perm, a)};
            }
            case "Shape" -> {
                long start = a.getInt("start", 0);
                long end = a.getInt("end", Long.MAX_VALUE);
                yield in -> new Tensor[] {shape(in[0], start, end)};
            }
            case "Gather" -> {
                int axis = (int) a.getInt("axis", 0);
                yield in -> new Tensor[] {gather(in[0], in[1], axis, a)};
            }
            case "Unsqueeze" -> {
                int[] attrAxes = a.getInts("axes", null);
                yield in -> new Tensor[] {unsqueeze(in[0], opset >= 13 ? toInts(in[1].longData()) : attrAxes, a)};
            }
            case "Squeeze" -> {
                int[] attrAxes = a.getInts("axes", null);
                yield in -> new Tensor[] {squeeze(in[0], opset >= 13 ? (in.length > 1 && in[1] != null ? toInts(in[1].longData()) : null)
                        : attrAxes)};
            }
            case "Slice" -> slice(a, opset);
            case "Cast" -> {
                int to = (int) a.getInt("to", 1);
                boolean toFloat = to == Onnx.TensorProto.DataType.FLOAT_VALUE || to == Onnx.TensorProto.DataType.DOUBLE_VALUE
                        || to == Onnx.TensorProto.DataType.FLOAT16_VALUE;
                yield in -> new Tensor[] {toFloat ? Tensor.floats(in[0].shape(), in[0].floatData().clone())
                        : Tensor.longs(in[0].shape(), in[0].longData().clone())};
            }
            case "ConstantOfShape" -> {
                Onnx.TensorProto v = a.getTensor("value");
                Tensor value = v == null ? Tensor.floats(new int[] {1}, new float[] {0f}) : Tensors.fromProto(v, where);
                yield in -> new Tensor[] {filled(toInts(in[0].longData()), value)};
            }
            default -> throw new InvalidInputException(where + ": unsupported operator " + type + " (opset " + opset
                    + "); AxDSE supports Conv, Gemm, MatMul and " + String.join(", ", SUPPORTED));
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

    /** Clip (ReLU6 and friends) with its own loop, for the reason given at {@link #relu}. */
    private static Tensor clamp(Tensor x, float min, float max) {
        float[] in = x.floatData();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = Math.min(max, Math.max(min, in[i]));
        }
        return Tensor.floats(x.shape(), out);
    }

    static int[] toInts(long[] l) {
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            r[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l[i]));
        }
        return r;
    }

    private static int axis(int axis, int rank, Attributes a) {
        int r = axis < 0 ? axis + rank : axis;
        if (r < 0 || r >= rank) {
            throw a.error("axis " + axis + " is out of range for rank " + rank);
        }
        return r;
    }

    private static Op clip(Attributes a, int opset) {
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

    private static Tensor flatten(Tensor x, int axis, Attributes a) {
        int[] s = x.shape();
        int ax = axis < 0 ? axis + s.length : axis;
        if (ax < 0 || ax > s.length) {
            throw a.error("axis " + axis + " is out of range for rank " + s.length);
        }
        long outer = 1;
        for (int i = 0; i < ax; i++) {
            outer *= s[i];
        }
        return x.reshape(new int[] {(int) outer, (int) (x.size() / Math.max(1, outer))});
    }

    private static Tensor reshape(Tensor x, long[] spec, boolean allowZero, Attributes a) {
        int[] in = x.shape();
        int[] out = new int[spec.length];
        int infer = -1;
        long known = 1;
        for (int i = 0; i < spec.length; i++) {
            long v = spec[i];
            if (v == -1) {
                if (infer >= 0) {
                    throw a.error("shape " + Arrays.toString(spec) + " has more than one -1");
                }
                infer = i;
                continue;
            }
            if (v == 0 && !allowZero) {
                if (i >= in.length) {
                    throw a.error("shape " + Arrays.toString(spec) + " copies dimension " + i + " of a rank-" + in.length + " input");
                }
                v = in[i];
            }
            if (v < 0) {
                throw a.error("invalid shape " + Arrays.toString(spec));
            }
            out[i] = (int) v;
            known *= v;
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw a.error("cannot reshape " + x + " to " + Arrays.toString(spec));
            }
            out[infer] = (int) (x.size() / known);
        } else if (known != x.size()) {
            throw a.error("cannot reshape " + x + " (" + x.size() + " values) to " + Arrays.toString(out));
        }
        return x.reshape(out);
    }

    private static Tensor batchNorm(Tensor[] in, float eps, Attributes a) {
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

    private static Tensor concat(Tensor[] in, int axis, Attributes a) {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : in) {
            if (t != null) {
                parts.add(t);
            }
        }
        int[] shape = parts.get(0).shape();
        int ax = axis(axis, shape.length, a);
        boolean floats = parts.stream().anyMatch(Tensor::isFloat);
        int total = 0;
        for (Tensor t : parts) {
            int[] s = t.shape();
            if (s.length != shape.length) {
                throw a.error("inputs of ranks " + shape.length + " and " + s.length);
            }
            for (int d = 0; d < s.length; d++) {
                if (d != ax && s[d] != shape[d]) {
                    throw a.error("input shapes " + Arrays.toString(shape) + " and " + Arrays.toString(s) + " differ off axis " + ax);
                }
            }
            total += s[ax];
        }
        int[] out = shape.clone();
        out[ax] = total;
        int outer = 1;
        for (int d = 0; d < ax; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = ax + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        int size = (int) Tensor.size(out);
        float[] f = floats ? new float[size] : null;
        long[] l = floats ? null : new long[size];
        int offset = 0;
        for (Tensor t : parts) {
            int chunk = t.dim(ax) * inner;
            for (int o = 0; o < outer; o++) {
                if (floats) {
                    System.arraycopy(t.floatData(), o * chunk, f, o * total * inner + offset, chunk);
                } else {
                    System.arraycopy(t.longData(), o * chunk, l, o * total * inner + offset, chunk);
                }
            }
            offset += chunk;
        }
        return floats ? Tensor.floats(out, f) : Tensor.longs(out, l);
    }

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

    /** Mean over {@code axes} (all axes when null), as ONNX ReduceMean. */
    private static Tensor reduceMean(Tensor x, int[] axes, boolean keepDims, Attributes a) {
        int[] s = x.shape();
        boolean[] reduce = new boolean[s.length];
        if (axes == null) {
            java.util.Arrays.fill(reduce, true);
        } else {
            for (int ax : axes) {
                reduce[axis(ax, s.length, a)] = true;
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

    private static Tensor constant(Attributes a, String where) {
        Onnx.TensorProto t = a.getTensor("value");
        if (t != null) {
            return Tensors.fromProto(t, where);
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

    private static Op pad(Attributes a, int opset) {
        String mode = a.getString("mode", "constant");
        if (!mode.equals("constant")) {
            throw a.error("mode " + mode + " is not supported (constant only)");
        }
        int[] attrPads = a.getInts("pads", null);
        float attrValue = a.getFloat("value", 0f);
        return in -> {
            long[] pads = opset >= 11 ? in[1].longData() : Arrays.stream(attrPads).asLongStream().toArray();
            float value = opset >= 11 ? (in.length > 2 && in[2] != null ? in[2].floatData()[0] : 0f) : attrValue;
            if (opset >= 18 && in.length > 3 && in[3] != null) {
                throw a.error("the axes input of Pad is not supported");
            }
            return new Tensor[] {padConstant(in[0], pads, value, a)};
        };
    }

    private static Tensor padConstant(Tensor x, long[] pads, float value, Attributes a) {
        int[] s = x.shape();
        int r = s.length;
        if (pads.length != 2 * r) {
            throw a.error("pads: expected " + 2 * r + " values for rank " + r + ", got " + pads.length);
        }
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            out[d] = (int) (s[d] + pads[d] + pads[d + r]);
            if (out[d] < 0) {
                throw a.error("pads " + Arrays.toString(pads) + " crop dimension " + d + " below zero");
            }
        }
        int n = (int) Tensor.size(out);
        float[] src = x.floatData();
        float[] dst = new float[n];
        Arrays.fill(dst, value);
        int[] inStrides = Tensor.strides(s);
        int[] idx = new int[r];
        for (int e = 0; e < n; e++) {
            int off = 0;
            boolean inside = true;
            for (int d = 0; d < r; d++) {
                int i = (int) (idx[d] - pads[d]);
                if (i < 0 || i >= s[d]) {
                    inside = false;
                    break;
                }
                off += i * inStrides[d];
            }
            if (inside) {
                dst[e] = src[off];
            }
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return Tensor.floats(out, dst);
    }

    private static Tensor transpose(Tensor x, int[] permAttr, Attributes a) {
        int[] s = x.shape();
        int r = s.length;
        int[] perm = permAttr;
        if (perm == null) {
            perm = new int[r];
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        }
        if (perm.length != r) {
            throw a.error("perm " + Arrays.toString(perm) + " does not match rank " + r);
        }
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = s[perm[i]];
        }
        int[] inStrides = Tensor.strides(s);
        int n = x.size();
        int[] srcIndex = new int[n];
        int[] idx = new int[r];
        for (int e = 0; e < n; e++) {
            int off = 0;
            for (int d = 0; d < r; d++) {
                off += idx[d] * inStrides[perm[d]];
            }
            srcIndex[e] = off;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return select(x, out, srcIndex);
    }

    /** @return a tensor of shape {@code shape} whose element e is {@code x}'s element {@code srcIndex[e]} */
    private static Tensor select(Tensor x, int[] shape, int[] srcIndex) {
        int n = srcIndex.length;
        if (x.isFloat()) {
            float[] src = x.floatData();
            float[] dst = new float[n];
            for (int e = 0; e < n; e++) {
                dst[e] = src[srcIndex[e]];
            }
            return Tensor.floats(shape, dst);
        }
        long[] src = x.longData();
        long[] dst = new long[n];
        for (int e = 0; e < n; e++) {
            dst[e] = src[srcIndex[e]];
        }
        return Tensor.longs(shape, dst);
    }

    private static Tensor shape(Tensor x, long start, long end) {
        int r = x.rank();
        int s = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
        int e = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
        long[] dims = new long[Math.max(0, e - s)];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = x.dim(s + i);
        }
        return Tensor.longs(new int[] {dims.length}, dims);
    }

    private static Tensor gather(Tensor data, Tensor indices, int axis, Attributes a) {
        int[] s = data.shape();
        int ax = axis(axis, s.length, a);
        long[] idx = indices.longData();
        int[] is = indices.shape();
        int outer = 1;
        for (int d = 0; d < ax; d++) {
            outer *= s[d];
        }
        int inner = 1;
        for (int d = ax + 1; d < s.length; d++) {
            inner *= s[d];
        }
        int[] out = new int[s.length - 1 + is.length];
        System.arraycopy(s, 0, out, 0, ax);
        System.arraycopy(is, 0, out, ax, is.length);
        System.arraycopy(s, ax + 1, out, ax + is.length, s.length - ax - 1);
        int n = (int) Tensor.size(out);
        float[] f = data.isFloat() ? new float[n] : null;
        long[] l = data.isFloat() ? null : new long[n];
        int pos = 0;
        for (int o = 0; o < outer; o++) {
            for (long i : idx) {
                long k = i < 0 ? i + s[ax] : i;
                if (k < 0 || k >= s[ax]) {
                    throw a.error("index " + i + " is out of range for dimension " + s[ax]);
                }
                int src = (int) ((o * (long) s[ax] + k) * inner);
                if (f != null) {
                    System.arraycopy(data.floatData(), src, f, pos, inner);
                } else {
                    System.arraycopy(data.longData(), src, l, pos, inner);
                }
                pos += inner;
            }
        }
        return f != null ? Tensor.floats(out, f) : Tensor.longs(out, l);
    }

    private static Tensor unsqueeze(Tensor x, int[] axes, Attributes a) {
        if (axes == null) {
            throw a.error("axes are required");
        }
        int r = x.rank() + axes.length;
        boolean[] inserted = new boolean[r];
        for (int ax : axes) {
            inserted[axis(ax, r, a)] = true;
        }
        int[] out = new int[r];
        int j = 0;
        int[] s = x.shape();
        for (int i = 0; i < r; i++) {
            out[i] = inserted[i] ? 1 : s[j++];
        }
        return x.reshape(out);
    }

    private static Tensor squeeze(Tensor x, int[] axes) {
        int[] s = x.shape();
        boolean[] drop = new boolean[s.length];
        if (axes == null) {
            for (int i = 0; i < s.length; i++) {
                drop[i] = s[i] == 1;
            }
        } else {
            for (int ax : axes) {
                drop[ax < 0 ? ax + s.length : ax] = true;
            }
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < s.length; i++) {
            if (!drop[i]) {
                out.add(s[i]);
            }
        }
        return x.reshape(out.stream().mapToInt(Integer::intValue).toArray());
    }

    private static Op slice(Attributes a, int opset) {
        int[] attrStarts = a.getInts("starts", null);
        int[] attrEnds = a.getInts("ends", null);
        int[] attrAxes = a.getInts("axes", null);
        return in -> {
            long[] starts;
            long[] ends;
            long[] axes;
            long[] steps = null;
            if (opset >= 10) {
                starts = in[1].longData();
                ends = in[2].longData();
                axes = in.length > 3 && in[3] != null ? in[3].longData() : null;
                steps = in.length > 4 && in[4] != null ? in[4].longData() : null;
            } else {
                starts = Arrays.stream(attrStarts).asLongStream().toArray();
                ends = Arrays.stream(attrEnds).asLongStream().toArray();
                axes = attrAxes == null ? null : Arrays.stream(attrAxes).asLongStream().toArray();
            }
            return new Tensor[] {sliceTensor(in[0], starts, ends, axes, steps, a)};
        };
    }

    private static Tensor sliceTensor(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps, Attributes a) {
        int[] s = x.shape();
        int r = s.length;
        int[] begin = new int[r];
        int[] step = new int[r];
        int[] count = s.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = axes == null ? i : axis((int) axes[i], r, a);
            long st = steps == null ? 1 : steps[i];
            if (st == 0) {
                throw a.error("slice step 0");
            }
            long dim = s[ax];
            long b = starts[i] < 0 ? starts[i] + dim : starts[i];
            long e = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (st > 0) {
                b = Math.max(0, Math.min(dim, b));
                e = Math.max(0, Math.min(dim, e));
                count[ax] = (int) Math.max(0, (e - b + st - 1) / st);
            } else {
                b = Math.max(-1, Math.min(dim - 1, b));
                e = Math.max(-1, Math.min(dim - 1, e));
                count[ax] = (int) Math.max(0, (b - e + (-st) - 1) / (-st));
            }
            begin[ax] = (int) b;
            step[ax] = (int) st;
        }
        int n = (int) Tensor.size(count);
        int[] inStrides = Tensor.strides(s);
        int[] srcIndex = new int[n];
        int[] idx = new int[r];
        for (int e = 0; e < n; e++) {
            int off = 0;
            for (int d = 0; d < r; d++) {
                off += (begin[d] + idx[d] * step[d]) * inStrides[d];
            }
            srcIndex[e] = off;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < count[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return select(x, count, srcIndex);
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
