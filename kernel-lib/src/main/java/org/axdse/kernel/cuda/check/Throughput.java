package org.axdse.kernel.cuda.check;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.conv.CpuLutDense;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.cuda.CudaContext;
import org.axdse.kernel.cuda.CudaLutConv2d;
import org.axdse.kernel.cuda.CudaLutDense;
import org.axdse.kernel.cuda.LutKernelVariant;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * G LUT-MAC/s (10^9 table-lookup multiply-accumulates per second) of the LUT kernels on the benchmark layers, CPU
 * and CUDA in the same run. Every figure is the median of several timed repetitions after a warm-up (the CPU
 * kernels' vector loops are compiled by C2 before the first CPU figure, by {@code KernelWarmUp.runNow()} in {@link GpuCheck}, and each
 * layer warms up until its calls stop getting faster); a repetition repeats the call until it lasts at least a
 * minimum time. CPU figures are one thread (one kernel instance, as one Spark task runs it), at a smaller batch
 * than the device's (the rate per MAC hardly depends on it, and the check must stay short). CUDA figures come
 * twice: the kernel alone ({@code CudaLutLayer#timeKernel}: launches back to back on codes already on the device)
 * and a whole {@code forward} call (upload, quantization, kernel, download from and to Java arrays).
 */
final class Throughput {
    private Throughput() {
    }

    /**
     * A benchmark layer.
     *
     * @param label       what it is
     * @param geometry    the convolution ({@link Conv2dGeometry#dense} for a dense layer)
     * @param dense       whether it runs the dense kernels
     * @param deviceBatch images per CUDA call
     * @param cpuBatch    images per CPU call
     */
    record Bench(String label, Conv2dGeometry geometry, boolean dense, int deviceBatch, int cpuBatch) {
    }

    /**
     * @return the layers of the kernel benchmarks (LeNet-5's second convolution and first dense layer, ResNet-8's
     *         first and last stage), and ResNet-8's first stage at a large batch
     */
    static List<Bench> benches() {
        Conv2dGeometry resnetStage1 = Conv2dGeometry.builder(16, 32, 32, 16, 3, 3).padding(1).build();
        return List.of(
                new Bench("LeNet conv2 6x13x13 -> 16 3x3", Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build(), false, 1024, 256),
                new Bench("ResNet-8 stage 1 16x32x32 -> 16 3x3 pad1", resnetStage1, false, 256, 32),
                new Bench("ResNet-8 stage 3 64x8x8 -> 64 3x3 pad1", Conv2dGeometry.builder(64, 8, 8, 64, 3, 3).padding(1).build(),
                        false, 256, 64),
                new Bench("LeNet fc1 dense 1936 -> 120", Conv2dGeometry.dense(1936, 120), true, 1024, 256),
                new Bench("ResNet-8 stage 1, large batch", resnetStage1, false, 4096, 128));
    }

    /**
     * How long to measure.
     *
     * @param warmSeconds   warm-up time before the timed repetitions (at least two calls)
     * @param repetitions   timed repetitions; the figure is their median
     * @param minRepSeconds a repetition repeats the call until it lasts at least this long
     */
    record Settings(double warmSeconds, int repetitions, double minRepSeconds) {
        /** The CPU's settings: full or {@code --quick}. */
        static Settings cpu(boolean quick) {
            return quick ? new Settings(0.3, 3, 0.05) : new Settings(1.0, 5, 0.1);
        }

        /** The device's settings (its calls are short; the driver needs no long warm-up). */
        static Settings device(boolean quick) {
            return quick ? new Settings(0.1, 3, 0.02) : new Settings(0.2, 5, 0.05);
        }
    }

    /**
     * One figure.
     *
     * @param layer        the bench's label
     * @param kind         {@code conv} or {@code dense}
     * @param macsPerImage LUT-MACs per image
     * @param backend      {@code cpu} or {@code cuda}
     * @param scheme       quantization scheme
     * @param table        the table's name
     * @param variant      CUDA table variant, null on the CPU
     * @param timing       {@code 1 thread} (CPU), {@code kernel only} or {@code with transfers} (CUDA)
     * @param batch        images per call
     * @param median       G LUT-MAC/s, median over the repetitions
     * @param min          slowest repetition, G LUT-MAC/s
     * @param max          fastest repetition, G LUT-MAC/s
     * @param msPerBatch   milliseconds per call at the median
     * @param repetitions  timed repetitions
     * @param calls        calls (kernel launches) per repetition
     * @param error        the failure, or null
     */
    record Figure(String layer, String kind, long macsPerImage, String backend, String scheme, String table, String variant,
                  String timing, int batch, double median, double min, double max, double msPerBatch, int repetitions, int calls,
                  String error) {
        static Figure failed(Bench b, String backend, String scheme, String variant, String timing, int batch, Throwable e) {
            return new Figure(b.label(), b.dense() ? "dense" : "conv", b.geometry().macsPerImage(), backend, scheme, null, variant,
                    timing, batch, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Receives each figure as soon as it is measured. */
    interface Sink {
        void accept(Figure f);
    }

    /**
     * Measures every bench, both schemes: the CPU kernel, then (when {@code context} is not null) each CUDA variant
     * the device allows, kernel only and with transfers.
     *
     * @param context the device, or null for CPU figures only
     * @param quick   shorter warm-ups and fewer repetitions
     * @param sink    receives the figures
     */
    static void run(CudaContext context, boolean quick, Sink sink) {
        for (Bench b : benches()) {
            Conv2dGeometry g = b.geometry();
            for (Signedness s : Signedness.values()) {
                QuantScheme scheme = QuantScheme.forSignedness(s);
                String schemeName = scheme.name().toLowerCase().replace('_', '-');
                Random r = new Random(8);
                int images = context == null ? b.cpuBatch() : Math.max(b.cpuBatch(), b.deviceBatch());
                float[] input = CheckTables.randomFloats(r, images * g.inputSize(), -1f, 1f);
                float[] cpuInput = Arrays.copyOf(input, b.cpuBatch() * g.inputSize());
                QuantParams act = QuantParams.fromValues(scheme, cpuInput, 0, cpuInput.length);
                QuantizedWeights w = QuantizedWeights.quantize(scheme, CheckTables.randomFloats(r, g.weightSize(), -1f, 1f),
                        g.outChannels(), true);
                try {
                    MultiplierTable t = CheckTables.random16(s, 8);
                    LutKernel cpu = b.dense() ? new CpuLutDense(g.inChannels(), g.outChannels(), t, w, act, null)
                            : CpuLutConv2d.create(g, t, w, act, null);
                    float[] out = new float[b.cpuBatch() * g.outputSize()];
                    double[] m = measureCalls(() -> cpu.forward(cpuInput, b.cpuBatch(), out), g.macsPerImage() * b.cpuBatch(),
                            Settings.cpu(quick));
                    sink.accept(figure(b, "cpu", schemeName, t.name(), null, "1 thread", b.cpuBatch(), m));
                } catch (RuntimeException e) {
                    sink.accept(Figure.failed(b, "cpu", schemeName, null, "1 thread", b.cpuBatch(), e));
                }
                if (context == null) {
                    continue;
                }
                float[] deviceInput = input.length == b.deviceBatch() * g.inputSize() ? input
                        : Arrays.copyOf(input, b.deviceBatch() * g.inputSize());
                float[] out = new float[b.deviceBatch() * g.outputSize()];
                long macs = g.macsPerImage() * b.deviceBatch();
                for (LutKernelVariant v : LutKernelVariant.values()) {
                    if (v == LutKernelVariant.SMEM16 && !LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin())) {
                        continue;
                    }
                    MultiplierTable t = CheckTables.forVariant(s, v, 8);
                    try (LutKernel k = b.dense() ? CudaLutDense.create(context, g.inChannels(), g.outChannels(), t, w, act, null, v)
                            : CudaLutConv2d.create(context, g, t, w, act, null, v)) {
                        try {
                            double[] m = measureKernel(k, deviceInput, b.deviceBatch(), macs, Settings.device(quick));
                            sink.accept(figure(b, "cuda", schemeName, t.name(), v.name(), "kernel only", b.deviceBatch(), m));
                        } catch (RuntimeException e) {
                            sink.accept(Figure.failed(b, "cuda", schemeName, v.name(), "kernel only", b.deviceBatch(), e));
                        }
                        try {
                            double[] m = measureCalls(() -> k.forward(deviceInput, b.deviceBatch(), out), macs, Settings.device(quick));
                            sink.accept(figure(b, "cuda", schemeName, t.name(), v.name(), "with transfers", b.deviceBatch(), m));
                        } catch (RuntimeException e) {
                            sink.accept(Figure.failed(b, "cuda", schemeName, v.name(), "with transfers", b.deviceBatch(), e));
                        }
                    } catch (RuntimeException e) {
                        sink.accept(Figure.failed(b, "cuda", schemeName, v.name(), "kernel only", b.deviceBatch(), e));
                    }
                }
            }
        }
    }

    private static Figure figure(Bench b, String backend, String scheme, String table, String variant, String timing, int batch,
                                 double[] m) {
        return new Figure(b.label(), b.dense() ? "dense" : "conv", b.geometry().macsPerImage(), backend, scheme, table, variant,
                timing, batch, m[0], m[1], m[2], m[3], (int) m[4], (int) m[5], null);
    }

    /**
     * Times {@code call}: warm-up, then {@code repetitions} timed repetitions of as many calls as make one last
     * {@code minRepSeconds}.
     *
     * @return median, min and max G LUT-MAC/s, milliseconds per call at the median, repetitions, calls per repetition
     */
    static double[] measureCalls(Runnable call, long macsPerCall, Settings s) {
        long start = System.nanoTime();
        long last;
        long fastest = Long.MAX_VALUE;
        int warmCalls = 0;
        do {
            long t0 = System.nanoTime();
            call.run();
            last = System.nanoTime() - t0;
            fastest = Math.min(fastest, last);
            warmCalls++;
        } while (warmCalls < 3 || !warm(System.nanoTime() - start, last, fastest, s));
        int calls = callsPerRepetition(last / 1e9, s);
        double[] rates = new double[s.repetitions()];
        for (int rep = 0; rep < rates.length; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            rates[rep] = (double) macsPerCall * calls / (System.nanoTime() - t0); // MAC per ns = G MAC/s
        }
        return summary(rates, macsPerCall, calls);
    }

    /** As {@link #measureCalls} for the CUDA kernel alone: launches back to back, timed to the end of the last. */
    static double[] measureKernel(LutKernel kernel, float[] input, int batch, long macsPerLaunch, Settings s) {
        Timer timer = launches -> kernel instanceof CudaLutConv2d c ? c.timeKernel(input, batch, launches)
                : ((CudaLutDense) kernel).timeKernel(input, batch, launches);
        long start = System.nanoTime();
        double last;
        int warm = 0;
        do {
            last = timer.seconds(1);
            warm++;
        } while (warm < 2 || System.nanoTime() - start < s.warmSeconds() * 1e9);
        int launches = callsPerRepetition(last, s);
        double[] rates = new double[s.repetitions()];
        for (int rep = 0; rep < rates.length; rep++) {
            rates[rep] = (double) macsPerLaunch * launches / timer.seconds(launches) / 1e9;
        }
        return summary(rates, macsPerLaunch, launches);
    }

    /**
     * Whether the warm-up is over: after {@code warmSeconds}, once the last call is within 10 % of the fastest so far
     * (so the compiled loops run, not a first slower version), but never longer than four times {@code warmSeconds}.
     */
    private static boolean warm(long elapsedNanos, long last, long fastest, Settings s) {
        return elapsedNanos >= s.warmSeconds() * 4e9 || elapsedNanos >= s.warmSeconds() * 1e9 && last <= fastest * 1.1;
    }

    private interface Timer {
        double seconds(int launches);
    }

    private static int callsPerRepetition(double secondsPerCall, Settings s) {
        return (int) Math.max(1, Math.min(100_000, Math.ceil(s.minRepSeconds() / Math.max(secondsPerCall, 1e-7))));
    }

    private static double[] summary(double[] rates, long macsPerCall, int calls) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        double msPerCall = macsPerCall / median / 1e6; // MACs / (G MAC/s) = ns; / 1e6 = ms
        return new double[] {median, sorted[0], sorted[sorted.length - 1], msPerCall, rates.length, calls};
    }

    /** @return the CPU kernels' inner loops: convolution and dense (at batches of 16 and more) */
    static String[] cpuLoops() {
        Conv2dGeometry g = Conv2dGeometry.builder(1, 3, 3, 1, 3, 3).build();
        MultiplierTable t = MultiplierTable.exact(Signedness.UNSIGNED);
        QuantParams act = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 0f, 1f);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, new float[9], 1, false);
        return new String[] {CpuLutConv2d.create(g, t, w, act, null).innerLoop(),
                new CpuLutDense(9, 1, t, w, act, null).innerLoop()};
    }
}
