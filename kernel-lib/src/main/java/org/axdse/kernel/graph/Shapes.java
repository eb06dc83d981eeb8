package org.axdse.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Operators that change only a tensor's shape, never its values or their order: Flatten, Reshape, Unsqueeze,
 * Squeeze (the result shares the input's values), and Shape (the dimensions as an int64 vector).
 */
final class Shapes {
    private Shapes() {
    }

    /** {@code [d0 * ... * d(axis-1), rest]}; {@code axis} (default 1) may equal the rank. */
    static Op flatten(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", 1);
        return in -> new Tensor[] {flatten(in[0], axis, a)};
    }

    /**
     * To the shape in input 1: at most one -1 (inferred), 0 copies the input's dimension unless
     * {@code allowzero=1}.
     */
    static Op reshape(OpAttributes a, int opset) {
        boolean allowZero = a.getInt("allowzero", 0) != 0;
        return in -> new Tensor[] {reshape(in[0], in[1].longData(), allowZero, a)};
    }

    /**
     * Reshape whose constant shape was written for a fixed batch (an export without a dynamic batch axis): its first
     * value is replaced, at each run, by the input's leading dimension, the batch.
     */
    static Op batchReshape(OpAttributes a, int opset) {
        boolean allowZero = a.getInt("allowzero", 0) != 0;
        return in -> {
            long[] spec = in[1].longData().clone();
            spec[0] = in[0].dim(0);
            return new Tensor[] {reshape(in[0], spec, allowZero, a)};
        };
    }

    /** The dimensions from {@code start} (default 0) to {@code end} (default the rank), clamped, as int64. */
    static Op shape(OpAttributes a, int opset) {
        long start = a.getInt("start", 0);
        long end = a.getInt("end", Long.MAX_VALUE);
        return in -> new Tensor[] {shape(in[0], start, end)};
    }

    /** Inserts size-1 dimensions at the axes of the output (attribute before opset 13, input 1 since). */
    static Op unsqueeze(OpAttributes a, int opset) {
        int[] attrAxes = a.getInts("axes", null);
        return in -> new Tensor[] {unsqueeze(in[0], opset >= 13 ? Axes.toInts(in[1].longData()) : attrAxes, a)};
    }

    /** Removes the given axes (attribute before opset 13, optional input 1 since), or every size-1 axis. */
    static Op squeeze(OpAttributes a, int opset) {
        int[] attrAxes = a.getInts("axes", null);
        return in -> new Tensor[] {squeeze(in[0], opset >= 13 ? (in.length > 1 && in[1] != null ? Axes.toInts(in[1].longData()) : null)
                : attrAxes)};
    }

    private static Tensor flatten(Tensor x, int axis, OpAttributes a) {
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

    private static Tensor reshape(Tensor x, long[] spec, boolean allowZero, OpAttributes a) {
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

    private static Tensor unsqueeze(Tensor x, int[] axes, OpAttributes a) {
        if (axes == null) {
            throw a.error("axes are required");
        }
        int r = x.rank() + axes.length;
        boolean[] inserted = new boolean[r];
        for (int ax : axes) {
            inserted[Axes.axis(ax, r, a)] = true;
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
}
