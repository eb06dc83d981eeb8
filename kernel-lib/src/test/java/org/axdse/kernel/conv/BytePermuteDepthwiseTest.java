package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;

/**
 * When the depthwise byte-permute loop is used, and that its 16-bit plane sums cannot overflow. Its exactness on
 * every awkward shape is checked by {@link CpuLutConv2dTest} (the "vector" cases of layers with one output channel
 * per group run it on CPUs with AVX-512 VBMI).
 */
class BytePermuteDepthwiseTest {
    private static final TapAccumulator VECTOR = TapAccumulators.available().get(0);

    private static boolean bytePermuteHere() {
        return VECTOR.name().equals("vector") && BytePermuteDense.supported();
    }

    private static CpuLutConv2d kernel(Conv2dGeometry g, TapAccumulator loop, long maxCachedBytes) {
        Random r = new Random(7);
        QuantParams act = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1f, 2f);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), false);
        return CpuLutConv2d.create(g, TestTables.randomTable(Signedness.UNSIGNED, 7), w, act, null, loop, maxCachedBytes);
    }

    @Test
    void layersWithOneOutputChannelPerGroupTakeItOnCpusWithVbmi() {
        assumeTrue(bytePermuteHere(), "no AVX-512 VBMI or no vector module: the row loops serve every layer");
        Conv2dGeometry depthwise = Conv2dGeometry.builder(8, 14, 14, 8, 3, 3).groups(8).stride(2).padding(1).build();
        assertEquals("byte-permute", kernel(depthwise, VECTOR, LutProductTable.DEFAULT_MAX_CACHED_BYTES).innerLoop());
        assertEquals("scalar", kernel(depthwise, ScalarTapAccumulator.INSTANCE, LutProductTable.DEFAULT_MAX_CACHED_BYTES)
                .innerLoop(), "the scalar loop stays selectable (axdse.kernel.loop=scalar)");
        assertEquals("vector", kernel(depthwise, VECTOR, 0).innerLoop(), "a table computed slice by slice keeps the row loops");
        Conv2dGeometry twoPerGroup = Conv2dGeometry.builder(4, 6, 6, 8, 3, 3).groups(4).build();
        assertEquals("vector", kernel(twoPerGroup, VECTOR, LutProductTable.DEFAULT_MAX_CACHED_BYTES).innerLoop());
    }

    @Test
    void planeSumsOfManyMaximalTapsDoNotOverflowSixteenBits() {
        // Signed-symmetric, so P = lut exactly. The row of weight code 0 is -32768 at activation code 0 and 32767
        // elsewhere: offset by its minimum every other code gives 0xFFFF, i.e. 255 in both byte planes. All weights
        // but the last quantize to code 0, all activations to codes 64..127, so 287 of the 288 taps add 255 to each
        // plane: 73,185 in one pass would wrap a 16-bit lane; passes of 256 taps must not.
        int[] entries = new int[MultiplierTable.ENTRIES];
        Arrays.fill(entries, 32767);
        entries[0] = -32768;
        MultiplierTable table = MultiplierTable.of("plane_stress", Signedness.SIGNED, entries);
        Conv2dGeometry g = Conv2dGeometry.builder(32, 6, 5, 1, 3, 3).build();
        float[] weights = new float[g.weightSize()];
        Arrays.fill(weights, 0.001f);
        weights[weights.length - 1] = 1f;
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC, weights, 1, false);
        Random r = new Random(9);
        float[] input = TestTables.randomFloats(r, 2 * g.inputSize(), 0.5f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, input, 0, input.length);
        for (TapAccumulator loop : TapAccumulators.available()) {
            CpuLutConv2d kernel = CpuLutConv2d.create(g, table, w, act, null, loop);
            long[] acc = new long[2 * g.outputSize()];
            kernel.accumulators(input, 2, acc);
            assertArrayEquals(ReferenceLutConv.accumulators(g, table, w, act, input, 2), acc, kernel.innerLoop());
            assertEquals(287L * 32767 + 32767, acc[0], kernel.innerLoop());
        }
    }

    @Test
    void rowsFromSeveralTableSlicesStayInTapOrder() {
        assumeTrue(bytePermuteHere(), "no AVX-512 VBMI or no vector module");
        Conv2dGeometry g = Conv2dGeometry.builder(64, 4, 4, 1, 3, 3).padding(1).build();
        CpuLutConv2d kernel = kernel(g, VECTOR, LutProductTable.DEFAULT_MAX_CACHED_BYTES);
        assertEquals("byte-permute", kernel.innerLoop());
        assertEquals(2, kernel.productTable().tapBlocks(), "576 taps of one channel: two slices of at most 512");
        // exactness against the reference: CpuLutConv2dTest's shape "576 taps: two table slices"
    }
}
