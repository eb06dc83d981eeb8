package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.axdse.kernel.lut.Signedness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dense LUT kernel equals the specification and the convolution kernel on the 1x1 geometry. */
class CpuLutDenseTest {
    @ParameterizedTest(name = "batch {0}, {1} -> {2}, {3}, perChannel={4}")
    @CsvSource({
            "1, 1, 1, UNSIGNED_AFFINE, false",
            "3, 115, 23, UNSIGNED_AFFINE, true",
            "3, 115, 23, SIGNED_SYMMETRIC, true",
            "2, 400, 120, UNSIGNED_AFFINE, false",
            "1, 23, 3, SIGNED_SYMMETRIC, false",
            "5, 3, 115, UNSIGNED_AFFINE, true",
            "70, 1936, 120, UNSIGNED_AFFINE, false",
            "16, 512, 10, SIGNED_SYMMETRIC, true",
            "65, 84, 64, SIGNED_SYMMETRIC, false",
            "130, 33, 97, UNSIGNED_AFFINE, true",
            "17, 257, 3, UNSIGNED_AFFINE, false",
            "64, 513, 1, SIGNED_SYMMETRIC, true",
    })
    void equalsTheReferenceAndTheConvolution(int batch, int in, int out, QuantScheme scheme, boolean perChannel) {
        Random r = new Random(in * 31L + out);
        MultiplierTable lut = TestTables.randomTable(scheme.signedness(), in + out);
        float[] x = TestTables.randomFloats(r, batch * in, -0.7f, 3f);
        QuantParams act = QuantParams.fromValues(scheme, x, 0, x.length);
        QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, in * out, -0.3f, 0.5f), out,
                perChannel);
        float[] bias = TestTables.randomFloats(r, out, -1f, 1f);
        Conv2dGeometry g = Conv2dGeometry.dense(in, out);

        CpuLutDense dense = new CpuLutDense(in, out, lut, w, act, bias);
        long[] acc = new long[batch * out];
        dense.accumulators(x, batch, acc);
        assertArrayEquals(ReferenceLutConv.accumulators(g, lut, w, act, x, batch), acc);

        float[] y = new float[batch * out];
        float[] yConv = new float[batch * out];
        dense.forward(x, batch, y);
        CpuLutConv2d.create(g, lut, w, act, bias).forward(x, batch, yConv);
        for (int i = 0; i < y.length; i++) {
            assertEquals(Float.floatToIntBits(yConv[i]), Float.floatToIntBits(y[i]), "output " + i + " bit for bit");
        }

        // Both loops, whichever the default chose: the scalar one and, where the CPU has it, the byte-permute one.
        long[] reference = ReferenceLutConv.accumulators(g, lut, w, act, x, batch);
        for (boolean permute : denseLoops()) {
            long[] loopAcc = new long[batch * out];
            new CpuLutDense(in, out, lut, w, act, bias, permute).accumulators(x, batch, loopAcc);
            assertArrayEquals(reference, loopAcc, "permute=" + permute);
            float[] loopY = new float[batch * out];
            new CpuLutDense(in, out, lut, w, act, bias, permute).forward(x, batch, loopY);
            for (int i = 0; i < loopY.length; i++) {
                assertEquals(Float.floatToIntBits(yConv[i]), Float.floatToIntBits(loopY[i]), "permute=" + permute + " output " + i);
            }
        }
    }

    @Test
    void entriesOfThreeBytesAreExact() {
        // Signed entries spread over +-2^20 need three byte planes in the byte-permute loop.
        Random r = new Random(9);
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            e[i] = r.nextInt(2 * MultiplierTable.MAX_SIGNED_MAGNITUDE + 1) - MultiplierTable.MAX_SIGNED_MAGNITUDE;
        }
        MultiplierTable wide = MultiplierTable.of("wide", Signedness.SIGNED, e);
        int batch = 67;
        int in = 300;
        int out = 7;
        float[] x = TestTables.randomFloats(r, batch * in, -1f, 2f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, x, 0, x.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, in * out, -1f, 1f), out, true);
        long[] reference = ReferenceLutConv.accumulators(Conv2dGeometry.dense(in, out), wide, w, act, x, batch);
        for (boolean permute : denseLoops()) {
            long[] acc = new long[batch * out];
            new CpuLutDense(in, out, wide, w, act, null, permute).accumulators(x, batch, acc);
            assertArrayEquals(reference, acc, "permute=" + permute);
        }
    }

    @Test
    void theBytePermuteLoopIsUsedWhereTheCpuHasIt() throws java.io.IOException {
        String cpu = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/cpuinfo"));
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.Arrays.asList(cpu.split("\\s+")).contains("avx512vbmi"),
                "no AVX-512 VBMI here");
        // Tests run with the vector module (pom.xml argLine), so the fast loop must not be skipped silently.
        org.junit.jupiter.api.Assertions.assertTrue(DenseBatchLoops.bytePermuteAvailable());
        MultiplierTable lut = TestTables.randomTable(Signedness.UNSIGNED, 5);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, new float[] {0.5f, -0.25f}, 1, false);
        QuantParams act = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 0f, 1f);
        assertEquals("byte-permute", new CpuLutDense(2, 1, lut, w, act, null).innerLoop());
    }

    /** The scalar loop, and the byte-permute loop where this CPU has it. */
    static java.util.List<Boolean> denseLoops() {
        return DenseBatchLoops.bytePermuteAvailable() ? java.util.List.of(false, true) : java.util.List.of(false);
    }

    @Test
    void sumsBeyondInt32AreExact() {
        // Every entry at the largest allowed magnitude: K = 2304 products sum to 2304 * 2^20 > 2^31.
        int[] e = new int[MultiplierTable.ENTRIES];
        java.util.Arrays.fill(e, MultiplierTable.MAX_SIGNED_MAGNITUDE);
        MultiplierTable huge = MultiplierTable.of("huge", Signedness.SIGNED, e);
        Random r = new Random(4);
        float[] x = TestTables.randomFloats(r, 2 * 2304, -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, x, 0, x.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, 2 * 2304, -1f, 1f), 2, false);
        long[] acc = new long[4];
        new CpuLutDense(2304, 2, huge, w, act, null).accumulators(x, 2, acc);
        for (long v : acc) {
            assertEquals(2304L * MultiplierTable.MAX_SIGNED_MAGNITUDE, v);
        }
    }

    @Test
    void sumsBeyondInt32AreExactInEveryLoop() {
        // As above with a batch large enough for the byte-permute loop.
        int[] e = new int[MultiplierTable.ENTRIES];
        java.util.Arrays.fill(e, MultiplierTable.MAX_SIGNED_MAGNITUDE);
        MultiplierTable huge = MultiplierTable.of("huge", Signedness.SIGNED, e);
        Random r = new Random(4);
        int batch = 20;
        float[] x = TestTables.randomFloats(r, batch * 2304, -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, x, 0, x.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, 2 * 2304, -1f, 1f), 2, false);
        for (boolean permute : denseLoops()) {
            long[] acc = new long[batch * 2];
            new CpuLutDense(2304, 2, huge, w, act, null, permute).accumulators(x, batch, acc);
            for (long v : acc) {
                assertEquals(2304L * MultiplierTable.MAX_SIGNED_MAGNITUDE, v, "permute=" + permute);
            }
        }
    }
}
