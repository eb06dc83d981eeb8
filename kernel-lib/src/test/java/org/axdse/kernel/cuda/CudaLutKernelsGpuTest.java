package org.axdse.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.ConvShapes;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.conv.CpuLutDense;
import org.axdse.kernel.cuda.check.CheckTables;
import org.axdse.kernel.cuda.check.EqualityCase;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA LUT kernels give the CPU kernels' outputs and accumulators bit for bit on awkward shapes, both
 * schemes, per-tensor and per-channel weights, random asymmetric tables with extreme entries, and both table
 * variants where the device allows them (the cases of {@link EqualityCase}, which the GPU check runs without
 * JUnit too); and their throughput. Runs only where a CUDA device and the packaged PTX exist
 * (skipped via assumptions elsewhere).
 */
@Tag("gpu")
class CudaLutKernelsGpuTest {
    private static CudaContext context;

    @BeforeAll
    static void openDevice() {
        CudaAvailability a = CudaRuntime.availability();
        assumeTrue(a.available(), "no CUDA device: " + a.reason());
        assumeTrue(CudaContext.ptxPresent(), CudaContext.PTX_RESOURCE + " is not packaged");
        context = CudaContext.open(0);
        System.out.printf(Locale.ROOT, "GPU test device: %s, compute %s, %d SMs, %d KiB shared memory per block opt-in%n",
                context.deviceName(), context.computeCapability(), context.multiprocessors(),
                context.sharedMemoryPerBlockOptin() >> 10);
    }

    @AfterAll
    static void closeDevice() {
        if (context != null) {
            context.close();
        }
    }

    /**
     * A random asymmetric table: for {@link LutKernelVariant#LDG}, {@link TestTables#randomTable} (0 x 0 != 0,
     * an entry at the format's limit: 65535 or -2^20); for {@link LutKernelVariant#SMEM16}, one whose entries
     * stay in int16 but reach both of its limits ({@link CheckTables#random16}).
     */
    static MultiplierTable table(Signedness s, LutKernelVariant v, long seed) {
        MultiplierTable t = CheckTables.forVariant(s, v, seed);
        if (v == LutKernelVariant.SMEM16) {
            assertTrue(LutKernelVariant.fits16Bits(t));
        }
        return t;
    }

    /**
     * The shapes of CpuLutConv2dTest and a few larger ones ({@link ConvShapes#device()}), both schemes, per-tensor and
     * per-channel weights, both variants: {@link EqualityCase#convolutions()}, which the GPU check runs too.
     */
    static Stream<EqualityCase> convCases() {
        return EqualityCase.convolutions().stream();
    }

    static void assumeVariant(LutKernelVariant v) {
        assumeTrue(v != LutKernelVariant.SMEM16 || LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin()),
                "the device allows " + context.sharedMemoryPerBlockOptin() + " bytes of shared memory per block");
    }

    static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + ": output " + i + " differs: CPU " + expected[i] + " vs CUDA " + actual[i]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("convCases")
    void convolutionEqualsTheCpuBitForBit(EqualityCase c) {
        assumeVariant(c.variant());
        Conv2dGeometry g = c.geometry();
        EqualityCase.Operands o = c.operands();
        if (c.variant() == LutKernelVariant.SMEM16) {
            assertTrue(LutKernelVariant.fits16Bits(o.table()));
        }

        CpuLutConv2d cpu = CpuLutConv2d.create(g, o.table(), o.weights(), o.activation(), o.bias());
        float[] expected = new float[c.batch() * g.outputSize()];
        cpu.forward(o.input(), c.batch(), expected);
        long[] expectedAcc = new long[expected.length];
        cpu.accumulators(o.input(), c.batch(), expectedAcc);
        float[] actual = new float[expected.length];
        long[] actualAcc = new long[expected.length];
        try (CudaLutConv2d k = CudaLutConv2d.create(context, g, o.table(), o.weights(), o.activation(), o.bias(), c.variant())) {
            assertEquals(c.variant(), k.variant());
            k.forward(o.input(), c.batch(), actual);
            k.accumulators(o.input(), c.batch(), actualAcc);
        }
        assertBitsEqual(expected, actual, c.toString());
        assertArrayEquals(expectedAcc, actualAcc, c + ": accumulators");
    }

    /** LeNet-like and degenerate dense shapes ({@link ConvShapes#dense()}) in the same combinations: {@link EqualityCase#denseLayers()}. */
    static Stream<EqualityCase> denseCases() {
        return EqualityCase.denseLayers().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denseCases")
    void denseEqualsTheCpuBitForBit(EqualityCase c) {
        assumeVariant(c.variant());
        int in = c.geometry().inChannels();
        int out = c.geometry().outChannels();
        EqualityCase.Operands o = c.operands();

        CpuLutDense cpu = new CpuLutDense(in, out, o.table(), o.weights(), o.activation(), o.bias());
        float[] expected = new float[c.batch() * out];
        cpu.forward(o.input(), c.batch(), expected);
        long[] expectedAcc = new long[expected.length];
        cpu.accumulators(o.input(), c.batch(), expectedAcc);
        float[] actual = new float[expected.length];
        long[] actualAcc = new long[expected.length];
        try (CudaLutDense k = CudaLutDense.create(context, in, out, o.table(), o.weights(), o.activation(), o.bias(), c.variant())) {
            k.forward(o.input(), c.batch(), actual);
            k.accumulators(o.input(), c.batch(), actualAcc);
        }
        assertBitsEqual(expected, actual, "dense " + in + " -> " + out + " " + c.scheme() + " " + c.variant());
        assertArrayEquals(expectedAcc, actualAcc, c + ": accumulators");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.axdse.kernel.cuda.check.EqualityCase#beyondInt32")
    void accumulatorsBeyondInt32AreExact(EqualityCase c) {
        EqualityCase.Operands o = c.operands();
        Conv2dGeometry g = c.geometry();
        long[] expected = new long[c.batch() * g.outputSize()];
        long[] actual = new long[expected.length];
        if (c.dense()) {
            new CpuLutDense(g.inChannels(), g.outChannels(), o.table(), o.weights(), o.activation(), o.bias())
                    .accumulators(o.input(), c.batch(), expected);
            try (CudaLutDense k = CudaLutDense.create(context, g.inChannels(), g.outChannels(), o.table(), o.weights(),
                    o.activation(), o.bias(), c.variant())) {
                k.accumulators(o.input(), c.batch(), actual);
            }
        } else {
            CpuLutConv2d.create(g, o.table(), o.weights(), o.activation(), o.bias()).accumulators(o.input(), c.batch(), expected);
            try (CudaLutConv2d k = CudaLutConv2d.create(context, g, o.table(), o.weights(), o.activation(), o.bias(), c.variant())) {
                k.accumulators(o.input(), c.batch(), actual);
            }
        }
        assertTrue(Arrays.stream(expected).anyMatch(v -> Math.abs(v) > Integer.MAX_VALUE), "some sum is beyond int32");
        assertArrayEquals(expected, actual, c.toString());
    }

    @Test
    void sumsBeyondInt32AreExact() {
        int[] e = new int[MultiplierTable.ENTRIES];
        Arrays.fill(e, MultiplierTable.MAX_SIGNED_MAGNITUDE);
        MultiplierTable huge = MultiplierTable.of("huge", Signedness.SIGNED, e);
        Conv2dGeometry g = Conv2dGeometry.builder(256, 3, 3, 2, 3, 3).padding(1).build(); // K = 2304
        Random r = new Random(5);
        float[] input = TestTables.randomFloats(r, g.inputSize(), -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), 2, false);
        float[] expected = new float[g.outputSize()];
        CpuLutConv2d.create(g, huge, w, act, null).forward(input, 1, expected);
        float[] actual = new float[expected.length];
        try (CudaLutConv2d k = CudaLutConv2d.create(context, g, huge, w, act, null)) {
            assertEquals(LutKernelVariant.LDG, k.variant());
            k.forward(input, 1, actual);
        }
        assertBitsEqual(expected, actual, "K x 2^20 > 2^31");
        float[] dense = new float[2];
        float[] denseCpu = new float[2];
        new CpuLutDense(2304, 2, huge, w, act, null).forward(input, 1, denseCpu);
        try (CudaLutDense k = CudaLutDense.create(context, 2304, 2, huge, w, act, null)) {
            k.forward(input, 1, dense);
        }
        assertBitsEqual(denseCpu, dense, "dense K x 2^20 > 2^31");
    }

    @Test
    void oneKernelServesBatchesOfAnySizeReusingItsBuffers() {
        Conv2dGeometry g = Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).padding(1).build();
        Random r = new Random(11);
        MultiplierTable lut = TestTables.randomTable(Signedness.UNSIGNED, 11);
        QuantParams act = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1f, 2f);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), true);
        CpuLutConv2d cpu = CpuLutConv2d.create(g, lut, w, act, null);
        try (CudaLutKernels backend = new CudaLutKernels(context);
             CudaLutConv2d k = CudaLutConv2d.create(context, g, lut, w, act, null)) {
            assertEquals("cuda:0", backend.name());
            for (int batch : new int[] {3, 40, 1, 17, 40}) {
                float[] input = TestTables.randomFloats(r, batch * g.inputSize(), -1.5f, 2.5f);
                float[] expected = new float[batch * g.outputSize()];
                cpu.forward(input, batch, expected);
                float[] actual = new float[expected.length];
                k.forward(input, batch, actual);
                assertBitsEqual(expected, actual, "batch " + batch);
                float[] viaBackend = new float[expected.length];
                try (var shared = backend.conv2d(g, lut, w, act, null)) {
                    shared.forward(input, batch, viaBackend);
                }
                assertBitsEqual(expected, viaBackend, "batch " + batch + " through the backend");
            }
        }
    }

    @Test
    void theForwardPassOnTheGpuEqualsTheCpuPass() throws IOException {
        byte[] model;
        try (InputStream in = CudaLutKernelsGpuTest.class.getResourceAsStream("/onnx/residual.onnx")) {
            assumeTrue(in != null, "test model residual.onnx");
            model = in.readAllBytes();
        }
        Network net = OnnxImporter.load(model, "residual.onnx");
        float[] x = TestTables.randomFloats(new Random(3), 9 * net.inputSize(), -1f, 1f);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 9, 9);
        int n = net.layers().size();
        List<Assignment> as = new ArrayList<>();
        as.add(Assignment.uniform(MultiplierTable.exact(Signedness.UNSIGNED), n));
        as.add(Assignment.uniform(TestTables.randomTable(Signedness.SIGNED, 4), n));
        as.add(Assignment.uniform(MultiplierTable.exact(Signedness.SIGNED), n));
        List<MultiplierTable> mixed = new ArrayList<>(as.get(0).tables());
        mixed.set(1, null);
        mixed.set(2, TestTables.randomTable(Signedness.UNSIGNED, 5));
        as.add(Assignment.of(mixed));
        for (QuantConfig quant : List.of(QuantConfig.DEFAULT, new QuantConfig(QuantConfig.RangeMode.PER_BATCH, true))) {
            LayerRanges rs = quant.ranges() == QuantConfig.RangeMode.PER_BATCH ? null : ranges;
            List<float[]> cpu = new ForwardPass(net, quant, rs).logits(x, 9, as);
            try (CudaLutKernels backend = new CudaLutKernels(context); ForwardPass gpu = new ForwardPass(net, quant, rs, backend)) {
                List<float[]> onGpu = gpu.logits(x, 9, as);
                for (int i = 0; i < as.size(); i++) {
                    assertBitsEqual(cpu.get(i), onGpu.get(i), as.get(i) + " " + quant);
                }
            }
        }
    }

    @Test
    void threadsShareOneContextWithTheirOwnKernels() throws Exception {
        Conv2dGeometry g = Conv2dGeometry.builder(16, 16, 16, 32, 3, 3).padding(1).build();
        Random r = new Random(21);
        MultiplierTable lut = TestTables.randomTable(Signedness.SIGNED, 21);
        float[] input = TestTables.randomFloats(r, 8 * g.inputSize(), -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                TestTables.randomFloats(r, g.weightSize(), -1f, 1f), g.outChannels(), true);
        float[] expected = new float[8 * g.outputSize()];
        CpuLutConv2d.create(g, lut, w, act, null).forward(input, 8, expected);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    float[] out = new float[expected.length];
                    try (CudaLutConv2d k = CudaLutConv2d.create(context, g, lut, w, act, null)) {
                        for (int rep = 0; rep < 5; rep++) {
                            k.forward(input, 8, out);
                        }
                    }
                    return out;
                }));
            }
            for (Future<float[]> f : results) {
                assertBitsEqual(expected, f.get(), "thread result");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void outOfMemoryIsACudaFailureAndTheContextStaysUsable() {
        CudaFailureException e = assertThrows(CudaFailureException.class,
                () -> DeviceBuffer.allocate(context, "too much", 4 * context.totalMemory()).close());
        assertTrue(e.getMessage().startsWith("cuda:0: cannot allocate ") && e.getMessage().contains("too much"), e.getMessage());
        oneKernelServesBatchesOfAnySizeReusingItsBuffers();
    }

    record Bench(String label, int batch, Conv2dGeometry geometry) {
    }

    @Test
    void throughput() {
        List<Bench> benches = List.of(
                new Bench("LeNet conv2 6x13x13 -> 16 3x3", 1024, Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build()),
                new Bench("ResNet-8 stage 1 16x32x32 -> 16 3x3", 256, Conv2dGeometry.builder(16, 32, 32, 16, 3, 3).padding(1).build()),
                new Bench("ResNet-8 stage 3 64x8x8 -> 64 3x3", 256, Conv2dGeometry.builder(64, 8, 8, 64, 3, 3).padding(1).build()),
                new Bench("dense 1936 -> 120", 1024, Conv2dGeometry.dense(1936, 120)));
        Random r = new Random(8);
        for (Bench b : benches) {
            Conv2dGeometry g = b.geometry();
            boolean dense = g.inHeight() == 1 && g.inWidth() == 1 && g.kernelH() == 1 && b.label().startsWith("dense");
            float[] input = TestTables.randomFloats(r, b.batch() * g.inputSize(), -1f, 1f);
            float[] out = new float[b.batch() * g.outputSize()];
            for (Signedness s : Signedness.values()) {
                QuantScheme scheme = QuantScheme.forSignedness(s);
                QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
                QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, g.weightSize(), -1f, 1f),
                        g.outChannels(), true);
                for (LutKernelVariant v : LutKernelVariant.values()) {
                    if (v == LutKernelVariant.SMEM16 && !LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin())) {
                        continue;
                    }
                    MultiplierTable lut = table(s, v, 8);
                    try (var k = dense ? CudaLutDense.create(context, g.inChannels(), g.outChannels(), lut, w, act, null, v)
                            : CudaLutConv2d.create(context, g, lut, w, act, null, v)) {
                        for (int i = 0; i < 3; i++) {
                            k.forward(input, b.batch(), out);
                        }
                        int iterations = 0;
                        long t0 = System.nanoTime();
                        long elapsed;
                        do {
                            k.forward(input, b.batch(), out);
                            iterations++;
                            elapsed = System.nanoTime() - t0;
                        } while (elapsed < 500_000_000L && iterations < 200);
                        double macs = (double) g.macsPerImage() * b.batch() * iterations;
                        System.out.printf(Locale.ROOT, "CUDA %s batch %d %s %s: %.1f GMAC/s (%.3f ms per batch, transfers included)%n",
                                b.label(), b.batch(), s.name().toLowerCase(), v, macs / elapsed, elapsed / 1e6 / iterations);
                    }
                }
            }
        }
    }
}
