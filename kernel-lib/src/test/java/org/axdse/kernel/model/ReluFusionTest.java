package org.axdse.kernel.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Random;

import org.axdse.kernel.OnnxFixtures;
import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.onnx.OnnxImporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ReLU that alone reads a layer's output is applied in place by the layer; the logits are bit for bit those of
 * the unfused pass (a pass with a layer hook does not fuse: the hook must see the raw layer output).
 */
class ReluFusionTest {
    @ParameterizedTest
    @ValueSource(strings = {"residual.onnx", "conv_bn_pool.onnx", "depthwise_pad_concat.onnx", "identity_dropout_globalmax.onnx",
            "tf_style_nhwc.onnx"})
    void fusedLogitsEqualUnfusedOnes(String fixture) throws IOException {
        Network net = OnnxImporter.load(OnnxFixtures.resource(fixture), fixture);
        float[] x = TestTables.randomFloats(new Random(3), 6 * net.inputSize(), -1f, 2f);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 6, 3);
        int n = net.layers().size();
        for (Signedness s : Signedness.values()) {
            MultiplierTable noisy = TestTables.randomTable(s, 11);
            for (Assignment a : new Assignment[] {Assignment.uniform(null, n), Assignment.uniform(noisy, n),
                    Assignment.uniform(MultiplierTable.exact(s), n)}) {
                float[] fusedLogits = new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 6, a);
                ForwardPass unfused = new ForwardPass(net, QuantConfig.DEFAULT, ranges);
                unfused.layerHook((layer, in) -> { });
                assertArrayEquals(unfused.logits(x, 6, a), fusedLogits, fixture + " " + a);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"residual.onnx", "conv_bn_pool.onnx"})
    void theFixturesFuseSomeRelu(String fixture) throws IOException {
        Network net = OnnxImporter.load(OnnxFixtures.resource(fixture), fixture);
        assertTrue(new ForwardPass(net, QuantConfig.DEFAULT, null).fusedRelus() > 0, fixture + " has a ReLU to fuse");
    }
}
