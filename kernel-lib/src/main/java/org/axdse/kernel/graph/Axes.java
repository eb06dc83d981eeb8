package org.axdse.kernel.graph;

/** Axis arguments shared by the operator families: negative axes count from the end, as in ONNX. */
final class Axes {
    private Axes() {
    }

    /**
     * @return {@code axis} in 0..rank-1 ({@code axis + rank} when negative)
     * @throws org.axdse.kernel.InvalidInputException naming the node when it is out of range
     */
    static int axis(int axis, int rank, OpAttributes a) {
        int r = axis < 0 ? axis + rank : axis;
        if (r < 0 || r >= rank) {
            throw a.error("axis " + axis + " is out of range for rank " + rank);
        }
        return r;
    }

    /** @return the values as ints, each clamped to the int range (ONNX uses INT64_MAX for "to the end") */
    static int[] toInts(long[] l) {
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            r[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l[i]));
        }
        return r;
    }
}
