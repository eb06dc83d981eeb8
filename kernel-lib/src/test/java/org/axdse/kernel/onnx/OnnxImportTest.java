package org.axdse.kernel.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.OnnxFixtures;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real exports (torch.onnx.export, PyTorch 1.13, opsets 11-17) and hand-made graphs (tf2onnx style,
 * unfused BatchNormalization, Gemm with alpha/beta/transB=0), made by
 * src/test/resources/onnx/make_fixtures.py, evaluated in FP32 against the outputs PyTorch computed.
 */
class OnnxImportTest {
    /** |AxDSE - PyTorch| <= this x max |PyTorch output| + 1e-6: both are float32 with other summation orders. */
    static final double FP32_RELATIVE_TOLERANCE = 2e-5;

    record Fixture(String name, int opset, int[] inputShape, int[] outputShape, String ops) {
        @Override
        public String toString() {
            return name + " (opset " + opset + ")";
        }
    }

    static List<Fixture> fixtures() throws IOException {
        List<Fixture> list = new ArrayList<>();
        List<String> lines = new String(resource("fixtures.csv")).lines().toList();
        for (String l : lines.subList(1, lines.size())) {
            String[] c = l.split(",");
            list.add(new Fixture(c[0], Integer.parseInt(c[1]), dims(c[2]), dims(c[3]), c[4]));
        }
        return list;
    }

    private static int[] dims(String s) {
        return Arrays.stream(s.split("x")).mapToInt(Integer::parseInt).toArray();
    }

    private static byte[] resource(String name) throws IOException {
        return OnnxFixtures.resource(name);
    }

    private static float[] floats(String name) throws IOException {
        return OnnxFixtures.floats(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fp32OutputsEqualPyTorch(Fixture f) throws IOException {
        Network net = OnnxImporter.load(resource(f.name() + ".onnx"), f.name() + ".onnx");
        assertEquals(f.opset(), net.opset());
        assertTrue(Arrays.equals(Arrays.copyOfRange(f.inputShape(), 1, f.inputShape().length), net.inputShape()));
        float[] expected = floats(f.name() + ".output.bin");
        float[] actual = new ForwardPass(net, QuantConfig.DEFAULT, null)
                .logits(floats(f.name() + ".input.bin"), f.inputShape()[0], Assignment.uniform(null, net.layers().size()));
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], FP32_RELATIVE_TOLERANCE * scale + 1e-6, f + " output " + i);
        }
    }

    @Test
    void layersAreNumberedInGraphOrderWithShapesAndMacs() throws IOException {
        Network net = OnnxImporter.load(resource("residual.onnx"), "residual.onnx");
        List<ApproxLayer> layers = net.layers();
        assertEquals(List.of("/c1/Conv", "/c2/Conv", "/skip/Conv", "/fc/Gemm"), layers.stream().map(ApproxLayer::name).toList());
        assertEquals(8L * 8 * 8 * 3 * 9, layers.get(0).macsPerImage());
        assertEquals(8L * 8 * 8 * 8 * 9, layers.get(1).macsPerImage());
        assertEquals(2, layers.get(1).geometry().dilationH());
        assertEquals(8L * 4, layers.get(3).macsPerImage());
        assertTrue(Arrays.equals(new int[] {8, 8, 8}, layers.get(1).outputShape()));
        assertEquals(4, net.outputSize());
    }

    @Test
    void batchNormalizationAfterConvIsFoldedAndMatMulBiasToo() throws IOException {
        Network unfused = OnnxImporter.load(resource("conv_bn_unfused.onnx"), "conv_bn_unfused.onnx");
        assertEquals(List.of("Conv", "Gemm"), unfused.layers().stream().map(ApproxLayer::opType).toList());
        assertTrue(unfused.steps().stream().noneMatch(s -> s.opType().equals("BatchNormalization")), "BN folded");
        Network standalone = OnnxImporter.load(resource("standalone_bn.onnx"), "standalone_bn.onnx");
        assertTrue(standalone.steps().stream().anyMatch(s -> s.opType().equals("BatchNormalization")), "BN after ReLU evaluated");
        Network matmul = OnnxImporter.load(resource("depthwise_pad_concat.onnx"), "depthwise_pad_concat.onnx");
        ApproxLayer dense = matmul.layers().get(matmul.layers().size() - 1);
        assertEquals("MatMul", dense.opType());
        assertEquals("output", dense.output(), "the bias Add is folded into the MatMul layer");
        assertEquals(4, matmul.layers().get(0).geometry().groups(), "depthwise");
    }

    @Test
    void badModelsGetClearErrors() throws IOException {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> OnnxImporter.load("garbage, not protobuf".getBytes(), "bad.onnx"));
        assertTrue(e.getMessage().startsWith("bad.onnx: not an ONNX model"), e.getMessage());

        Onnx.ModelProto good = Onnx.ModelProto.parseFrom(resource("residual.onnx"));
        Onnx.ModelProto opset9 = good.toBuilder().setOpsetImport(0, Onnx.OperatorSetIdProto.newBuilder().setVersion(9)).build();
        e = assertThrows(InvalidInputException.class, () -> OnnxImporter.load(opset9.toByteArray(), "old.onnx"));
        assertTrue(e.getMessage().equals("old.onnx: opset 9 is not supported; expected 11..17 (re-export with opset_version in that range)"),
                e.getMessage());

        Onnx.GraphProto.Builder g = good.getGraph().toBuilder();
        g.setNode(5, g.getNode(5).toBuilder().setOpType("Einsum"));
        Onnx.ModelProto einsum = good.toBuilder().setGraph(g).build();
        e = assertThrows(InvalidInputException.class, () -> OnnxImporter.load(einsum.toByteArray(), "einsum.onnx"));
        assertTrue(e.getMessage().startsWith("einsum.onnx: node " + g.getNode(5).getName() + " (Einsum, opset 13): unsupported operator"
                + " Einsum"), e.getMessage());
    }
}
