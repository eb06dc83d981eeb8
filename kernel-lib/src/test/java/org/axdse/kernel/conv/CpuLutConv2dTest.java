package org.axdse.kernel.conv;

import org.axdse.kernel.conv.ConvShapes.Shape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CPU LUT convolution equals the plain-loop specification bit for bit. */
class CpuLutConv2dTest {
    /** Exact mode: |LUT output - FP32 fake-quant output| <= this x max |FP32 output| (float32 rounding). */
    static final double EXACT_MODE_RELATIVE_TOLERANCE = 1e-5;

    static List<Shape> shapes() {
        return ConvShapes.awkward();
    }

    static Stream<Arguments> cases() {
        List<Arguments> args = new ArrayList<>();
        long seed = 1;
        for (Shape shape : shapes()) {
            for (QuantScheme scheme : QuantScheme.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    for (TapAccumulator acc : TapAccumulators.available()) {
                        for (boolean cached : new boolean[] {true, false}) {
                            args.add(Arguments.of(shape, scheme, perChannel, acc.name(), cached, seed++));
                        }
                    }
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1} perChannel={2} {3} cached={4}")
    @MethodSource("cases")
    void accumulatorsEqualTheReferenceOnRandomAsymmetricTables(Shape shape, QuantScheme scheme, boolean perChannel,
                                                               String loop, boolean cached, long seed) {
        Random r = new Random(seed);
        Conv2dGeometry g = shape.geometry();
        MultiplierTable lut = TestTables.randomTable(scheme.signedness(), seed);
        // Asymmetric activation range (non-zero zero point for unsigned-affine), off-centre weights.
        float[] input = TestTables.randomFloats(r, shape.batch() * g.inputSize(), -1.3f, 2.7f);
        float[] weights = TestTables.randomFloats(r, g.weightSize(), -0.4f, 0.7f);
        QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(scheme, weights, g.outChannels(), perChannel);

        CpuLutConv2d kernel = CpuLutConv2d.create(g, lut, w, act, null, TapAccumulators.byName(loop),
                cached ? LutProductTable.DEFAULT_MAX_CACHED_BYTES : 0);
        assertEquals(cached, kernel.productTable().cached());
        long[] acc = new long[shape.batch() * g.outputSize()];
        kernel.accumulators(input, shape.batch(), acc);

        assertArrayEquals(ReferenceLutConv.accumulators(g, lut, w, act, input, shape.batch()), acc);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void exactTableGivesTheFakeQuantizedFloatConvolution(Shape shape) {
        for (QuantScheme scheme : QuantScheme.values()) {
            Random r = new Random(42);
            Conv2dGeometry g = shape.geometry();
            float[] input = TestTables.randomFloats(r, shape.batch() * g.inputSize(), -1.5f, 4.5f);
            float[] weights = TestTables.randomFloats(r, g.weightSize(), -0.5f, 0.3f);
            float[] bias = TestTables.randomFloats(r, g.outChannels(), -1f, 1f);
            QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
            QuantizedWeights w = QuantizedWeights.quantize(scheme, weights, g.outChannels(), true);
            MultiplierTable exact = MultiplierTable.exact(scheme.signedness());

            float[] out = new float[shape.batch() * g.outputSize()];
            CpuLutConv2d.create(g, exact, w, act, bias).forward(input, shape.batch(), out);

            float[] expected = ReferenceLutConv.fakeQuantFloat(g, w, act, input, shape.batch(), bias);
            TestTables.assertCloseRelativeToLargest(expected, out, EXACT_MODE_RELATIVE_TOLERANCE, scheme.toString());
        }
    }

    @Test
    void exactTableAccumulatorIsTheIntegerSumOfRealProducts() {
        Conv2dGeometry g = Conv2dGeometry.builder(5, 9, 9, 7, 3, 3).padding(1).build();
        Random r = new Random(3);
        float[] input = TestTables.randomFloats(r, 2 * g.inputSize(), -2f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), true);
        long[] acc = new long[2 * g.outputSize()];
        CpuLutConv2d.create(g, MultiplierTable.exact(Signedness.UNSIGNED), w, act, null).accumulators(input, 2, acc);

        // sum over taps of (qa - za) * (qw - zw), padded taps contributing 0
        ReferenceLutConv.forEachOutput(g, 2, (i, n, oc, y, x) -> {
            long[] s = new long[1];
            ReferenceLutConv.forEachTap(g, n, oc, y, x, (in, wi) -> {
                if (in >= 0) {
                    s[0] += (long) (act.quantize(input[in]) - act.zeroPoint()) * (w.code(wi) - w.zeroPoint(oc));
                }
            });
            assertEquals(s[0], acc[i], "output " + i);
        });
    }

    @Test
    void sumsBeyondInt32AreExact() {
        // Every entry at the largest allowed magnitude: K = 2304 taps sum to 2304 * 2^20 > 2^31.
        int[] e = new int[MultiplierTable.ENTRIES];
        Arrays.fill(e, MultiplierTable.MAX_SIGNED_MAGNITUDE);
        MultiplierTable huge = MultiplierTable.of("huge", Signedness.SIGNED, e);
        Conv2dGeometry g = Conv2dGeometry.builder(256, 3, 3, 2, 3, 3).padding(1).build();
        Random r = new Random(5);
        float[] input = TestTables.randomFloats(r, g.inputSize(), -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), 2, false);
        for (TapAccumulator loop : TapAccumulators.available()) {
            CpuLutConv2d kernel = CpuLutConv2d.create(g, huge, w, act, null, loop);
            LutProductTable pt = kernel.productTable();
            assertTrue((long) pt.tapsPerBlock() * pt.maxAbsBound() <= Integer.MAX_VALUE, "int32 partial sums cannot overflow");
            assertTrue(pt.tapBlocks() > 1, "the 2304 taps are summed in several int32 blocks");
            long[] acc = new long[g.outputSize()];
            kernel.accumulators(input, 1, acc);
            for (long v : acc) {
                assertEquals(2304L * MultiplierTable.MAX_SIGNED_MAGNITUDE, v, loop.name());
            }
        }
    }

    @Test
    void oneKernelServesBatchesOfAnySizeAndLargeLayersAreComputedSliceBySlice() {
        // 96 -> 80 channels, 3x3: a 71 MB table, above the default cache limit: computed slice by slice with
        // 2 channel blocks (64 + 16), unless the limit is lifted.
        Conv2dGeometry g = Conv2dGeometry.builder(96, 5, 5, 80, 3, 3).padding(1).build();
        Random r = new Random(11);
        MultiplierTable lut = TestTables.randomTable(Signedness.UNSIGNED, 11);
        QuantParams act = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1f, 2f);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), true);
        for (long cacheLimit : new long[] {Long.MAX_VALUE, LutProductTable.DEFAULT_MAX_CACHED_BYTES}) {
            CpuLutConv2d kernel = CpuLutConv2d.create(g, lut, w, act, null, TapAccumulators.best(), cacheLimit);
            boolean cached = cacheLimit == Long.MAX_VALUE;
            assertEquals(cached, kernel.productTable().cached());
            assertEquals(cached ? 1 : 2, kernel.productTable().channelBlocks());
            for (int batch : new int[] {3, 40, 1, 17}) {
                float[] input = TestTables.randomFloats(r, batch * g.inputSize(), -1f, 2f);
                long[] acc = new long[batch * g.outputSize()];
                kernel.accumulators(input, batch, acc);
                assertArrayEquals(ReferenceLutConv.accumulators(g, lut, w, act, input, batch), acc,
                        "batch " + batch + ", cache limit " + cacheLimit);
            }
        }
    }

    @Test
    void manyImageChunksGiveTheSameResultAsOneImageAtATime() {
        Conv2dGeometry g = Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build(); // 16 images per chunk
        Random r = new Random(12);
        MultiplierTable lut = TestTables.randomTable(Signedness.UNSIGNED, 12);
        float[] input = TestTables.randomFloats(r, 37 * g.inputSize(), 0f, 2f);
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), false);
        CpuLutConv2d kernel = CpuLutConv2d.create(g, lut, w, act, null);
        float[] all = new float[37 * g.outputSize()];
        kernel.forward(input, 37, all);
        float[] one = new float[g.outputSize()];
        for (int n = 0; n < 37; n++) {
            kernel.forward(Arrays.copyOfRange(input, n * g.inputSize(), (n + 1) * g.inputSize()), 1, one);
            assertArrayEquals(one, Arrays.copyOfRange(all, n * g.outputSize(), (n + 1) * g.outputSize()), "image " + n);
        }
    }

    /** One 3x3 filter of zeros, unsigned-affine, for the refusal tests. */
    private static final QuantizedWeights ONE_FILTER = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, new float[9], 1, false);
    private static final QuantParams UNIT_RANGE = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 0f, 1f);

    @Test
    void refusesATableOfTheWrongSignedness() {
        Conv2dGeometry g = Conv2dGeometry.builder(1, 3, 3, 1, 3, 3).build();
        QuantizedWeights w = ONE_FILTER;
        QuantParams act = UNIT_RANGE;
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CpuLutConv2d.create(g, MultiplierTable.exact(Signedness.SIGNED), w, act, null));
        assertTrue(e.getMessage().contains("mul8s_exact") && e.getMessage().contains("SIGNED_SYMMETRIC"), e.getMessage());
    }

    @Test
    void refusesWeightsOfTheWrongShape() {
        Conv2dGeometry g = Conv2dGeometry.builder(2, 3, 3, 1, 3, 3).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> CpuLutConv2d.create(g, MultiplierTable.exact(Signedness.UNSIGNED), ONE_FILTER, UNIT_RANGE, null));
        assertTrue(e.getMessage().contains("expected [1][18]") && e.getMessage().contains("got [1][9]"), e.getMessage());
    }

    @Test
    void refusesAnInputShorterThanTheBatch() {
        Conv2dGeometry g = Conv2dGeometry.builder(1, 3, 3, 1, 3, 3).build();
        CpuLutConv2d k = CpuLutConv2d.create(g, MultiplierTable.exact(Signedness.UNSIGNED), ONE_FILTER, UNIT_RANGE, null);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> k.forward(new float[9], 2, new float[2]));
        assertTrue(e.getMessage().startsWith("input: expected at least 18 elements, got 9"), e.getMessage());
    }
}
