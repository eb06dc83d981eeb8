package org.axdse.kernel.conv;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * JMH benchmark of the CPU convolution and dense kernels on one core, batch 256:
 * {@code lenet} = LeNet-5's second conv (6x13x13 -> 16, 3x3), {@code resnet} = a ResNet-like layer
 * (64x8x8 -> 64, 3x3, pad 1), {@code fc1} = LeNet-5's first dense layer (1936 -> 120) and {@code fc512} = a
 * 512 -> 10 classifier, {@code dw} = a MobileNet depthwise layer (64 channels, 14x14, 3x3, pad 1), {@code dw2} a
 * stride-2 one (32 channels, 28x28 -> 14x14) and {@code pw} a pointwise layer (64x14x14 -> 64, 1x1). On the dense shapes {@code lut} and {@code lut-scalar} are the dense kernel
 * ({@link CpuLutDense}, vector gather and scalar loop) and the other kernels run the 1x1 geometry. Kernels: {@code lut} (vector inner loop when available), {@code lut-scalar}, {@code lut-streaming} (product table
 * computed slice by slice, as for layers above the cache limit),
 * {@code int32} (exact integer products), {@code fp32}, all on the same loop structure and vector API. Run
 * with {@code submit/bench-kernels [JMH options]}; {@link #main}
 * prints MACs/s per core and the ratios measured in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
// The launchers' setting (pom.xml axdse.jvm.fast): the vector API's per-operation index checks off.
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g",
        "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class ConvKernelBenchmark {
    static final int BATCH = 256;

    @Param({"lenet", "resnet", "fc1", "fc512", "dw", "dw2", "pw"})
    public String shape;

    @Param({"lut", "lut-scalar", "lut-streaming", "int32", "fp32"})
    public String kernel;

    private float[] input;
    private float[] output;
    private Runnable run;

    static Conv2dGeometry geometry(String shape) {
        return switch (shape) {
            case "lenet" -> Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build();
            case "resnet" -> Conv2dGeometry.builder(64, 8, 8, 64, 3, 3).padding(1).build();
            case "fc1" -> Conv2dGeometry.dense(1936, 120);
            case "fc512" -> Conv2dGeometry.dense(512, 10);
            case "dw" -> Conv2dGeometry.builder(64, 14, 14, 64, 3, 3).groups(64).padding(1).build();
            case "dw2" -> Conv2dGeometry.builder(32, 28, 28, 32, 3, 3).groups(32).stride(2).padding(1).build();
            case "pw" -> Conv2dGeometry.builder(64, 14, 14, 64, 1, 1).build();
            default -> throw new IllegalArgumentException(shape);
        };
    }

    @Setup(Level.Trial)
    public void setUp() {
        Conv2dGeometry g = geometry(shape);
        Random r = new Random(1);
        input = TestTables.randomFloats(r, BATCH * g.inputSize(), 0f, 4f);
        output = new float[BATCH * g.outputSize()];
        float[] wf = TestTables.randomFloats(r, g.weightSize(), -1f, 1f);
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, wf, g.outChannels(), false);
        MultiplierTable table = TestTables.randomTable(Signedness.UNSIGNED, 3);
        boolean dense = g.inHeight() == 1 && g.kernelH() == 1 && shape.startsWith("fc");
        run = switch (kernel) {
            case "lut" -> {
                if (dense) {
                    CpuLutDense k = new CpuLutDense(g.inChannels(), g.outChannels(), table, w, act, null);
                    yield () -> k.forward(input, BATCH, output);
                }
                CpuLutConv2d k = CpuLutConv2d.create(g, table, w, act, null);
                yield () -> k.forward(input, BATCH, output);
            }
            case "lut-streaming" -> {
                CpuLutConv2d k = CpuLutConv2d.create(g, table, w, act, null, TapAccumulators.best(), 0);
                yield () -> k.forward(input, BATCH, output);
            }
            case "lut-scalar" -> {
                if (dense) {
                    CpuLutDense k = new CpuLutDense(g.inChannels(), g.outChannels(), table, w, act, null, false);
                    yield () -> k.forward(input, BATCH, output);
                }
                CpuLutConv2d k = CpuLutConv2d.create(g, table, w, act, null, ScalarTapAccumulator.INSTANCE);
                yield () -> k.forward(input, BATCH, output);
            }
            case "int32" -> {
                CpuExactConv2d k = new CpuExactConv2d(g, w, act, null);
                yield () -> k.forward(input, BATCH, output);
            }
            case "fp32" -> {
                CpuFloatConv2d k = new CpuFloatConv2d(g, wf, null);
                yield () -> k.forward(input, BATCH, output);
            }
            default -> throw new IllegalArgumentException(kernel);
        };
    }

    /** One batch of 256 images through the layer. */
    @Benchmark
    public float[] batch() {
        run.run();
        return output;
    }

    /**
     * Runs the benchmark and prints G MACs/s per core and the LUT kernel's ratio to the others.
     *
     * @param args JMH command-line options, e.g. {@code -p shape=lenet -p kernel=lut,int32}
     * @throws Exception if JMH fails
     */
    public static void main(String[] args) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(args);
        Collection<RunResult> results = new Runner(new OptionsBuilder().parent(cli)
                .include(ConvKernelBenchmark.class.getSimpleName()).build()).run();
        Map<String, Map<String, Double>> gmacs = new LinkedHashMap<>();
        for (RunResult rr : results) {
            String s = rr.getParams().getParam("shape");
            String k = rr.getParams().getParam("kernel");
            double batchesPerSecond = rr.getPrimaryResult().getScore();
            gmacs.computeIfAbsent(s, x -> new LinkedHashMap<>())
                    .put(k, batchesPerSecond * BATCH * geometry(s).macsPerImage() / 1e9);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%-8s %-11s %12s %12s", "shape", "kernel", "G MAC/s/core", "lut / this"));
        gmacs.forEach((s, byKernel) -> byKernel.forEach((k, v) -> lines.add(String.format("%-8s %-11s %12.2f %12.2f",
                s, k, v, byKernel.getOrDefault("lut", Double.NaN) / v))));
        System.out.println();
        lines.forEach(System.out::println);
    }
}
