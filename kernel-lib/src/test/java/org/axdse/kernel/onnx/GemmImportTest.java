package org.axdse.kernel.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.model.Step;
import org.junit.jupiter.api.Test;

/**
 * Gemm and MatMul become dense layers with weights {@code [out][in]}: {@code transB} decides how B is read,
 * {@code alpha} scales the weights, {@code beta} the bias, and a constant bias Add after a MatMul is folded in.
 * Evaluated in FP32 on small integers, so every value is exact.
 */
class GemmImportTest {
    /** Two images of three features. */
    private static final float[] X = {1f, 0f, -1f, 2f, 1f, 0f};
    /** The weights as [out = 2][in = 3]. */
    private static final float[] W = {1f, 2f, 3f, 4f, 5f, 6f};
    /** W transposed: [in = 3][out = 2]. */
    private static final float[] W_T = {1f, 4f, 2f, 5f, 3f, 6f};

    private static float[] fp32(byte[] model) {
        Network net = OnnxImporter.load(model, "gemm.onnx");
        return new ForwardPass(net, QuantConfig.DEFAULT, null).logits(X, 2, Assignment.uniform(null, net.layers().size()));
    }

    private static OnnxModelWriter writer() {
        return new OnnxModelWriter("g", "x", new int[] {3}, 13);
    }

    @Test
    void gemmWithTransBReadsBAsOutByIn() {
        OnnxModelWriter w = writer();
        w.initializer("B", Tensor.floats(new int[] {2, 3}, W));
        w.initializer("C", Tensor.floats(new int[] {2}, new float[] {0.5f, -1f}));
        w.node("Gemm", OnnxModelWriter.of("x", "B", "C"), "y", OnnxModelWriter.integer("transB", 1));
        byte[] model = w.build("y", 2, "");
        // Image 0: (1 - 3) + 0.5, (4 - 6) - 1; image 1: (2 + 2) + 0.5, (8 + 5) - 1.
        assertArrayEquals(new float[] {-1.5f, -3f, 4.5f, 12f}, fp32(model));
        ApproxLayer layer = OnnxImporter.load(model, "gemm.onnx").layers().get(0);
        assertEquals(ApproxLayer.Kind.DENSE, layer.kind());
        assertEquals(3, layer.geometry().inChannels());
        assertEquals(2, layer.geometry().outChannels());
        assertArrayEquals(W, layer.weights());
    }

    @Test
    void gemmWithoutTransBIsTransposedToTheSameLayer() {
        OnnxModelWriter w = writer();
        w.initializer("B", Tensor.floats(new int[] {3, 2}, W_T));
        w.initializer("C", Tensor.floats(new int[] {2}, new float[] {0.5f, -1f}));
        w.node("Gemm", OnnxModelWriter.of("x", "B", "C"), "y");
        byte[] model = w.build("y", 2, "");
        assertArrayEquals(new float[] {-1.5f, -3f, 4.5f, 12f}, fp32(model));
        assertArrayEquals(W, OnnxImporter.load(model, "gemm.onnx").layers().get(0).weights());
    }

    @Test
    void alphaScalesTheWeightsAndBetaTheBias() {
        OnnxModelWriter w = writer();
        w.initializer("B", Tensor.floats(new int[] {2, 3}, W));
        w.initializer("C", Tensor.floats(new int[] {1}, new float[] {1f})); // one bias for all outputs
        w.node("Gemm", OnnxModelWriter.of("x", "B", "C"), "y", OnnxModelWriter.integer("transB", 1),
                OnnxModelWriter.real("alpha", 2f), OnnxModelWriter.real("beta", 0.5f));
        // 2 * dot + 0.5 * 1.
        assertArrayEquals(new float[] {-3.5f, -3.5f, 8.5f, 26.5f}, fp32(w.build("y", 2, "")));
    }

    @Test
    void matMulPlusAConstantBiasIsOneDenseLayer() {
        OnnxModelWriter w = writer();
        w.initializer("B", Tensor.floats(new int[] {3, 2}, W_T));
        w.initializer("C", Tensor.floats(new int[] {2}, new float[] {0.5f, -1f}));
        w.node("MatMul", OnnxModelWriter.of("x", "B"), "xw");
        w.node("Add", OnnxModelWriter.of("xw", "C"), "y");
        byte[] model = w.build("y", 2, "");
        assertArrayEquals(new float[] {-1.5f, -3f, 4.5f, 12f}, fp32(model));
        Network net = OnnxImporter.load(model, "matmul.onnx");
        assertEquals(List.of("MatMul"), net.steps().stream().map(Step::opType).toList(), "the Add is folded");
        assertEquals("y", net.layers().get(0).output());
    }
}
