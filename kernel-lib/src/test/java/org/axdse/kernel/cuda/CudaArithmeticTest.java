package org.axdse.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.ConvShapes;
import org.axdse.kernel.conv.ConvShapes.Shape;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.conv.CpuLutDense;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CUDA kernels' arithmetic core ({@code src/main/kernels/lut_arith.cuh}: quantization, index formation,
 * exact accumulation with the zero-point terms, float output), compiled for the host with the system C++
 * compiler and run through the same per-element functions the kernel bodies call
 * ({@code src/test/kernels/arith_check.cpp}), equals the Java CPU kernels bit for bit: every code, every
 * int64 accumulator and every float output, on the awkward shapes of the CPU tests, both schemes, per-tensor
 * and per-channel weights, random asymmetric tables (16-bit and int32, sums beyond int32) and NaN/inf inputs.
 * Both table placements are checked: the int32 table of the {@code *_ldg} kernels and, where the table fits,
 * the 16-bit table of the {@code *_smem16} kernels. Runs without a GPU; skips where g++ is absent.
 */
class CudaArithmeticTest {
    private static final int MODE_QUANTIZE = 1;
    private static final int MODE_CONV = 2;
    private static final int MODE_DENSE = 3;
    private static final int MODE_POSITIONS = 4;

    @TempDir
    static Path tmp;
    private static Path driver;

    @BeforeAll
    static void compileTheDriver() throws Exception {
        Path gxx = NativeTools.find("g++", "/usr/bin/g++").orElse(null);
        Assumptions.assumeTrue(gxx != null, "g++ not found: cannot compile the arithmetic core for the host");
        Path module = NativeTools.moduleDir();
        driver = tmp.resolve("arith_check");
        NativeTools.Result r = NativeTools.run(module, Map.of(), 120, List.of(gxx.toString(), "-O2", "-std=c++17",
                "-ffp-contract=off", "-fno-fast-math", "-Wall", "-Werror", "-I", NativeTools.KERNELS, "-o",
                driver.toString(), "src/test/kernels/arith_check.cpp"));
        assertEquals(0, r.exitCode(), "g++ failed on arith_check.cpp / lut_arith.cuh:\n" + r.output());
    }

    // ---------------------------------------------------------------------------------------------------
    // Quantization

    @Test
    void quantizationEqualsQuantParamsForEveryFloatClass() throws Exception {
        List<QuantParams> params = List.of(
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 1f, 0),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 1f, 128),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 0.1f, 37),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 4f / 255f, 64),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 0.0078125f, 255),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 3e-38f, 200),
                new QuantParams(QuantScheme.UNSIGNED_AFFINE, 1e30f, 10),
                QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1.3f, 2.7f),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 1f, 0),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 0.1f, 0),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 2.7f / 127f, 0),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 3e-38f, 0),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, Float.MIN_VALUE, 0),
                new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 1e30f, 0));
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffffffff),
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MIN_NORMAL, 0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f,
                127.5f, -127.5f, -128.5f, 254.5f, 255.5f, 256f, 1e10f, -1e10f, 0.49999997f, -0.49999997f};
        Random r = new Random(7);
        List<Float> xs = new ArrayList<>();
        List<QuantParams> ps = new ArrayList<>();
        for (QuantParams p : params) {
            List<Float> mine = new ArrayList<>();
            for (float x : special) {
                mine.add(x);
                mine.add(x * p.scale()); // the same value in code units
            }
            for (int k = -300; k <= 300; k++) {
                // Ties of both roundings and their neighbours: x / scale lands on or next to k + 0.5 - zp.
                float tie = (k + 0.5f - p.zeroPoint()) * p.scale();
                mine.add(tie);
                mine.add(Math.nextUp(tie));
                mine.add(Math.nextDown(tie));
                mine.add(k * p.scale());
            }
            for (int i = 0; i < 2000; i++) {
                mine.add((r.nextFloat() * 600f - 300f) * p.scale());
                mine.add(Float.intBitsToFloat(r.nextInt())); // every exponent, NaN payloads, infinities
            }
            xs.addAll(mine);
            for (int i = 0; i < mine.size(); i++) {
                ps.add(p);
            }
        }
        ByteBuffer in = buffer(8 + 16L * xs.size());
        in.putInt(MODE_QUANTIZE).putInt(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            QuantParams p = ps.get(i);
            in.putFloat(xs.get(i)).putInt(p.scheme().ordinal()).putFloat(p.scale()).putInt(p.zeroPoint());
        }
        ByteBuffer out = runDriver(in, "quantize");
        for (int i = 0; i < xs.size(); i++) {
            QuantParams p = ps.get(i);
            float x = xs.get(i);
            assertEquals(p.quantize(x) & 0xFF, out.getInt(),
                    () -> "code pattern of " + x + " (bits 0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") under " + p);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Convolution and dense

    /** How a case's table is built: which placement it can take. */
    enum TableKind {
        /** Random unsigned table, entries 0..65535 (fits the 16-bit placement, zero-extended). */
        UNSIGNED,
        /** Random signed table with an entry of -2^20: only the int32 placement. */
        SIGNED_INT32,
        /** Random signed table spanning exactly -32768..32767 (fits the 16-bit placement, sign-extended). */
        SIGNED_INT16;

        Signedness signedness() {
            return this == UNSIGNED ? Signedness.UNSIGNED : Signedness.SIGNED;
        }

        MultiplierTable table(long seed) {
            MultiplierTable t = TestTables.randomTable(signedness(), seed);
            if (this != SIGNED_INT16) {
                return t;
            }
            int[] e = t.entries().clone();
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.max(-32768, Math.min(32767, e[i]));
            }
            e[7 << 8] = -32768;
            e[(255 << 8) | 1] = 32767;
            return MultiplierTable.of("random-signed16-" + seed, Signedness.SIGNED, e);
        }
    }

    /** CpuLutConv2dTest's awkward shapes, and a few more. */
    static List<Shape> shapes() {
        List<Shape> s = new ArrayList<>();
        for (Shape shape : ConvShapes.awkward()) { // the 115x115 one would make the host check slow; 37x37 below instead
            if (!shape.label().contains("115x115")) {
                s.add(shape);
            }
        }
        s.add(new Shape("b1 c3 37x37 oc7 3x3 SAME", 1, Conv2dGeometry.builder(3, 37, 37, 7, 3, 3).samePadding().build()));
        s.add(new Shape("b3 c1 37x37 oc3 5x5 s2 VALID", 3, Conv2dGeometry.builder(1, 37, 37, 3, 5, 5).stride(2).validPadding().build()));
        s.add(new Shape("b2 c4 17x19 oc6 3x2 s(2,1) dilation(3,2) pad 1,2,3,0 groups2", 2,
                new Conv2dGeometry(4, 17, 19, 6, 3, 2, 2, 1, 3, 2, 1, 2, 3, 0, 2)));
        s.add(new Shape("b3 c23 3x3 oc23 3x3 pad 3 (mostly padding)", 3, Conv2dGeometry.builder(23, 3, 3, 23, 3, 3).padding(3).build()));
        return s;
    }

    /**
     * Activation and weight ranges that drive the zero points through their whole range: asymmetric
     * (0 < zp < 255), all positive (zp 0) and all negative (zp 255).
     */
    static final float[][] RANGES = {{-1.3f, 2.7f}, {0.5f, 3f}, {-4f, -0.5f}};

    static Stream<Arguments> convCases() {
        List<Arguments> args = new ArrayList<>();
        long seed = 100;
        for (Shape shape : shapes()) {
            for (TableKind kind : TableKind.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    args.add(Arguments.of(shape, kind, perChannel, seed++));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1} perChannel={2}")
    @MethodSource("convCases")
    void convolutionEqualsCpuLutConv2dBitForBit(Shape shape, TableKind kind, boolean perChannel, long seed) throws Exception {
        Random r = new Random(seed);
        Conv2dGeometry g = shape.geometry();
        QuantScheme scheme = QuantScheme.forSignedness(kind.signedness());
        float[] in = RANGES[(int) (seed % 3)];
        float[] wr = RANGES[(int) (seed / 3 % 3)];
        float[] input = TestTables.randomFloats(r, shape.batch() * g.inputSize(), in[0], in[1]);
        QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, g.weightSize(), wr[0], wr[1]),
                g.outChannels(), perChannel);
        float[] bias = seed % 4 == 0 ? null : TestTables.randomFloats(r, g.outChannels(), -2f, 2f);
        checkConv(shape.batch(), g, kind.table(seed), w, act, bias, input, kind != TableKind.SIGNED_INT32);
    }

    @Test
    void inputsThatAreNotFiniteQuantizeAsInJava() throws Exception {
        for (QuantScheme scheme : QuantScheme.values()) {
            Conv2dGeometry g = Conv2dGeometry.builder(3, 9, 9, 4, 3, 3).padding(1).build();
            Random r = new Random(21);
            float[] input = TestTables.randomFloats(r, 2 * g.inputSize(), -1f, 3f);
            QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
            float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, -Float.MAX_VALUE,
                    -0f, Float.MIN_VALUE, 1e20f, -1e20f};
            for (int i = 0; i < input.length; i += 5) {
                input[i] = odd[(i / 5) % odd.length];
            }
            QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, g.weightSize(), -1f, 1f), 4, true);
            MultiplierTable t = TestTables.randomTable(scheme.signedness(), 21);
            checkConv(2, g, t, w, act, TestTables.randomFloats(r, 4, -1f, 1f), input, scheme == QuantScheme.UNSIGNED_AFFINE);
            QuantizedWeights dense = QuantizedWeights.quantize(scheme,
                    TestTables.randomFloats(r, 4 * g.inputSize(), -1f, 1f), 4, false);
            checkDense(2, g.inputSize(), 4, t, dense, act, null, input, scheme == QuantScheme.UNSIGNED_AFFINE);
        }
    }

    static Stream<Arguments> denseCases() {
        List<Arguments> args = new ArrayList<>();
        long seed = 500;
        int[][] shapes = {{1, 1, 1}, {3, 115, 23}, {1, 23, 115}, {3, 1, 10}, {2, 1000, 3}};
        for (int[] s : shapes) {
            for (TableKind kind : TableKind.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    args.add(Arguments.of(s[0], s[1], s[2], kind, perChannel, seed++));
                }
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "b{0} dense {1}->{2} {3} perChannel={4}")
    @MethodSource("denseCases")
    void denseEqualsCpuLutDenseBitForBit(int batch, int in, int out, TableKind kind, boolean perChannel, long seed)
            throws Exception {
        Random r = new Random(seed);
        QuantScheme scheme = QuantScheme.forSignedness(kind.signedness());
        float[] ir = RANGES[(int) (seed % 3)];
        float[] wr = RANGES[(int) (seed / 3 % 3)];
        float[] input = TestTables.randomFloats(r, batch * in, ir[0], ir[1]);
        QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(scheme, TestTables.randomFloats(r, out * in, wr[0], wr[1]), out,
                perChannel);
        float[] bias = seed % 4 == 0 ? null : TestTables.randomFloats(r, out, -2f, 2f);
        checkDense(batch, in, out, kind.table(seed), w, act, bias, input, kind != TableKind.SIGNED_INT32);
    }

    @Test
    void sumsBeyondInt32AreExact() throws Exception {
        Random r = new Random(31);
        // Signed: entries near +-2^20 over 2304 taps; unsigned: entries near 65535 over 40,000 inputs.
        for (int sign : new int[] {1, -1}) {
            int[] e = new int[MultiplierTable.ENTRIES];
            for (int i = 0; i < e.length; i++) {
                e[i] = sign * (MultiplierTable.MAX_SIGNED_MAGNITUDE - r.nextInt(1000));
            }
            MultiplierTable huge = MultiplierTable.of("huge" + sign, Signedness.SIGNED, e);
            Conv2dGeometry g = Conv2dGeometry.builder(256, 3, 3, 2, 3, 3).padding(1).build();
            float[] input = TestTables.randomFloats(r, g.inputSize(), -1f, 1f);
            QuantParams act = QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC, input, 0, input.length);
            QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                    TestTables.randomFloats(r, g.weightSize(), -1f, 1f), 2, true);
            long[] acc = checkConv(1, g, huge, w, act, new float[] {0.5f, -0.25f}, input, false);
            assertTrue(Arrays.stream(acc).allMatch(v -> Math.abs(v) > Integer.MAX_VALUE), "sums exceed int32");
        }
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            e[i] = 0xFFFF - r.nextInt(100);
        }
        MultiplierTable wide = MultiplierTable.of("wide", Signedness.UNSIGNED, e);
        int k = 40_000;
        float[] input = TestTables.randomFloats(r, 2 * k, 0f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE,
                TestTables.randomFloats(r, 3 * k, 0f, 1f), 3, false);
        long[] acc = checkDense(2, k, 3, wide, w, act, null, input, true);
        assertTrue(Arrays.stream(acc).allMatch(v -> v > Integer.MAX_VALUE), "sums exceed int32");
    }

    @Test
    void outputIndexesSplitIntoPositionsBelowAndAbove2To31() throws Exception {
        // 70,000 images of 23 x 37 x 41 outputs: 2.4e9 elements, so indexes take both the 32- and the 64-bit path.
        int n = 70_000;
        int o = 23;
        int oh = 37;
        int ow = 41;
        long total = (long) n * o * oh * ow;
        Random r = new Random(41);
        List<Long> indexes = new ArrayList<>(List.of(0L, 1L, (long) ow, (long) oh * ow - 1, Integer.MAX_VALUE - 1L,
                (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, total - 1));
        for (int i = 0; i < 2000; i++) {
            indexes.add(Math.floorMod(r.nextLong(), total));
        }
        ByteBuffer in = buffer(24 + 8L * indexes.size());
        in.putInt(MODE_POSITIONS).putInt(n).putInt(o).putInt(oh).putInt(ow).putInt(indexes.size());
        indexes.forEach(in::putLong);
        ByteBuffer out = runDriver(in, "positions");
        for (long index : indexes) {
            int[] expected = {(int) (index / ((long) o * oh * ow)), (int) (index / ((long) oh * ow) % o),
                    (int) (index / ow % oh), (int) (index % ow)};
            int[] actual = {out.getInt(), out.getInt(), out.getInt(), out.getInt()};
            assertEquals(Arrays.toString(expected), Arrays.toString(actual), "conv position (n, oc, oy, ox) of " + index);
            assertEquals(index / o, out.getLong(), "dense row of " + index);
            assertEquals(index % o, out.getInt(), "dense column of " + index);
        }
        assertEquals(0, out.remaining());
    }

    // ---------------------------------------------------------------------------------------------------
    // The comparisons

    /** Runs both sides on a convolution and compares codes, accumulators and outputs; returns the accumulators. */
    private static long[] checkConv(int batch, Conv2dGeometry g, MultiplierTable t, QuantizedWeights w, QuantParams act,
                                    float[] bias, float[] input, boolean fits16) throws Exception {
        long[] acc = new long[batch * g.outputSize()];
        float[] out = new float[acc.length];
        CpuLutConv2d cpu = CpuLutConv2d.create(g, t, w, act, bias);
        cpu.accumulators(input, batch, acc);
        cpu.forward(input, batch, out);

        ByteBuffer b = buffer(4L * (20 + input.length + 3L * g.outChannels() + MultiplierTable.ENTRIES) + g.weightSize());
        b.putInt(MODE_CONV).putInt(act.scheme().ordinal()).putFloat(act.scale()).putInt(act.zeroPoint());
        for (int v : new int[] {batch, g.inChannels(), g.inHeight(), g.inWidth(), g.outChannels(), g.kernelH(),
                g.kernelW(), g.outHeight(), g.outWidth(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(),
                g.dilationH(), g.dilationW(), g.groups()}) {
            b.putInt(v);
        }
        putOperands(b, input, w, bias, t);
        compare(runDriver(b, g + " batch " + batch), act, input, acc, out, fits16, g + " batch " + batch);
        return acc;
    }

    /** As {@link #checkConv} for a dense layer. */
    private static long[] checkDense(int batch, int in, int outFeatures, MultiplierTable t, QuantizedWeights w,
                                     QuantParams act, float[] bias, float[] input, boolean fits16) throws Exception {
        long[] acc = new long[batch * outFeatures];
        float[] out = new float[acc.length];
        CpuLutDense cpu = new CpuLutDense(in, outFeatures, t, w, act, bias);
        cpu.accumulators(input, batch, acc);
        cpu.forward(input, batch, out);

        ByteBuffer b = buffer(4L * (7 + input.length + 3L * outFeatures + MultiplierTable.ENTRIES) + (long) in * outFeatures);
        b.putInt(MODE_DENSE).putInt(act.scheme().ordinal()).putFloat(act.scale()).putInt(act.zeroPoint());
        b.putInt(batch).putInt(in).putInt(outFeatures);
        putOperands(b, input, w, bias, t);
        String what = "dense " + in + "->" + outFeatures + " batch " + batch;
        compare(runDriver(b, what), act, input, acc, out, fits16, what);
        return acc;
    }

    /** Input floats, weight byte patterns, per-channel scale and zero point (replicated when per tensor), bias, table. */
    private static void putOperands(ByteBuffer b, float[] input, QuantizedWeights w, float[] bias, MultiplierTable t) {
        for (float x : input) {
            b.putFloat(x);
        }
        int size = w.outChannels() * w.perChannelSize();
        for (int i = 0; i < size; i++) {
            b.put((byte) w.code(i));
        }
        for (int oc = 0; oc < w.outChannels(); oc++) {
            b.putFloat(w.scale(oc));
        }
        for (int oc = 0; oc < w.outChannels(); oc++) {
            b.putInt(w.zeroPoint(oc));
        }
        for (int oc = 0; oc < w.outChannels(); oc++) {
            b.putFloat(bias == null ? 0f : bias[oc]);
        }
        for (int v : t.entries()) {
            b.putInt(v);
        }
    }

    private static void compare(ByteBuffer res, QuantParams act, float[] input, long[] acc, float[] out, boolean fits16,
                                String what) {
        for (int i = 0; i < input.length; i++) {
            int expected = act.quantize(input[i]) & 0xFF;
            int actual = res.get() & 0xFF;
            if (expected != actual) {
                assertEquals(expected, actual, what + ": code of input " + i + " = " + input[i]);
            }
        }
        compareOutputs(res, acc, out, what + " (int32 table)");
        assertEquals(fits16, res.getInt() != 0, what + ": whether the table fits the 16-bit placement");
        if (fits16) {
            compareOutputs(res, acc, out, what + " (16-bit table)");
        }
        assertEquals(0, res.remaining(), what + ": unread driver output");
    }

    private static void compareOutputs(ByteBuffer res, long[] acc, float[] out, String what) {
        for (int i = 0; i < acc.length; i++) {
            long actual = res.getLong();
            if (acc[i] != actual) {
                assertEquals(acc[i], actual, what + ": accumulator " + i);
            }
        }
        for (int i = 0; i < out.length; i++) {
            int actual = res.getInt();
            if (Float.floatToRawIntBits(out[i]) != actual) {
                assertEquals(out[i], Float.intBitsToFloat(actual), what + ": output " + i + " (bits)");
                assertEquals(Float.floatToRawIntBits(out[i]), actual, what + ": output " + i + " bits");
            }
        }
    }

    private static ByteBuffer buffer(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int runs;

    /** Writes {@code in} (filled up to its position) for the driver, runs it, returns its output. */
    private static ByteBuffer runDriver(ByteBuffer in, String what) throws IOException, InterruptedException {
        assertEquals(0, in.remaining(), what + ": input buffer size");
        int id = runs++;
        Path inFile = tmp.resolve("in" + id + ".bin");
        Path outFile = tmp.resolve("out" + id + ".bin");
        Files.write(inFile, in.array());
        NativeTools.Result r = NativeTools.run(tmp, Map.of(), 60, List.of(driver.toString(), inFile.toString(),
                outFile.toString()));
        assertEquals(0, r.exitCode(), what + ": arith_check failed:\n" + r.output());
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(outFile)).order(ByteOrder.LITTLE_ENDIAN);
        Files.delete(inFile);
        Files.delete(outFile);
        return out;
    }
}
