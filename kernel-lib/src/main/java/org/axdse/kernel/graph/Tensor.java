package org.axdse.kernel.graph;

import java.util.Arrays;

import org.axdse.kernel.InvalidInputException;

/**
 * An N-dimensional row-major tensor of float32 values (activations, weights) or int64 values (shapes,
 * indices, as ONNX shape subgraphs produce them). Treated as immutable once built: operators allocate
 * their outputs, so a value can be shared by several consumers and by prefix-reuse snapshots.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] floats;
    private final long[] longs;

    private Tensor(int[] shape, float[] floats, long[] longs) {
        this.shape = shape;
        this.floats = floats;
        this.longs = longs;
        long n = size(shape);
        int len = floats != null ? floats.length : longs.length;
        if (n != len) {
            throw new InvalidInputException("tensor of shape " + Arrays.toString(shape) + " needs " + n + " values, got " + len);
        }
    }

    /**
     * @param shape dimensions
     * @param data  values, row-major; not copied
     * @return a float tensor
     */
    public static Tensor floats(int[] shape, float[] data) {
        return new Tensor(shape.clone(), data, null);
    }

    /**
     * @param shape dimensions
     * @param data  values, row-major; not copied
     * @return an int64 tensor
     */
    public static Tensor longs(int[] shape, long[] data) {
        return new Tensor(shape.clone(), null, data);
    }

    /** @return product of the dimensions */
    public static long size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** @return the dimensions (a copy) */
    public int[] shape() {
        return shape.clone();
    }

    /** @return number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis a dimension index (negative counts from the end)
     * @return its size
     */
    public int dim(int axis) {
        return shape[axis < 0 ? axis + shape.length : axis];
    }

    /** @return number of elements */
    public int size() {
        return floats != null ? floats.length : longs.length;
    }

    /** @return whether the values are float32 */
    public boolean isFloat() {
        return floats != null;
    }

    /** @return the float values (not copied; do not modify) */
    public float[] floatData() {
        if (floats == null) {
            return toFloats();
        }
        return floats;
    }

    /** @return the int64 values (not copied; do not modify), converting floats by truncation */
    public long[] longData() {
        if (longs != null) {
            return longs;
        }
        long[] l = new long[floats.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (long) floats[i];
        }
        return l;
    }

    private float[] toFloats() {
        float[] f = new float[longs.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = longs[i];
        }
        return f;
    }

    /**
     * @param newShape dimensions with the same element count
     * @return the same values under another shape
     */
    public Tensor reshape(int[] newShape) {
        return floats != null ? floats(newShape, floats) : longs(newShape, longs);
    }

    /** @return strides of a row-major layout of {@code shape} */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return (floats != null ? "float" : "int64") + Arrays.toString(shape);
    }
}
