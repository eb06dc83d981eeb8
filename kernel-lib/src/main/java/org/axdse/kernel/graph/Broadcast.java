package org.axdse.kernel.graph;

import org.axdse.kernel.InvalidInputException;

/**
 * The element-wise binary arithmetic operators Add, Sub, Mul and Div with NumPy-style multidirectional
 * broadcasting: float32 when either input is float (each result one float operation), else int64 (Div truncates
 * towards zero, as C; division by zero is an error).
 */
final class Broadcast {
    enum Kind { ADD, SUB, MUL, DIV }

    private Broadcast() {
    }

    /** @return the operator {@code kind} of inputs 0 and 1 */
    static Op op(Kind kind, OpAttributes a) {
        String where = a.where();
        return in -> new Tensor[] {apply(kind, in[0], in[1], where)};
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
            };
        }
        return Tensor.longs(out, r);
    }
}
