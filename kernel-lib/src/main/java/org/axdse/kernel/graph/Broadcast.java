package org.axdse.kernel.graph;

import org.axdse.kernel.InvalidInputException;

/**
 * The element-wise arithmetic operators Add, Sub, Mul, Div, Pow, Max and Min with NumPy-style multidirectional
 * broadcasting: float32 when either input is float (each result one float operation; Pow in double, rounded
 * once), else int64 (Div truncates towards zero, as C; division by zero is an error). Max and Min take one or
 * more inputs. Expand broadcasts one tensor to a shape; Equal compares (bool as int64 0/1) and Where selects
 * element-wise, as PyTorch exports {@code expand(n, -1, ...)}.
 */
final class Broadcast {
    enum Kind { ADD, SUB, MUL, DIV, POW, MAX, MIN }

    private Broadcast() {
    }

    /** @return the operator {@code kind} of inputs 0 and 1 */
    static Op op(Kind kind, OpAttributes a) {
        String where = a.where();
        return in -> new Tensor[] {apply(kind, in[0], in[1], where)};
    }

    /** @return the operator {@code kind} folded over all inputs, left to right (Max, Min: one or more inputs) */
    static Op variadic(Kind kind, OpAttributes a) {
        String where = a.where();
        return in -> {
            Tensor r = in[0];
            for (int i = 1; i < in.length; i++) {
                r = apply(kind, r, in[i], where);
            }
            return new Tensor[] {r};
        };
    }

    /** Input 0 broadcast with the shape in input 1 (the result may have more dimensions than either). */
    static Op expand(OpAttributes a, int opset) {
        String where = a.where();
        return in -> {
            Tensor x = in[0];
            int[] out = shape(x.shape(), Axes.toInts(in[1].longData()), where);
            int[] map = indexMap(x.shape(), out);
            if (x.isFloat()) {
                float[] v = x.floatData();
                float[] r = new float[map.length];
                for (int i = 0; i < r.length; i++) {
                    r[i] = v[map[i]];
                }
                return new Tensor[] {Tensor.floats(out, r)};
            }
            long[] v = x.longData();
            long[] r = new long[map.length];
            for (int i = 0; i < r.length; i++) {
                r[i] = v[map[i]];
            }
            return new Tensor[] {Tensor.longs(out, r)};
        };
    }

    /** 1 where inputs 0 and 1 are equal, else 0 (ONNX bool, held as int64). */
    static Op equal(OpAttributes a, int opset) {
        String where = a.where();
        return in -> {
            int[] out = shape(in[0].shape(), in[1].shape(), where);
            int[] ma = indexMap(in[0].shape(), out);
            int[] mb = indexMap(in[1].shape(), out);
            long[] r = new long[ma.length];
            if (in[0].isFloat() || in[1].isFloat()) {
                float[] u = in[0].floatData();
                float[] v = in[1].floatData();
                for (int i = 0; i < r.length; i++) {
                    r[i] = u[ma[i]] == v[mb[i]] ? 1 : 0;
                }
            } else {
                long[] u = in[0].longData();
                long[] v = in[1].longData();
                for (int i = 0; i < r.length; i++) {
                    r[i] = u[ma[i]] == v[mb[i]] ? 1 : 0;
                }
            }
            return new Tensor[] {Tensor.longs(out, r)};
        };
    }

    /** Input 1 where the condition (input 0) is non-zero, else input 2; float unless both are int64. */
    static Op select(OpAttributes a, int opset) {
        String where = a.where();
        return in -> {
            Tensor c = in[0];
            Tensor x = in[1];
            Tensor y = in[2];
            int[] out = shape(shape(c.shape(), x.shape(), where), y.shape(), where);
            int[] mc = indexMap(c.shape(), out);
            int[] mx = indexMap(x.shape(), out);
            int[] my = indexMap(y.shape(), out);
            long[] cond = c.longData();
            if (x.isFloat() || y.isFloat()) {
                float[] r = new float[mc.length];
                float[] u = x.floatData();
                float[] v = y.floatData();
                for (int i = 0; i < r.length; i++) {
                    r[i] = cond[mc[i]] != 0 ? u[mx[i]] : v[my[i]];
                }
                return new Tensor[] {Tensor.floats(out, r)};
            }
            long[] r = new long[mc.length];
            long[] u = x.longData();
            long[] v = y.longData();
            for (int i = 0; i < r.length; i++) {
                r[i] = cond[mc[i]] != 0 ? u[mx[i]] : v[my[i]];
            }
            return new Tensor[] {Tensor.longs(out, r)};
        };
    }

    static int[] shape(int[] a, int[] b, String where) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new InvalidInputException(where + ": shapes " + java.util.Arrays.toString(a) + " and "
                        + java.util.Arrays.toString(b) + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    /** Index maps: for each output element, the element of {@code in} (broadcast to {@code out}). */
    private static int[] indexMap(int[] in, int[] out) {
        int n = (int) Tensor.size(out);
        int[] map = new int[n];
        int rank = out.length;
        int[] inStrides = Tensor.strides(in);
        int[] padStrides = new int[rank];
        for (int i = 0; i < rank; i++) {
            int j = i - (rank - in.length);
            padStrides[i] = j < 0 || in[j] == 1 ? 0 : inStrides[j];
        }
        int[] idx = new int[rank];
        for (int e = 0; e < n; e++) {
            int off = 0;
            for (int d = 0; d < rank; d++) {
                off += idx[d] * padStrides[d];
            }
            map[e] = off;
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < out[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return map;
    }

    static Tensor apply(Kind kind, Tensor a, Tensor b, String where) {
        int[] out = shape(a.shape(), b.shape(), where);
        int n = (int) Tensor.size(out);
        boolean sameA = java.util.Arrays.equals(a.shape(), out);
        boolean sameB = java.util.Arrays.equals(b.shape(), out);
        int[] ma = sameA ? null : indexMap(a.shape(), out);
        int[] mb = sameB ? null : indexMap(b.shape(), out);
        if (a.isFloat() || b.isFloat()) {
            float[] x = a.floatData();
            float[] y = b.floatData();
            float[] r = new float[n];
            for (int i = 0; i < n; i++) {
                float u = x[ma == null ? i : ma[i]];
                float v = y[mb == null ? i : mb[i]];
                r[i] = switch (kind) {
                    case ADD -> u + v;
                    case SUB -> u - v;
                    case MUL -> u * v;
                    case DIV -> u / v;
                    case POW -> (float) Math.pow(u, v);
                    case MAX -> Math.max(u, v);
                    case MIN -> Math.min(u, v);
                };
            }
            return Tensor.floats(out, r);
        }
        long[] x = a.longData();
        long[] y = b.longData();
        long[] r = new long[n];
        for (int i = 0; i < n; i++) {
            long u = x[ma == null ? i : ma[i]];
            long v = y[mb == null ? i : mb[i]];
            r[i] = switch (kind) {
                case ADD -> u + v;
                case SUB -> u - v;
                case MUL -> u * v;
                case DIV -> {
                    if (v == 0) {
                        throw new InvalidInputException(where + ": integer division by zero");
                    }
                    yield u / v; // C-style truncation, as ONNX integer Div
                }
                case POW -> (long) Math.pow(u, v);
                case MAX -> Math.max(u, v);
                case MIN -> Math.min(u, v);
            };
        }
        return Tensor.longs(out, r);
    }
}
