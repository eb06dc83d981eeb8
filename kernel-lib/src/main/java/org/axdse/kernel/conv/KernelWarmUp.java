package org.axdse.kernel.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the CPU kernels' vector loops before the first real batch needs them. Until C2 has compiled a
 * vector-API loop, it runs the API's portable Java fallback, which is 50-100x slower than the compiled loop
 * (measured: the first LeNet-5 pass over 2,560 images took 2.5-6 s where later passes take 0.4-0.6 s; thread
 * dumps showed the dense kernel in {@code ByteVector.compareTemplate}). {@link #start()} runs every loop
 * (every code path: row widths, tap blocks, 2 and 3 byte planes of the dense and depthwise loops, FP32 loops)
 * on small dummy layers in a low-priority daemon thread, typically while the caller loads the model, the library and the data; the
 * loops are then compiled whole (not only as on-stack replacements of a first long batch).
 *
 * <p>Results are discarded; the thread shares nothing with real kernels. Idempotent; does nothing when the
 * vector loops are not in use.
 */
public final class KernelWarmUp {
    /** Calls of each dummy layer: measured, the loops run compiled after 200-500 calls (the first takes about 1 s). */
    static final int CALLS = 600;

    private static final Logger LOG = LoggerFactory.getLogger(KernelWarmUp.class);
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private KernelWarmUp() {
    }

    /** System property: {@code false} turns the warm-up off (the kernels are the same, the first batches slower). */
    public static final String PROPERTY = "axdse.kernel.warm-up";

    /** Starts the warm-up thread once per JVM (later calls return at once). */
    public static void start() {
        if (!STARTED.compareAndSet(false, true) || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))
                || !TapAccumulators.best().name().equals("vector")) {
            return;
        }
        Thread t = new Thread(KernelWarmUp::runQuietly, "axdse-kernel-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Runs the warm-up in the calling thread and returns when it is done (benchmarks that time the CPU kernels
     * from their first call on: the GPU check). Independent of {@link #start()} and of the system property.
     */
    public static void runNow() {
        run(CALLS);
    }

    private static void runQuietly() {
        long t0 = System.nanoTime();
        try {
            run(CALLS);
            LOG.debug("CPU kernel warm-up done in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("CPU kernel warm-up failed (kernels stay correct, the first batches are slower): {}", e.toString());
        }
    }

    /** Runs each dummy layer {@code calls} times. */
    static void run(int calls) {
        Random r = new Random(1);
        List<Runnable> layers = new ArrayList<>();
        MultiplierTable narrow = dummyTable(r, 200);
        // Convolutions: 16-lane rows four positions at a time, 64 and 80 lanes (4 + 1 vectors); LUT and FP32.
        for (Conv2dGeometry g : List.of(Conv2dGeometry.builder(2, 5, 5, 6, 3, 3).build(),
                Conv2dGeometry.builder(3, 3, 3, 64, 1, 1).build(), Conv2dGeometry.builder(3, 3, 3, 80, 1, 1).build())) {
            int batch = 2;
            float[] x = randomFloats(r, batch * g.inputSize());
            float[] y = new float[batch * g.outputSize()];
            float[] wf = randomFloats(r, g.weightSize());
            QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, wf, g.outChannels(), false);
            CpuLutConv2d lut = CpuLutConv2d.create(g, narrow, w, QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 0f, 1f), null);
            CpuFloatConv2d fp32 = new CpuFloatConv2d(g, wf, null);
            layers.add(() -> lut.forward(x, batch, y));
            layers.add(() -> fp32.forward(x, batch, y));
        }
        // Dense layers through the byte-permute loop (where the CPU has it): 2 and 3 byte planes. Few
        // features: each call is slow until the loop is compiled.
        int in = 8;
        int out = 3;
        int batch = CpuLutDense.MIN_PERMUTE_BATCH;
        for (int span : new int[] {60_000, 1_000_000}) {
            MultiplierTable t = dummyTable(r, span);
            QuantScheme scheme = QuantScheme.forSignedness(t.signedness());
            QuantizedWeights w = QuantizedWeights.quantize(scheme, randomFloats(r, in * out), out, false);
            CpuLutDense dense = new CpuLutDense(in, out, t, w, QuantParams.fromRange(scheme, 0f, 1f), null);
            float[] x = randomFloats(r, batch * in);
            float[] y = new float[batch * out];
            layers.add(() -> dense.forward(x, batch, y));
        }
        // Depthwise layers through their byte-permute loop (where the CPU has it): 2 and 3 byte planes.
        Conv2dGeometry depthwise = Conv2dGeometry.builder(4, 6, 6, 4, 3, 3).groups(4).stride(2).padding(1).build();
        for (int span : new int[] {60_000, 1_000_000}) {
            MultiplierTable t = dummyTable(r, span);
            QuantScheme scheme = QuantScheme.forSignedness(t.signedness());
            QuantizedWeights w = QuantizedWeights.quantize(scheme, randomFloats(r, depthwise.weightSize()), 4, false);
            CpuLutConv2d lut = CpuLutConv2d.create(depthwise, t, w, QuantParams.fromRange(scheme, 0f, 1f), null);
            float[] x = randomFloats(r, 2 * depthwise.inputSize());
            float[] y = new float[2 * depthwise.outputSize()];
            layers.add(() -> lut.forward(x, 2, y));
        }
        for (int c = 0; c < calls; c++) {
            for (Runnable layer : layers) {
                layer.run();
            }
        }
    }

    /** A table with entries in {@code [0, span]} (span 200: one byte plane, 60,000: two, 1,000,000: three). */
    private static MultiplierTable dummyTable(Random r, int span) {
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            e[i] = r.nextInt(span + 1);
        }
        Signedness s = span > 65_535 ? Signedness.SIGNED : Signedness.UNSIGNED;
        if (s == Signedness.SIGNED) {
            for (int i = 0; i < e.length; i++) {
                e[i] -= span / 2;
            }
        }
        return MultiplierTable.of("warm-up", s, e);
    }

    private static float[] randomFloats(Random r, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = r.nextFloat();
        }
        return f;
    }
}
