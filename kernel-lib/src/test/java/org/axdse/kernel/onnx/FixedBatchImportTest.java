package org.axdse.kernel.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.junit.jupiter.api.Test;

/**
 * Exports without a dynamic batch axis (issue 17): {@code x.view(x.size(0), -1)} exported with a batch-1 example
 * becomes a Reshape to the constant {@code [1, -1]}; the importer reads its leading 1 as the batch axis, notes it,
 * and the network runs on any batch. Where a fixed batch cannot be generalised, the network runs only on that batch
 * and any other batch is refused with what to do.
 */
class FixedBatchImportTest {
    private static final float[] CONV = {1f, 0.5f, -1f, 2f};

    /** x [B, 2, 3, 3] -> Conv 1x1 (2 -> 2) -> Reshape(each constant shape in turn) -> Gemm (18 -> 2). */
    private static byte[] model(int fixedBatch, long[]... shapes) throws Exception {
        OnnxModelWriter w = new OnnxModelWriter("f", "x", new int[] {2, 3, 3}, 13);
        w.initializer("W", Tensor.floats(new int[] {2, 2, 1, 1}, CONV));
        float[] b = new float[18 * 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (i % 7 - 3) / 4f;
        }
        w.initializer("B", Tensor.floats(new int[] {18, 2}, b));
        String v = w.node("Conv", OnnxModelWriter.of("x", "W"), "c");
        for (int i = 0; i < shapes.length; i++) {
            String s = w.initializer("shape" + i, Tensor.longs(new int[] {shapes[i].length}, shapes[i]));
            v = w.node("Reshape", OnnxModelWriter.of(v, s), "r" + i);
        }
        w.node("Gemm", OnnxModelWriter.of(v, "B"), "y");
        byte[] bytes = w.build("y", 2, "");
        if (fixedBatch == 0) {
            return bytes;
        }
        Onnx.ModelProto.Builder m = Onnx.ModelProto.parseFrom(bytes).toBuilder();
        m.getGraphBuilder().getInputBuilder(0).getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .setDim(0, Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(fixedBatch));
        return m.build().toByteArray();
    }

    private static float[] images(int n) {
        float[] x = new float[n * 18];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.37);
        }
        return x;
    }

    private static float[] fp32(Network net, int batch) {
        return new ForwardPass(net, QuantConfig.DEFAULT, null).logits(images(batch), batch,
                Assignment.uniform(null, net.layers().size()));
    }

    @Test
    void aConstantLeadingBatchOfAFixedBatchExportIsReadAsTheBatchAxis() throws Exception {
        Network fixed = OnnxImporter.load(model(1, new long[] {1, -1}), "fixed.onnx");
        Network dynamic = OnnxImporter.load(model(0, new long[] {-1, 18}), "dynamic.onnx");
        assertEquals(0, fixed.fixedBatch());
        assertEquals(List.of("fixed.onnx: node reshape_1 (Reshape, opset 13): the constant shape [1, -1] starts with the"
                + " input's fixed batch 1; read as the batch axis (export with a dynamic batch axis to avoid this)"), fixed.importNotes());
        assertArrayEquals(fp32(dynamic, 5), fp32(fixed, 5));
        assertEquals(List.of(), dynamic.importNotes());
    }

    @Test
    void aDynamicBatchAxisLeavesAConstantShapeAlone() throws Exception {
        // Declared dynamic: [1, -1] means one row, as written (and fails on other batches like onnxruntime would).
        Network net = OnnxImporter.load(model(0, new long[] {1, -1}), "dynamic.onnx");
        assertEquals(List.of(), net.importNotes());
        assertEquals(0, net.fixedBatch());
    }

    @Test
    void aFixedBatchThatCannotBeGeneralisedRunsOnlyOnThatBatchAndSaysWhatToDo() throws Exception {
        // [9, -1] does not start with the batch: at batch 2 the second Reshape gives the Gemm a [1, 36] input.
        Network net = OnnxImporter.load(model(1, new long[] {9, -1}, new long[] {1, -1}), "moved.onnx");
        assertEquals(1, net.fixedBatch());
        assertEquals(2, fp32(net, 1).length, "batch 1 still runs");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> fp32(net, 256));
        assertTrue(e.getMessage().startsWith("moved.onnx: the model runs only on batches of 1, got 256 (exported with a fixed"
                + " batch of 1 (dimension 0 of input x) and fails on other batch sizes: at batch 2, "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; re-export with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={'x':"
                + " {0: 'batch'}, 'y': {0: 'batch'}})) or evaluate with --batch 1)"), e.getMessage());
    }

    @Test
    void anUnsupportedOperatorIsRefusedAtImportNamingTheNodeTheOpAndTheOpset() {
        OnnxModelWriter w = new OnnxModelWriter("f", "x", new int[] {2, 3, 3}, 17);
        w.initializer("W", Tensor.floats(new int[] {2, 2, 1, 1}, CONV));
        w.node("Conv", OnnxModelWriter.of("x", "W"), "c");
        w.node("GridSample", OnnxModelWriter.of("c", "c"), "y");
        byte[] bytes = w.build("y", 2, "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> OnnxImporter.load(bytes, "g.onnx"));
        assertTrue(e.getMessage().startsWith("g.onnx: node gridsample_1 (GridSample, opset 17): unsupported operator GridSample"
                + " (opset 17); AxDSE supports Conv, Gemm, MatMul and Relu, "), e.getMessage());
    }
}
