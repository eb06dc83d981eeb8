package org.axdse.kernel.conv;

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

    record Shape(String label, int batch, Conv2dGeometry geometry) {
        @Override
        public String toString() {
            return label;
        }
    }

    static List<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("1x1 everything", 1, Conv2dGeometry.builder(1, 1, 1, 1, 1, 1).build()));
        s.add(new Shape("b3 c3 23x23 oc23 3x3 pad1", 3, Conv2dGeometry.builder(3, 23, 23, 23, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c23 7x9 oc16 5x5 s2 SAME", 1, Conv2dGeometry.builder(23, 7, 9, 16, 5, 5).stride(2).samePadding().build()));
        s.add(new Shape("LeNet conv2 b3 c6 13x13 oc16 3x3", 3, Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build()));
        s.add(new Shape("b1 c3 115x115 oc3 3x3 s2 VALID", 1, Conv2dGeometry.builder(3, 115, 115, 3, 3, 3).stride(2).validPadding().build()));
        s.add(new Shape("b3 c3 23x23 oc5 3x3 dilation2 pad2", 3, Conv2dGeometry.builder(3, 23, 23, 5, 3, 3).dilation(2).padding(2).build()));
        s.add(new Shape("b3 groups3 c6 5x5 oc9 3x3 pad1", 3, Conv2dGeometry.builder(6, 5, 5, 9, 3, 3).groups(3).padding(1).build()));
        s.add(new Shape("b1 depthwise c23 11x11 3x3 s2 SAME", 1, Conv2dGeometry.builder(23, 11, 11, 23, 3, 3).groups(23).stride(2).samePadding().build()));
        s.add(new Shape("b3 depthwise x2 c3 9x9 oc6 5x5 pad 2,1,0,3", 3, Conv2dGeometry.builder(3, 9, 9, 6, 5, 5).groups(3).padding(2, 1, 0, 3).build()));
        s.add(new Shape("b1 c1 1x115 oc33 1x5 s(1,2)", 1, Conv2dGeometry.builder(1, 1, 115, 33, 1, 5).stride(1, 2).build()));
        s.add(new Shape("b1 c64 6x6 oc20 3x3 pad1 (many tap blocks)", 1, Conv2dGeometry.builder(64, 6, 6, 20, 3, 3).padding(1).build()));
        s.add(new Shape("b3 dense 115->23", 3, Conv2dGeometry.dense(115, 23)));
        s.add(new Shape("b2 c8 6x6 oc70 3x3 pad1 (4+1 vectors per row)", 2, Conv2dGeometry.builder(8, 6, 6, 70, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c3 10x10 oc5 1x1 s3 (stride > kernel)", 1, Conv2dGeometry.builder(3, 10, 10, 5, 1, 1).stride(3).build()));
        s.add(new Shape("b2 c2 9x11 oc17 2x2 s(3,4) pad 0,2,1,0", 2, Conv2dGeometry.builder(2, 9, 11, 17, 2, 2).stride(3, 4).padding(0, 2, 1, 0).build()));
        s.add(new Shape("b1 c4 8x8 oc16 3x3 s2 dilation2 SAME", 1, Conv2dGeometry.builder(4, 8, 8, 16, 3, 3).stride(2).dilation(2).samePadding().build()));
        return s;
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
