package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * With the exact multiplier table, the CPU LUT convolution is the FP32 convolution of the fake-quantized input
 * and weights, as an independent implementation (ND4J's native CPU backend) computes it. Also proves that the
 * native backend loads in this build.
 */
class Nd4jCrossCheckTest {
    /**
     * |LUT output - ND4J output| <= this x max |ND4J output|: both sides round in float32 (ND4J accumulates the
     * taps in float, the LUT kernel rescales an exact integer sum), so they agree to a few ulps of the largest output.
     */
    static final double EXACT_MODE_RELATIVE_TOLERANCE = 1e-5;

    /** The native CPU backend in org.nd4j:nd4j-native. */
    static final String NATIVE_CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    static List<ConvShapes.Shape> shapes() {
        List<ConvShapes.Shape> s = new ArrayList<>();
        s.add(new ConvShapes.Shape("b3 c3 23x23 oc8 3x3 pad1", 3,
                Conv2dGeometry.builder(3, 23, 23, 8, 3, 3).padding(1).build()));
        s.add(new ConvShapes.Shape("LeNet conv2 b1 c6 13x13 oc16 3x3", 1,
                Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build()));
        s.add(new ConvShapes.Shape("b2 c4 19x17 oc5 3x3 s2 dilation2 pad2", 2,
                Conv2dGeometry.builder(4, 19, 17, 5, 3, 3).stride(2).dilation(2).padding(2).build()));
        s.add(new ConvShapes.Shape("b1 c5 12x20 oc7 3x5 s(1,2) pad(1,2)", 1,
                Conv2dGeometry.builder(5, 12, 20, 7, 3, 5).stride(1, 2).padding(1, 1, 2, 2).build()));
        s.add(new ConvShapes.Shape("b3 groups3 c6 9x9 oc9 3x3 pad1", 3,
                Conv2dGeometry.builder(6, 9, 9, 9, 3, 3).groups(3).padding(1).build()));
        s.add(new ConvShapes.Shape("b2 depthwise c4 11x11 3x3 s2 pad1", 2,
                Conv2dGeometry.builder(4, 11, 11, 4, 3, 3).groups(4).stride(2).padding(1).build()));
        return s;
    }

    @Test
    void theNativeCpuBackendLoads() {
        assertEquals(NATIVE_CPU_BACKEND, Nd4j.getBackend().getClass().getName());
        INDArray a = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, DataType.FLOAT);
        assertArrayEquals(new float[] {7, 10, 15, 22}, a.mmul(a).ravel().toFloatVector());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void exactTableEqualsNd4jOnTheFakeQuantizedTensors(ConvShapes.Shape shape) {
        Conv2dGeometry g = shape.geometry();
        int batch = shape.batch();
        long seed = 7;
        for (QuantScheme scheme : QuantScheme.values()) {
            Random r = new Random(seed++);
            // Asymmetric ranges: a non-zero activation zero point for unsigned-affine, off-centre weights.
            float[] input = TestTables.randomFloats(r, batch * g.inputSize(), -1.3f, 2.7f);
            float[] weights = TestTables.randomFloats(r, g.weightSize(), -0.4f, 0.7f);
            float[] bias = TestTables.randomFloats(r, g.outChannels(), -1f, 1f);
            QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
            QuantizedWeights w = QuantizedWeights.quantize(scheme, weights, g.outChannels(), true);

            float[] fakeInput = new float[input.length];
            for (int i = 0; i < input.length; i++) {
                fakeInput[i] = act.fakeQuantize(input[i]);
            }
            int taps = g.taps();
            float[] fakeWeights = new float[weights.length];
            for (int oc = 0; oc < g.outChannels(); oc++) {
                for (int i = 0; i < taps; i++) {
                    fakeWeights[oc * taps + i] = w.params(oc).dequantize(w.code(oc * taps + i));
                }
            }
            float[] expected = nd4jConv2d(g, batch, fakeInput, fakeWeights, bias);

            float[] out = new float[batch * g.outputSize()];
            CpuLutConv2d.create(g, MultiplierTable.exact(scheme.signedness()), w, act, bias).forward(input, batch, out);

            assertEquals(expected.length, out.length, "output size");
            TestTables.assertCloseRelativeToLargest(expected, out, EXACT_MODE_RELATIVE_TOLERANCE, scheme.toString());
        }
    }

    /**
     * ND4J's conv2d over NCHW input {@code [batch][C][H][W]} and OIYX weights {@code [O][C/groups][kh][kw]}, plus
     * bias. ND4J's Conv2DConfig has no groups parameter, so a grouped convolution is one ND4J convolution per group
     * (its input-channel and output-channel slices), concatenated along the channel axis. Its padding is one
     * explicit symmetric pad per axis (pH, pW), so the geometry must pad top = bottom and left = right.
     */
    static float[] nd4jConv2d(Conv2dGeometry g, int batch, float[] input, float[] weights, float[] bias) {
        assertEquals(g.padTop(), g.padBottom(), "ND4J pads top and bottom alike");
        assertEquals(g.padLeft(), g.padRight(), "ND4J pads left and right alike");
        Conv2DConfig config = Conv2DConfig.builder()
                .kH(g.kernelH()).kW(g.kernelW())
                .sH(g.strideH()).sW(g.strideW())
                .dH(g.dilationH()).dW(g.dilationW())
                .pH(g.padTop()).pW(g.padLeft())
                .paddingMode(PaddingMode.VALID) // VALID = use the explicit pH/pW, not ND4J's own SAME
                .dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.OIYX)
                .build();
        INDArray x = Nd4j.create(input, new long[] {batch, g.inChannels(), g.inHeight(), g.inWidth()}, DataType.FLOAT);
        INDArray wt = Nd4j.create(weights,
                new long[] {g.outChannels(), g.inChannelsPerGroup(), g.kernelH(), g.kernelW()}, DataType.FLOAT);
        INDArray b = Nd4j.create(bias, new long[] {g.outChannels()}, DataType.FLOAT);
        int cg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        INDArray[] perGroup = new INDArray[g.groups()];
        for (int grp = 0; grp < g.groups(); grp++) {
            INDArray xg = x.get(NDArrayIndex.all(), NDArrayIndex.interval(grp * cg, (grp + 1) * cg),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            INDArray wg = wt.get(NDArrayIndex.interval(grp * ocg, (grp + 1) * ocg),
                    NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            INDArray bg = b.get(NDArrayIndex.interval(grp * ocg, (grp + 1) * ocg)).dup('c');
            perGroup[grp] = Nd4j.cnn().conv2d(xg, wg, bg, config);
        }
        INDArray y = g.groups() == 1 ? perGroup[0] : Nd4j.concat(1, perGroup);
        assertArrayEquals(new long[] {batch, g.outChannels(), g.outHeight(), g.outWidth()}, y.shape(),
                "ND4J output shape");
        return y.dup('c').ravel().toFloatVector();
    }
}
