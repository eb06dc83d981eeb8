package org.axdse.kernel.model;

import java.util.Arrays;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.Tensor;

/**
 * An approximable layer of a network: an ONNX Conv, Gemm or MatMul node, numbered in graph order, whose
 * multiplications a multiplier assignment replaces. A dense layer may read {@code [N, ..., K]}: it multiplies each of
 * its {@link #rows()} rows per image by the same weights. Weights are {@code [outChannels][taps]} FP32 with any
 * following BatchNormalization (Conv/Gemm) or bias Add (MatMul) already folded in.
 */
public final class ApproxLayer {
    /** What the layer computes. */
    public enum Kind {
        /** 2-D convolution over NCHW. */
        CONV2D,
        /**
         * Dense (matrix) product over the last axis: {@code [N, ..., K] x [K, M] -> [N, ..., M]}, the same weights for
         * every row (an {@code nn.Linear} on {@code [N, K]}, {@code [N, C, L]} or an NHWC tensor).
         */
        DENSE
    }

    private final int index;
    private final String name;
    private final String opType;
    private final Kind kind;
    private final Conv2dGeometry geometry;
    private final float[] weights;
    private final float[] bias;
    private final int[] inputShape;
    private final String input;
    private final String output;

    /**
     * Built by an importer ({@code org.axdse.kernel.onnx.OnnxImporter}); arrays are not copied.
     *
     * @param index      position among the network's approximable layers, from 0
     * @param name       the node's name
     * @param opType     the ONNX op type: Conv, Gemm or MatMul
     * @param kind       conv2d or dense
     * @param geometry   the geometry (dense layers: {@link Conv2dGeometry#dense})
     * @param weights    {@code [outChannels][taps]}, folding done
     * @param bias       per output channel, folding done
     * @param inputShape input shape per image
     * @param input      the value the layer reads
     * @param output     the value the layer writes
     */
    public ApproxLayer(int index, String name, String opType, Kind kind, Conv2dGeometry geometry, float[] weights, float[] bias,
                       int[] inputShape, String input, String output) {
        this.index = index;
        this.name = name;
        this.opType = opType;
        this.kind = kind;
        this.geometry = geometry;
        this.weights = weights;
        this.bias = bias;
        this.inputShape = inputShape;
        this.input = input;
        this.output = output;
    }

    /** @return position among the approximable layers, from 0 */
    public int index() {
        return index;
    }

    /** @return the ONNX node name (or a generated one, {@code <OpType>_<node index>}) */
    public String name() {
        return name;
    }

    /** @return the ONNX op type: Conv, Gemm or MatMul */
    public String opType() {
        return opType;
    }

    /** @return conv2d or dense */
    public Kind kind() {
        return kind;
    }

    /** @return the geometry (dense layers: {@link Conv2dGeometry#dense}) */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /** @return weights {@code [outChannels][taps]} (not copied; do not modify) */
    public float[] weights() {
        return weights;
    }

    /** @return per-output bias (not copied; do not modify) */
    public float[] bias() {
        return bias;
    }

    /** @return multiply-accumulates per image (a dense layer's per row times its {@link #rows()}) */
    public long macsPerImage() {
        return rows() * geometry.macsPerImage();
    }

    /**
     * @return rows per image that a dense layer multiplies by its weights: the product of its input shape's leading
     *     dimensions (1 for a {@code [N, K]} input); 1 for a convolution
     */
    public int rows() {
        if (kind == Kind.CONV2D) {
            return 1;
        }
        int r = 1;
        for (int i = 0; i < inputShape.length - 1; i++) {
            r *= inputShape[i];
        }
        return r;
    }

    /** @return input shape per image (C, H, W for convolutions; ..., K for dense layers) */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** @return output shape per image (a dense layer's input shape with M for its last dimension) */
    public int[] outputShape() {
        if (kind == Kind.CONV2D) {
            return new int[] {geometry.outChannels(), geometry.outHeight(), geometry.outWidth()};
        }
        int[] s = inputShape.clone();
        s[s.length - 1] = geometry.outChannels();
        return s;
    }

    /**
     * @param x a batch of the layer's input
     * @return the batch's output shape
     * @throws InvalidInputException when {@code x} is not {@code [batch, inputShape...]}
     */
    public int[] outputShape(Tensor x) {
        int[] s = x.shape();
        if (s.length != inputShape.length + 1 || !Arrays.equals(Arrays.copyOfRange(s, 1, s.length), inputShape)) {
            int[] expected = new int[inputShape.length + 1];
            expected[0] = s.length > 0 ? s[0] : 1;
            System.arraycopy(inputShape, 0, expected, 1, inputShape.length);
            throw new InvalidInputException(name + ": expected a " + Arrays.toString(expected) + " input, got " + x);
        }
        int[] out = outputShape();
        int[] withBatch = new int[out.length + 1];
        withBatch[0] = s[0];
        System.arraycopy(out, 0, withBatch, 1, out.length);
        return withBatch;
    }

    /** @return the name of the value the layer reads */
    public String input() {
        return input;
    }

    /** @return the name of the value the layer writes (after folding, the folded node's output) */
    public String output() {
        return output;
    }

    /** @return "conv2d" or "dense" */
    public String op() {
        return kind == Kind.CONV2D ? "conv2d" : "dense";
    }

    @Override
    public String toString() {
        return "#" + index + " " + name + " (" + opType + ", " + op() + " " + Arrays.toString(inputShape) + " -> "
                + Arrays.toString(outputShape()) + ", " + macsPerImage() + " MACs)";
    }
}
