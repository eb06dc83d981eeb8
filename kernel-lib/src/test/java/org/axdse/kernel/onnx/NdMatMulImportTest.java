package org.axdse.kernel.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.junit.jupiter.api.Test;

/**
 * MatMul of an N-D activation by constant weights ({@code nn.Linear} on {@code [N, C, L]} or NHWC tensors, issue 17):
 * a dense layer over the last axis, the same weights for every row, its MACs counted per row, approximable like any
 * dense layer.
 */
class NdMatMulImportTest {
    /** [[1, 0], [0, 1], [1, 1]]: feature 0, feature 1, their sum. */
    private static final float[] W = {1f, 0f, 1f, 0f, 1f, 1f};

    /** x [N, 2, 3, 2] -> MatMul [2, 3] -> Add bias [3] -> Flatten -> y [N, 18]. */
    private static Network network() {
        OnnxModelWriter w = new OnnxModelWriter("nd", "x", new int[] {2, 3, 2}, 13);
        w.initializer("W", Tensor.floats(new int[] {2, 3}, W));
        w.initializer("b", Tensor.floats(new int[] {3}, new float[] {0f, 0f, 0.5f}));
        w.node("MatMul", OnnxModelWriter.of("x", "W"), "m");
        w.node("Add", OnnxModelWriter.of("m", "b"), "a");
        w.node("Flatten", OnnxModelWriter.of("a"), "y");
        return OnnxImporter.load(w.build("y", 18, ""), "nd.onnx");
    }

    private static float[] images(int n) {
        float[] x = new float[n * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i * 5 % 11 - 5) / 4f;
        }
        return x;
    }

    @Test
    void aMatMulOverLeadingDimensionsIsOneDenseLayerWithMacsPerRow() {
        Network net = network();
        ApproxLayer layer = net.layers().get(0);
        assertEquals(ApproxLayer.Kind.DENSE, layer.kind());
        assertEquals(6, layer.rows());
        assertArrayEquals(new int[] {2, 3, 2}, layer.inputShape());
        assertArrayEquals(new int[] {2, 3, 3}, layer.outputShape());
        assertEquals(6L * 2 * 3, layer.macsPerImage());
        assertEquals("a", layer.output(), "the bias Add is folded in");
        float[] x = images(3);
        float[] y = new ForwardPass(net, QuantConfig.DEFAULT, null).logits(x, 3, Assignment.uniform(null, 1));
        for (int row = 0; row < 3 * 6; row++) {
            float u = x[2 * row];
            float v = x[2 * row + 1];
            assertArrayEquals(new float[] {u, v, u + v + 0.5f}, new float[] {y[3 * row], y[3 * row + 1], y[3 * row + 2]}, 1e-6f);
        }
    }

    @Test
    void itIsApproximableWithTheExactTableWithinQuantizationError() {
        Network net = network();
        float[] x = images(4);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 4, 4);
        for (Signedness s : Signedness.values()) {
            float[] fp32 = new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 4, Assignment.uniform(null, 1));
            float[] q = new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 4, Assignment.uniform(MultiplierTable.exact(s), 1));
            // Inputs in [-1.25, 1.25] at 8 bits (step <= 0.01), weights 0 and 1 exact: each output within two steps.
            assertArrayEquals(fp32, q, 0.03f, s.toString());
        }
    }
}
