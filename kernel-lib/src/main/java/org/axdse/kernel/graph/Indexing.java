package org.axdse.kernel.graph;

import java.util.Arrays;

/**
 * Operators that select and reorder elements without arithmetic, on float or int64 tensors: Gather, Slice, Split
 * and Transpose. Each output element is a copy of one input element.
 */
final class Indexing {
    private Indexing() {
    }

    /** Takes the slices at the indices of input 1 along {@code axis} (default 0); negative indices count back. */
    static Op gather(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", 0);
        return in -> new Tensor[] {gather(in[0], in[1], axis, a)};
    }

    /** Permutes the axes by {@code perm} (default: reversed). */
    static Op transpose(OpAttributes a, int opset) {
        int[] perm = a.getInts("perm", null);
        return in -> new Tensor[] {transpose(in[0], perm, a)};
    }

    /**
     * NumPy-style slicing by starts, ends, axes and steps (attributes before opset 10, inputs 1..4 since);
     * bounds are clamped like Python's, steps may be negative.
     */
    static Op slice(OpAttributes a, int opset) {
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

    /**
     * Cuts input 0 along {@code axis} (default 0) into the node's outputs: of the sizes in {@code split} (attribute
     * before opset 13, optional input 1 since), or, without it, equal parts (the last one smaller when the size
     * does not divide, as opset 18's {@code num_outputs}).
     */
    static Op split(OpAttributes a, int opset) {
        int axis = (int) a.getInt("axis", 0);
        int[] attrSplit = a.getInts("split", null);
        int parts = a.outputCount();
        return in -> {
            Tensor x = in[0];
            int ax = Axes.axis(axis, x.rank(), a);
            int len = x.dim(ax);
            long[] sizes;
            if (opset >= 13 ? in.length > 1 && in[1] != null : attrSplit != null) {
                sizes = opset >= 13 ? in[1].longData() : Arrays.stream(attrSplit).asLongStream().toArray();
            } else {
                long each = (len + parts - 1) / parts;
                sizes = new long[parts];
                for (int i = 0; i < parts; i++) {
                    sizes[i] = Math.max(0, Math.min(each, len - i * each));
                }
            }
            if (sizes.length != parts || Arrays.stream(sizes).sum() != len || Arrays.stream(sizes).anyMatch(v -> v < 0)) {
                throw a.error("split sizes " + Arrays.toString(sizes) + " do not cut axis " + ax + " of " + x + " into "
                        + parts + " outputs");
            }
            Tensor[] out = new Tensor[parts];
            long start = 0;
            for (int i = 0; i < parts; i++) {
                out[i] = sliceTensor(x, new long[] {start}, new long[] {start + sizes[i]}, new long[] {ax}, null, a);
                start += sizes[i];
            }
            return out;
        };
    }

    private static Tensor transpose(Tensor x, int[] permAttr, OpAttributes a) {
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

    private static Tensor gather(Tensor data, Tensor indices, int axis, OpAttributes a) {
        int[] s = data.shape();
        int ax = Axes.axis(axis, s.length, a);
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

    private static Tensor sliceTensor(Tensor x, long[] starts, long[] ends, long[] axes, long[] steps, OpAttributes a) {
        int[] s = x.shape();
        int r = s.length;
        int[] begin = new int[r];
        int[] step = new int[r];
        int[] count = s.clone();
        Arrays.fill(step, 1);
        for (int i = 0; i < starts.length; i++) {
            int ax = axes == null ? i : Axes.axis((int) axes[i], r, a);
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
}
