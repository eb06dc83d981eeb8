package org.axdse.kernel.onnx;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.model.ApproxLayer;

/**
 * An approximable layer while the graph is imported: folding a following BatchNormalization or bias Add
 * changes its weights and bias (in place) and the value it writes. {@link #layer()} is the immutable
 * {@link ApproxLayer} with the current state, sharing the arrays.
 */
final class LayerDraft {
    final int index;
    final String name;
    final String opType;
    final ApproxLayer.Kind kind;
    final Conv2dGeometry geometry;
    final float[] weights;
    final float[] bias;
    final int[] inputShape;
    final String input;
    String output;

    LayerDraft(int index, String name, String opType, ApproxLayer.Kind kind, Conv2dGeometry geometry, float[] weights,
               float[] bias, int[] inputShape, String input, String output) {
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

    ApproxLayer layer() {
        return new ApproxLayer(index, name, opType, kind, geometry, weights, bias, inputShape, input, output);
    }
}
