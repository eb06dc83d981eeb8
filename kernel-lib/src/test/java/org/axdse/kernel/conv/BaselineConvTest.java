package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The exact int32 and FP32 baseline kernels, on every inner loop. */
class BaselineConvTest {
    /** FP32 kernel vs double-accumulated reference: |difference| <= this x sum |x * w| per output. */
    static final double FLOAT_SUM_RELATIVE_TOLERANCE = 1e-5;

    static java.util.List<ConvShapes.Shape> shapes() {
        return CpuLutConv2dTest.shapes();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void exactIntegerKernelEqualsTheLutKernelWithTheExactTableBitForBit(ConvShapes.Shape shape) {
        Conv2dGeometry g = shape.geometry();
        for (QuantScheme scheme : QuantScheme.values()) {
            Random r = new Random(17);
            float[] input = TestTables.randomFloats(r, shape.batch() * g.inputSize(), -1f, 3f);
            float[] bias = TestTables.randomFloats(r, g.outChannels(), -1f, 1f);
            QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
            QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, g.weightSize(), -0.6f, 0.4f),
                    g.outChannels(), true);
            float[] expected = new float[shape.batch() * g.outputSize()];
            CpuLutConv2d.create(g, MultiplierTable.exact(scheme.signedness()), w, act, bias)
                    .forward(input, shape.batch(), expected);
            for (TapAccumulator loop : TapAccumulators.available()) {
                float[] out = new float[expected.length];
                new CpuExactConv2d(g, w, act, bias, loop).forward(input, shape.batch(), out);
                assertArrayEquals(expected, out, scheme + " " + loop.name());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void floatKernelIsAConvolutionAndAllLoopsAgreeBitForBit(ConvShapes.Shape shape) {
        Conv2dGeometry g = shape.geometry();
        Random r = new Random(23);
        float[] input = TestTables.randomFloats(r, shape.batch() * g.inputSize(), -1f, 3f);
        float[] weights = TestTables.randomFloats(r, g.weightSize(), -0.6f, 0.4f);
        float[] bias = TestTables.randomFloats(r, g.outChannels(), -1f, 1f);
        float[] first = null;
        for (TapAccumulator loop : TapAccumulators.available()) {
            float[] out = new float[shape.batch() * g.outputSize()];
            new CpuFloatConv2d(g, weights, bias, loop).forward(input, shape.batch(), out);
            if (first == null) {
                first = out;
                double[][] ref = ReferenceLutConv.floatConvolution(g, weights, input, shape.batch());
                for (int i = 0; i < out.length; i++) {
                    int oc = (i / (g.outHeight() * g.outWidth())) % g.outChannels();
                    assertEquals(ref[0][i] + bias[oc], out[i], FLOAT_SUM_RELATIVE_TOLERANCE * (ref[1][i] + Math.abs(bias[oc])),
                            "output " + i);
                }
            } else {
                assertArrayEquals(first, out, loop.name());
            }
        }
    }
}
