package org.axdse.job.cli;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.Energy;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerQuantization;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.PassTimes;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.quant.QuantScheme;

/**
 * {@code axdse eval}: accuracy and relative energy of one multiplier assignment on a model, as one JSON
 * object. Everything is checked (model, library, assignment, data) before any image is evaluated.
 */
final class EvalCommand {
    static final String USAGE = """
            usage: axdse eval [--model lenet5|resnet8|resnet20|mobilenet|FILE.onnx] [--library DIR] --assign M1,M2,...|M
                              [--data fashion-mnist|DIR] [--images N] [--calibration-images 512]
                              [--ranges static|per-batch] [--per-channel] [--batch 256] [--threads N]
                              [--scheme unsigned-affine|signed-symmetric]   (refuse tables of the other kind)
            Each layer is quantized with the scheme of its table: unsigned tables -> unsigned-affine
            (TFApprox), signed tables -> signed-symmetric (TorchApprox).""";

    private final PrintStream out;

    EvalCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        long t0 = System.nanoTime();
        Options o = new Options("eval", args, Set.of("--model", "--library", "--assign", "--data", "--images",
                "--calibration-images", "--ranges", "--batch", "--threads", "--scheme"), Set.of("--per-channel"));
        o.positional();
        String assign = o.require("--assign");
        QuantConfig config = new QuantConfig(JobConfig.RANGES.parse(o.oneOf("--ranges", o.get("--ranges", "static"), "static",
                "per-batch")), o.flag("--per-channel"));
        int images = TrainCommand.positiveInt(o, "--images", 10_000);
        int calibrationImages = TrainCommand.positiveInt(o, "--calibration-images", 512);
        int threads = TrainCommand.positiveInt(o, "--threads", Runtime.getRuntime().availableProcessors());
        int batch = TrainCommand.positiveInt(o, "--batch", 256);
        String data = o.get("--data", "fashion-mnist");

        MultiplierLibrary library = MultiplierLibraries.load(Path.of(o.get("--library", AxdseCli.HOME.resolve("luts").toString())));
        Network net = BundledModel.load(o.get("--model", BundledModel.NAME));
        Assignment a = Assignment.parse(List.of(assign.split(",")), library, net);
        checkScheme(o, a, net);
        ImageSet test = DataSets.read(data, DataSets.Split.TEST, images, Normalization.UNIT);
        checkShape(net, test);
        ImageSet calibration = DataSets.read(data, DataSets.Split.TRAIN, calibrationImages, Normalization.UNIT);
        double startup = seconds(t0);

        long t1 = System.nanoTime();
        LayerRanges ranges = ForwardPass.calibrate(net, calibration.pixels(), calibration.count(), batch);
        double calibrationSeconds = seconds(t1);

        long t2 = System.nanoTime();
        Evaluator.Result r = parallel(net, config, ranges, test, a, batch, threads);
        double evalSeconds = seconds(t2);
        Evaluator.Result fp32 = parallel(net, config, ranges, test, Assignment.uniform(null, net.layers().size()), batch, threads);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", net.source());
        json.put("model_sha256", net.sha256());
        json.put("library", library.location());
        json.put("library_version", library.version());
        json.put("dataset", DataSets.resolve(data).toString());
        json.put("assignment", a.names());
        json.put("accuracy", r.accuracy());
        json.put("correct", r.correct());
        json.put("total", r.total());
        json.put("fp32_accuracy", fp32.accuracy());
        json.put("accuracy_drop_vs_fp32", fp32.accuracy() - r.accuracy());
        json.put("relative_energy", Energy.relative(net, a, library));
        json.put("power_per_mac", Energy.powerPerMac(net, a, library));
        json.put("power_unit", library.powerUnit());
        json.put("ranges", JobConfig.spelling(config.ranges()));
        json.put("per_channel_weights", config.perChannelWeights());
        json.put("calibration_images", ranges.images());
        json.put("lut_macs", lutMacsPerImage(net, a) * r.total());
        json.put("startup_seconds", round(startup));
        json.put("calibration_seconds", round(calibrationSeconds));
        json.put("evaluation_seconds", round(evalSeconds));
        json.put("threads", threads);
        json.put("peak_heap_mb", peakHeapMb());
        json.put("layers", layers(net, a, ranges, config));
        out.println(Json.object(json));
        return 0;
    }

    /** MACs per image of the layers that use a table (an {@code exact-fp32} layer multiplies in FP32, not through a LUT). */
    static long lutMacsPerImage(Network net, Assignment a) {
        return net.layers().stream().filter(l -> a.table(l.index()) != null).mapToLong(ApproxLayer::macsPerImage).sum();
    }

    /** With {@code --scheme}, every approximate layer's table must be of that scheme's signedness. */
    private static void checkScheme(Options o, Assignment a, Network net) {
        String scheme = o.get("--scheme", null);
        if (scheme == null) {
            return;
        }
        QuantScheme wanted = o.oneOf("--scheme", scheme, "unsigned-affine", "signed-symmetric").equals("unsigned-affine")
                ? QuantScheme.UNSIGNED_AFFINE : QuantScheme.SIGNED_SYMMETRIC;
        for (ApproxLayer l : net.layers()) {
            MultiplierTable t = a.table(l.index());
            if (t != null && t.signedness() != wanted.signedness()) {
                throw new AxdseException("--scheme " + scheme + ": layer " + l.index() + " (" + l.name() + ") is assigned "
                        + t.name() + ", a " + t.signedness().name().toLowerCase() + " table that needs "
                        + QuantScheme.forSignedness(t.signedness()).name().toLowerCase().replace('_', '-'));
            }
        }
    }

    private static void checkShape(Network net, ImageSet test) {
        int[] s = net.inputShape();
        if (s.length != 3 || s[0] != test.channels() || s[1] != test.height() || s[2] != test.width()) {
            throw new AxdseException(net.source() + " expects images of shape " + java.util.Arrays.toString(s) + " but "
                    + test.source() + " has " + test.channels() + "x" + test.height() + "x" + test.width());
        }
    }

    /** Evaluates contiguous parts of the images on separate threads, each with its own forward pass. */
    static Evaluator.Result parallel(Network net, QuantConfig config, LayerRanges ranges, ImageSet images, Assignment a,
                                     int batch, int threads) {
        return parallel(net, config, ranges, images, a, batch, threads, LutKernels.cpu(), null);
    }

    /**
     * As {@link #parallel(Network, QuantConfig, LayerRanges, ImageSet, Assignment, int, int)} on a chosen backend,
     * adding every thread's {@link PassTimes} to {@code times} when it is not null.
     */
    static Evaluator.Result parallel(Network net, QuantConfig config, LayerRanges ranges, ImageSet images, Assignment a,
                                     int batch, int threads, LutKernels backend, PassTimes times) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Evaluator.Result>> parts = new ArrayList<>();
            // Parts start on batch boundaries, so per-batch ranges see the same batches whatever the thread count.
            int batches = (images.count() + batch - 1) / batch;
            int per = (batches + threads - 1) / threads * batch;
            for (int t = 0; t < threads; t++) {
                int from = Math.min(images.count(), t * per);
                int to = Math.min(images.count(), from + per);
                ImageSet part = images.slice(from, to);
                parts.add(pool.submit(() -> {
                    try (ForwardPass fp = new ForwardPass(net, config, ranges, backend)) {
                        PassTimes own = times == null ? null : new PassTimes(net.layers().size());
                        fp.recordTimes(own);
                        Evaluator.Result r = Evaluator.evaluate(fp, net, part, a, batch);
                        if (own != null) {
                            synchronized (times) {
                                times.add(own);
                            }
                        }
                        return r;
                    }
                }));
            }
            long correct = 0;
            for (Future<Evaluator.Result> f : parts) {
                correct += f.get().correct();
            }
            return new Evaluator.Result(correct, images.count());
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new AxdseException("evaluation failed: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AxdseException("evaluation interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Map<String, Object>> layers(Network net, Assignment a, LayerRanges ranges, QuantConfig config) {
        ForwardPass fp = new ForwardPass(net, config, ranges);
        List<Map<String, Object>> list = new ArrayList<>();
        for (ApproxLayer l : net.layers()) {
            MultiplierTable t = a.table(l.index());
            // An FP32 layer has no scheme; its ranges are the same under either.
            LayerQuantization q = LayerQuantization.of(fp, l, ranges,
                    t == null ? QuantScheme.UNSIGNED_AFFINE : QuantScheme.forSignedness(t.signedness()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", l.index());
            m.put("name", l.name());
            m.put("op", l.op());
            m.put("onnx_op", l.opType());
            m.put("macs", l.macsPerImage());
            m.put("input_shape", java.util.Arrays.stream(l.inputShape()).boxed().toList());
            m.put("output_shape", java.util.Arrays.stream(l.outputShape()).boxed().toList());
            m.put("multiplier", t == null ? Assignment.EXACT_FP32 : t.name());
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("min", q.inputMin());
            in.put("max", q.inputMax());
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("min", q.weightMin());
            w.put("max", q.weightMax());
            if (t != null) {
                if (config.ranges() == QuantConfig.RangeMode.STATIC) { // per-batch ranges have no single input quantization
                    in.put("scale", q.input().scale());
                    in.put("zero_point", q.input().zeroPoint());
                }
                w.put("scheme", q.schemeName());
                w.put("per_channel", q.weights().perChannel());
                w.put("scale", q.weights().scale(0));
                w.put("zero_point", q.weights().zeroPoint(0));
            }
            m.put("input", in);
            m.put("weights", w);
            list.add(m);
        }
        return list;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak >> 20;
    }
}
