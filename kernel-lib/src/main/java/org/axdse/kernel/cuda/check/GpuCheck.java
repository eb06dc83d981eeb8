package org.axdse.kernel.cuda.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import jcuda.driver.JCudaDriver;
import org.axdse.kernel.conv.KernelWarmUp;
import org.axdse.kernel.cuda.CudaAvailability;
import org.axdse.kernel.cuda.CudaContext;
import org.axdse.kernel.cuda.CudaRuntime;
import org.axdse.kernel.cuda.LutKernelVariant;

/**
 * The GPU check: a plain {@code main} (no JUnit, no Spark) that the self-contained bundle of
 * {@code submit/gpu-check-bundle} runs on a machine with a CUDA device and nothing else of ours. It
 * <ol>
 *   <li>prints the Java runtime, the CPU, the CUDA driver, the device and the result of loading the packaged PTX
 *       (the driver JIT-compiles it for the device);</li>
 *   <li>runs every {@link EqualityCase} (the awkward shapes of {@code ConvShapes}, both schemes, per-tensor and
 *       per-channel weights, both table variants, random asymmetric tables; and sums beyond int32) through the CUDA
 *       kernels and the CPU kernels and compares every accumulator and every output bit for bit, one line per
 *       case, then {@code N passed, M failed};</li>
 *   <li>measures G LUT-MAC/s of the CUDA and the CPU kernels on the benchmark layers ({@link Throughput});</li>
 *   <li>writes every figure to {@value #JSON_FILE} in the output directory, and exits with status 1 when a case
 *       failed or the device could not be used, 0 otherwise.</li>
 * </ol>
 * Without a device it says so in one line, measures the CPU kernels only and exits with status 0.
 *
 * <p>Usage: {@code GpuCheck [--quick] [--device N] OUT_DIR}. {@code --quick} shortens the measurements (the
 * bundle's test uses it); {@code --device} picks the CUDA ordinal (default 0). Exit status 2: bad arguments.
 */
public final class GpuCheck {
    /** The JSON file written into the output directory. */
    public static final String JSON_FILE = "gpu-check.json";
    /** First words of the single line printed when there is no usable CUDA device. */
    public static final String NO_DEVICE = "no CUDA device: ";

    private static final String USAGE = "usage: GpuCheck [--quick] [--device N] OUT_DIR";

    private final PrintStream out;
    private final boolean quick;
    private final int ordinal;
    private final Path outDir;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final long start = System.nanoTime();
    private int problems;

    private GpuCheck(PrintStream out, boolean quick, int ordinal, Path outDir) {
        this.out = out;
        this.quick = quick;
        this.ordinal = ordinal;
        this.outDir = outDir;
    }

    /**
     * Runs the check and exits with its status.
     *
     * @param args {@code [--quick] [--device N] OUT_DIR}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the check.
     *
     * @param args {@code [--quick] [--device N] OUT_DIR}
     * @param out  where the report goes
     * @param err  where usage errors go
     * @return 0 when every case passed (or there is no device), 1 on a mismatch or a failure, 2 on bad arguments
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean quick = false;
        int ordinal = 0;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--device") && i + 1 < args.length) {
                try {
                    ordinal = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    err.println("GpuCheck: --device: expected a device ordinal (0, 1, ...), got '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            } else if (a.startsWith("-") || dir != null) {
                err.println("GpuCheck: unexpected argument '" + a + "'\n" + USAGE);
                return 2;
            } else {
                dir = Path.of(a);
            }
        }
        if (dir == null) {
            err.println("GpuCheck: expected the output directory for " + JSON_FILE + "\n" + USAGE);
            return 2;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            err.println("GpuCheck: cannot create the output directory " + dir + " (" + e + ")");
            return 2;
        }
        return new GpuCheck(out, quick, ordinal, dir).run();
    }

    private int run() {
        json.put("check", "axdse gpu-check");
        json.put("started", Instant.now().toString());
        json.put("quick", quick);
        try {
            header();
            CudaContext context = openDevice();
            try {
                if (context != null) {
                    equality(context);
                }
                speed(context);
            } finally {
                if (context != null) {
                    context.close();
                }
            }
        } catch (RuntimeException | Error e) { // a bug of the check itself: report it, keep what was measured
            problems++;
            out.println("gpu-check failed: " + e);
            e.printStackTrace(out);
            json.put("failure", e.toString());
        }
        int status = problems > 0 ? 1 : 0;
        json.put("seconds", seconds());
        json.put("exitStatus", status);
        Path file = writeJson();
        out.printf(Locale.ROOT, "gpu-check: %s in %.1f s; figures in %s; exit %d%n", problems > 0 ? problems + " problem(s)" : "ok",
                seconds(), file, status);
        return status;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 1. Runtime, CPU, driver, device, PTX

    private void header() {
        Map<String, Object> java = new LinkedHashMap<>();
        java.put("version", System.getProperty("java.runtime.version"));
        java.put("vm", System.getProperty("java.vm.name"));
        java.put("home", System.getProperty("java.home"));
        json.put("java", java);
        String[] loops = Throughput.cpuLoops();
        Map<String, Object> cpu = new LinkedHashMap<>();
        cpu.put("model", cpuModel());
        cpu.put("threads", Runtime.getRuntime().availableProcessors());
        cpu.put("convLoop", loops[0]);
        cpu.put("denseLoop", loops[1]);
        json.put("cpu", cpu);
        out.printf(Locale.ROOT, "AxDSE GPU check%s: Java %s (%s)%n", quick ? " (quick)" : "", java.get("version"), java.get("home"));
        out.printf(Locale.ROOT, "CPU: %s, %d threads; CPU kernel loops: conv %s, dense %s%n", cpu.get("model"), cpu.get("threads"),
                loops[0], loops[1]);
    }

    /** @return the device's context with the kernels loaded, or null (no device, or it failed: then a problem) */
    private CudaContext openDevice() {
        Map<String, Object> cuda = new LinkedHashMap<>();
        json.put("cuda", cuda);
        cuda.put("jcuda", jcudaVersion());
        CudaAvailability a = CudaRuntime.availability();
        cuda.put("available", a.available());
        cuda.put("availability", a.reason());
        if (!a.available()) {
            out.println(NO_DEVICE + a.reason() + "; CPU figures only");
            return null;
        }
        int[] version = new int[1];
        JCudaDriver.cuDriverGetVersion(version);
        String driver = version[0] / 1000 + "." + version[0] % 1000 / 10;
        String module = nvidiaModule();
        cuda.put("driverApi", driver);
        cuda.put("kernelModule", module);
        cuda.put("devices", a.devices());
        out.printf(Locale.ROOT, "CUDA: driver API %s, %s, %d device(s), JCuda %s%n", driver,
                module == null ? "kernel module version unknown" : module, a.devices(), cuda.get("jcuda"));

        Map<String, Object> ptx = new LinkedHashMap<>();
        cuda.put("ptx", ptx);
        String text = CudaContext.ptx();
        ptx.put("resource", CudaContext.PTX_RESOURCE);
        ptx.put("bytes", text.length());
        ptx.put("isa", directive(text, ".version"));
        ptx.put("target", directive(text, ".target"));
        long t0 = System.nanoTime();
        CudaContext context;
        try {
            context = CudaContext.open(ordinal);
        } catch (RuntimeException | LinkageError e) {
            problems++;
            ptx.put("loaded", false);
            ptx.put("error", String.valueOf(e.getMessage()));
            out.printf(Locale.ROOT, "PTX JIT: FAILED: device %d: %s%n", ordinal, e.getMessage());
            return null;
        }
        double jit = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("ordinal", ordinal);
        device.put("name", context.deviceName());
        device.put("computeCapability", context.computeCapability());
        device.put("multiprocessors", context.multiprocessors());
        device.put("memoryBytes", context.totalMemory());
        device.put("sharedMemoryPerBlockOptin", context.sharedMemoryPerBlockOptin());
        device.put("smem16", LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin()));
        cuda.put("device", device);
        ptx.put("loaded", true);
        ptx.put("secondsToLoad", jit);
        out.printf(Locale.ROOT, "device %d: %s, compute %s, %d SMs, %d MiB, %d KiB shared memory per block opt-in (%s)%n", ordinal,
                context.deviceName(), context.computeCapability(), context.multiprocessors(), context.totalMemory() >> 20,
                context.sharedMemoryPerBlockOptin() >> 10, LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin())
                        ? "both table variants" : "no " + LutKernelVariant.SMEM16 + ": LDG only");
        out.printf(Locale.ROOT, "PTX JIT: ok: %s (PTX ISA %s, %s, %d bytes) loaded, compiled for compute %s and its %d kernels "
                        + "resolved in %.2f s%n", CudaContext.PTX_RESOURCE, ptx.get("isa"), ptx.get("target"), text.length(),
                context.computeCapability(), 1 + 4 * LutKernelVariant.values().length, jit);
        return context;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 2. Equality

    private void equality(CudaContext context) {
        List<EqualityCase> cases = EqualityCase.all();
        List<Object> results = new ArrayList<>();
        Map<String, Object> section = new LinkedHashMap<>();
        json.put("equality", section);
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "equality: %d cases, CUDA vs CPU kernels, accumulators and outputs bit for bit%n", cases.size());
        int width = String.valueOf(cases.size()).length();
        for (int i = 0; i < cases.size(); i++) {
            EqualityCase c = cases.get(i);
            Equality.Outcome o = Equality.run(context, c);
            String what = switch (o.status()) {
                case PASSED -> o.outputs() + " accumulators and outputs equal";
                case SKIPPED -> o.detail();
                case FAILED -> (o.outputs() == 0 ? "" : o.accMismatch() + " of " + o.outputs() + " accumulators and "
                        + o.outMismatch() + " outputs differ: ") + o.detail();
            };
            switch (o.status()) {
                case PASSED -> passed++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
            out.printf(Locale.ROOT, "[%" + width + "d/%d] %s %s: %s (%d ms)%n", i + 1, cases.size(),
                    o.status() == Equality.Status.PASSED ? "PASS" : o.status() == Equality.Status.FAILED ? "FAIL" : "SKIP", c, what,
                    o.millis());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("case", c.toString());
            r.put("kind", c.dense() ? "dense" : "conv");
            r.put("layer", c.layer());
            r.put("batch", c.batch());
            r.put("scheme", c.scheme().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            r.put("perChannel", c.perChannel());
            r.put("variant", c.variant().name());
            r.put("seed", c.seed());
            r.put("status", o.status().name().toLowerCase(Locale.ROOT));
            r.put("outputs", o.outputs());
            r.put("accumulatorMismatches", o.accMismatch());
            r.put("outputMismatches", o.outMismatch());
            r.put("detail", o.detail().isEmpty() ? null : o.detail());
            r.put("millis", o.millis());
            results.add(r);
        }
        problems += failed;
        section.put("passed", passed);
        section.put("failed", failed);
        section.put("skipped", skipped);
        section.put("seconds", (System.nanoTime() - t0) / 1e9);
        section.put("cases", results);
        out.println(passed + " passed, " + failed + " failed" + (skipped > 0 ? ", " + skipped + " skipped" : ""));
        writeJson(); // what is known so far, in case the speed part does not finish
    }

    // ---------------------------------------------------------------------------------------------------------------
    // 3. Speed

    private void speed(CudaContext context) {
        List<Object> figures = new ArrayList<>();
        json.put("throughput", figures);
        out.printf(Locale.ROOT, "speed: G LUT-MAC/s, median of the repetitions%s%n", context == null ? ", CPU only" : ", CPU and CUDA");
        long t0 = System.nanoTime();
        KernelWarmUp.runNow();
        double warmUp = (System.nanoTime() - t0) / 1e9;
        json.put("cpuWarmUpSeconds", warmUp);
        out.printf(Locale.ROOT, "CPU kernel warm-up (every vector loop compiled): %.1f s%n", warmUp);
        Throughput.run(context, quick, f -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", f.layer());
            m.put("kind", f.kind());
            m.put("macsPerImage", f.macsPerImage());
            m.put("backend", f.backend());
            m.put("scheme", f.scheme());
            m.put("table", f.table());
            m.put("variant", f.variant());
            m.put("timing", f.timing());
            m.put("batch", f.batch());
            m.put("gLutMacPerSecond", f.median());
            m.put("slowestRepetition", f.min());
            m.put("fastestRepetition", f.max());
            m.put("msPerBatch", f.msPerBatch());
            m.put("repetitions", f.repetitions());
            m.put("callsPerRepetition", f.calls());
            m.put("error", f.error());
            figures.add(m);
            String who = f.backend().equals("cpu") ? "cpu" : "cuda " + f.variant();
            if (f.error() != null) {
                problems++;
                out.printf(Locale.ROOT, "%-42s %-16s %-12s %-15s batch %5d: FAILED: %s%n", f.layer(), f.scheme(), who, f.timing(),
                        f.batch(), f.error());
            } else {
                out.printf(Locale.ROOT, "%-42s %-16s %-12s %-15s batch %5d: %9.2f G LUT-MAC/s (%.3f ms per batch; %d x %d)%n",
                        f.layer(), f.scheme(), who, f.timing(), f.batch(), f.median(), f.msPerBatch(), f.repetitions(), f.calls());
            }
        });
        json.put("throughputSeconds", (System.nanoTime() - t0) / 1e9);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private Path writeJson() {
        Path file = outDir.resolve(JSON_FILE);
        try {
            Files.writeString(file, Json.write(json), StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems++;
            out.println("gpu-check: cannot write " + file + " (" + e + ")");
        }
        return file;
    }

    private double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** @return the operand of a PTX directive, e.g. {@code 9.0} for {@code .version 9.0} */
    static String directive(String ptx, String name) {
        for (String line : ptx.split("\n")) {
            String t = line.strip();
            if (t.startsWith(name + " ")) {
                return t.substring(name.length()).strip();
            }
        }
        return null;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture will do
        }
        return System.getProperty("os.arch");
    }

    /** @return e.g. {@code NVIDIA kernel module 580.65.06}, from /proc/driver/nvidia/version; null when absent */
    private static String nvidiaModule() {
        try {
            String first = Files.readAllLines(Path.of("/proc/driver/nvidia/version"), StandardCharsets.UTF_8).get(0);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("Kernel Module\\s+(\\S+)").matcher(first);
            return m.find() ? "NVIDIA kernel module " + m.group(1) : first.strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String jcudaVersion() {
        try (InputStream in = JCudaDriver.class.getResourceAsStream("/META-INF/maven/org.jcuda/jcuda/pom.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
