package org.axdse.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The operators whose output holds every element of their inputs and more room: Concat (inputs joined along an
 * axis; float or int64) and Pad (one float input surrounded by a constant, or cropped). No arithmetic: each
 * output element is a copy of an input element or the pad value.
 */
final class ConcatPad {
    private ConcatPad() {
    }

    /** Joins the inputs (omitted ones skipped) along the required {@code axis}; int64 unless any input is float. */
    static Op concat(OpAttributes a, int opset) {
        if (!a.has("axis")) {
            throw a.error("attribute axis is required");
        }
        int axis = (int) a.getInt("axis", 0);
        return in -> new Tensor[] {concat(in, axis, a)};
    }

    /**
     * Constant padding by {@code [begin_0, ..., begin_(r-1), end_0, ..., end_(r-1)]} (negative values crop): pads and
     * value from attributes before opset 11, from inputs 1 and 2 since; other modes and the axes input are refused.
     */
    static Op pad(OpAttributes a, int opset) {
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

    private static Tensor concat(Tensor[] in, int axis, OpAttributes a) {
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : in) {
            if (t != null) {
                parts.add(t);
            }
        }
        int[] shape = parts.get(0).shape();
        int ax = Axes.axis(axis, shape.length, a);
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

    private static Tensor padConstant(Tensor x, long[] pads, float value, OpAttributes a) {
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
}
