package org.axdse.kernel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.FloatLoops;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Evaluates a {@link Network} on batches under multiplier {@link Assignment}s: FP32 operators in Java,
 * approximate layers with the LUT kernels, each with the quantization scheme of its table (unsigned ->
 * unsigned-affine, signed -> signed-symmetric), activation ranges from calibration ({@link LayerRanges})
 * or from each batch, weights quantized from their own min/max (per tensor or per output channel).
 *
 * <p>{@link #logits(float[], int, List)} evaluates many assignments on one batch and reuses the values
 * computed before layer k for consecutive assignments that share their first k multipliers.
 *
 * <p>A ReLU that is the only reader of a layer's output is applied by the layer, in place on its fresh output
 * (same values), unless a {@link LayerHook} needs the raw output; {@link #recordTimes} accounts where a pass's
 * time goes.
 *
 * <p>The approximate layers run on a {@link LutKernels} backend: the CPU kernels by default, or another
 * backend (a CUDA device) given to the constructor; every backend gives the same results. A failure of a
 * non-CPU backend's kernel is thrown as an {@link AxdseException} naming the layer and the backend, so the
 * caller can run the batch on the CPU instead.
 *
 * <p>Owns per-thread kernels and caches (a kernel per layer and table under static ranges): use one
 * instance per thread, and {@link #close()} it to free the kernels' resources (device memory for a GPU
 * backend; nothing for the CPU). The backend itself belongs to the caller.
 */
public final class ForwardPass implements AutoCloseable {
    private final Network network;
    private final QuantConfig config;
    private final LayerRanges ranges;
    private final FloatLayers floatLayers;
    private final LutKernels backend;
    private final List<Map<MultiplierTable, LutKernel>> kernels = new ArrayList<>();
    private final Map<String, QuantizedWeights> quantizedWeights = new HashMap<>();
    private final int[] layerStep;
    /** Per layer: the index of the ReLU step that alone reads its output (fused into the layer), or -1. */
    private final int[] fusedRelu;
    /** Per step: whether it is a ReLU fused into its layer (skipped when no hook needs the raw output). */
    private final boolean[] fused;
    private long macsComputed;
    private long macsNaive;
    private LayerHook hook;
    private PassTimes times;

    /**
     * A hook on the approximable layers of a pass: it sees each layer's input and output as the layer runs, and
     * may replace the output the rest of the network reads. Calibration ({@link #calibrate}) and the error model
     * ({@code org.axdse.kernel.estimate.ErrorModel}: statistics capture, noise injection) are built on it.
     *
     * <p><b>When it is called.</b> For every approximable layer that a {@link #logits} call evaluates, in graph
     * order: {@link #input} right before the layer runs, {@link #output} right after it ran (with the layer's
     * multiplier, or in FP32 for {@link Assignment#EXACT_FP32}), before any operator reads the output. A layer
     * that prefix reuse skips (several assignments in one call that share their first multipliers) is not run
     * again for the later assignments, and the hook is not called for it again.
     *
     * <p><b>Which buffers, what it may modify.</b> {@code x} is the tensor the network holds for the layer's
     * input (shared with other readers and with prefix-reuse snapshots): read it, never modify it. {@code y} is
     * the layer's freshly computed output, {@code [batch, channels, height, width]} or {@code [batch, features]}:
     * do not modify it either; to change what the network sees, return another tensor of the same shape (e.g.
     * {@code y}'s values plus noise in a new array). Neither changes after the call while the hook is set, so a
     * hook may keep them; their arrays are shared, so copy before changing values.
     *
     * <p><b>Fused ReLU.</b> Without a hook, a ReLU that is the only reader of a layer's output is applied by the
     * layer, in place on its output. While a hook is set that fusion is off: the ReLU runs as its own operator
     * step, so {@link #output} sees (and may replace) the raw, pre-ReLU output. The logits are bit for bit the
     * same either way.
     *
     * <p><b>Threads.</b> A pass is used by one thread at a time, and calls its hook on the thread that called
     * {@link #logits}. A hook instance set on several passes that run on different threads is called
     * concurrently and must then be thread-safe itself.
     */
    @FunctionalInterface
    public interface LayerHook {
        /**
         * @param layer the layer's index ({@link ApproxLayer#index()})
         * @param x     its input, before the layer runs (read only)
         */
        void input(int layer, Tensor x);

        /**
         * @param layer the layer's index
         * @param y     its output, right after the layer ran (read only)
         * @return the tensor the rest of the network reads instead (same shape); by default {@code y}
         */
        default Tensor output(int layer, Tensor y) {
            return y;
        }
    }

    /**
     * @param network the network
     * @param config  quantization
     * @param ranges  calibrated ranges (required for static ranges when any layer is approximate)
     */
    public ForwardPass(Network network, QuantConfig config, LayerRanges ranges) {
        this(network, config, ranges, LutKernels.cpu());
    }

    /**
     * @param network the network
     * @param config  quantization
     * @param ranges  calibrated ranges (required for static ranges when any layer is approximate)
     * @param backend where the approximate layers run ({@link LutKernels#cpu()} or a GPU); owned by the caller
     */
    public ForwardPass(Network network, QuantConfig config, LayerRanges ranges, LutKernels backend) {
        if (backend == null) {
            throw new InvalidInputException("forward pass: expected a kernel backend, got null");
        }
        this.backend = backend;
        this.network = network;
        this.config = config;
        this.ranges = ranges;
        this.floatLayers = new FloatLayers(network.layers());
        for (int i = 0; i < network.layers().size(); i++) {
            kernels.add(new IdentityHashMap<>());
        }
        layerStep = new int[network.layers().size()];
        List<Step> steps = network.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).layer() >= 0) {
                layerStep[steps.get(i).layer()] = i;
            }
        }
        fusedRelu = new int[network.layers().size()];
        fused = new boolean[steps.size()];
        java.util.Arrays.fill(fusedRelu, -1);
        for (int i = 0; i < steps.size(); i++) {
            int relu = soleReluReader(steps, i);
            if (steps.get(i).layer() >= 0 && relu >= 0) {
                fusedRelu[steps.get(i).layer()] = relu;
                fused[relu] = true;
            }
        }
        if (ranges != null && ranges.size() != network.layers().size()) {
            throw new InvalidInputException("calibration ranges: expected " + network.layers().size() + " layers, got " + ranges.size());
        }
    }

    /**
     * @return the index of the step that is a ReLU and the only reader of step {@code i}'s output (which is not
     *         the network's output), or -1
     */
    private int soleReluReader(List<Step> steps, int i) {
        String value = steps.get(i).outputs().get(0);
        if (value.equals(network.outputName())) {
            return -1;
        }
        int reader = -1;
        for (int j = i + 1; j < steps.size(); j++) {
            for (String in : steps.get(j).inputs()) {
                if (in.equals(value)) {
                    if (reader >= 0 && reader != j) {
                        return -1;
                    }
                    reader = j;
                }
            }
        }
        return reader >= 0 && steps.get(reader).opType().equals("Relu") && steps.get(reader).inputs().size() == 1 ? reader : -1;
    }

    /**
     * Calibrates static activation ranges: the min/max of each layer's input under the FP32 model.
     *
     * @param network   the network
     * @param images    NCHW images (normalised)
     * @param count     images to use (the first ones)
     * @param batchSize images per batch
     * @return the ranges
     */
    public static LayerRanges calibrate(Network network, float[] images, int count, int batchSize) {
        Checks.positive("calibration images", count);
        Checks.positive("batch size", batchSize);
        Checks.length("calibration images", images.length, (long) count * network.inputSize());
        int n = network.layers().size();
        float[] min = new float[n];
        float[] max = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        ForwardPass fp = new ForwardPass(network, QuantConfig.DEFAULT, null);
        fp.hook = (layer, x) -> {
            for (float v : x.floatData()) {
                min[layer] = Math.min(min[layer], v);
                max[layer] = Math.max(max[layer], v);
            }
        };
        Assignment fp32 = Assignment.uniform(null, n);
        int size = network.inputSize();
        for (int start = 0; start < count; start += batchSize) {
            int b = Math.min(batchSize, count - start);
            fp.logits(Arrays.copyOfRange(images, start * size, (start + b) * size), b, fp32);
        }
        return new LayerRanges(min, max, count);
    }

    /**
     * Records where the time of every later pass goes (one {@link System#nanoTime()} pair per step).
     *
     * @param record where to add the times (its layer count must match), or null to stop recording
     */
    public void recordTimes(PassTimes record) {
        if (record != null && record.layers() != network.layers().size()) {
            throw new InvalidInputException("pass times: expected " + network.layers().size() + " layers, got " + record.layers());
        }
        this.times = record;
    }

    /** @return how many ReLU steps are fused into their layers (when no hook is set) */
    int fusedRelus() {
        int count = 0;
        for (boolean f : fused) {
            count += f ? 1 : 0;
        }
        return count;
    }

    /**
     * Sets the hook that sees (and may replace) the approximable layers' inputs and outputs of every later pass;
     * see {@link LayerHook} for when it is called and what it may do. While a hook is set, ReLUs are not fused.
     *
     * @param hook the hook, or null for none (the default)
     */
    public void layerHook(LayerHook hook) {
        this.hook = hook;
    }

    /**
     * @param input NCHW images, {@code batch * network.inputSize()} floats
     * @param batch images
     * @param a     the assignment
     * @return logits, {@code [batch][classes]}
     */
    public float[] logits(float[] input, int batch, Assignment a) {
        return logits(input, batch, List.of(a)).get(0);
    }

    /**
     * Evaluates several assignments on one batch, reusing shared prefixes (assignments are visited in
     * name order internally; results come back in the order given).
     *
     * @param input       NCHW images
     * @param batch       images
     * @param assignments assignments, one per result
     * @return logits per assignment
     */
    public List<float[]> logits(float[] input, int batch, List<Assignment> assignments) {
        Checks.positive("batch", batch);
        Checks.exactLength("input", input.length, (long) batch * network.inputSize());
        int layers = network.layers().size();
        for (Assignment a : assignments) {
            if (a.tables().size() != layers) {
                throw new InvalidInputException("assignment " + a + ": expected " + layers + " multipliers, got " + a.tables().size());
            }
        }
        long started = times == null ? 0 : System.nanoTime();
        Integer[] order = new Integer[assignments.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<String> sortKeys = assignments.stream().map(a -> String.join("\u0000", a.keys())).toList();
        Arrays.sort(order, Comparator.comparing(sortKeys::get));
        int[] shape = network.inputShape();
        int[] batchShape = new int[shape.length + 1];
        batchShape[0] = batch;
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        Map<String, Tensor> start = new HashMap<>(network.constants());
        start.put(network.inputName(), Tensor.floats(batchShape, input));
        @SuppressWarnings("unchecked")
        Map<String, Tensor>[] before = new Map[layers];
        float[][] results = new float[assignments.size()][];
        Assignment previous = null;
        for (int idx : order) {
            Assignment a = assignments.get(idx);
            int k = previous == null ? 0 : previous.commonPrefix(a);
            Map<String, Tensor> values;
            int from;
            if (k == 0 || layers == 0) {
                values = new HashMap<>(start);
                from = 0;
            } else {
                int resume = Math.min(k, layers - 1);
                if (k >= layers) { // identical assignment: reuse the result
                    results[idx] = results[indexOf(order, previous, assignments)];
                    previous = a;
                    continue;
                }
                values = new HashMap<>(before[resume]);
                from = layerStep[resume];
            }
            results[idx] = run(values, from, a, batch, before);
            previous = a;
        }
        if (times != null) {
            times.pass(System.nanoTime() - started, batch);
        }
        return Arrays.asList(results);
    }

    private static int indexOf(Integer[] order, Assignment a, List<Assignment> all) {
        for (int i : order) {
            if (all.get(i) == a) {
                return i;
            }
        }
        throw new IllegalStateException("assignment not found");
    }

    private float[] run(Map<String, Tensor> values, int from, Assignment a, int batch, Map<String, Tensor>[] before) {
        List<Step> steps = network.steps();
        for (int s = from; s < steps.size(); s++) {
            Step step = steps.get(s);
            if (step.layer() >= 0) {
                before[step.layer()] = new HashMap<>(values);
                ApproxLayer layer = network.layers().get(step.layer());
                Tensor x = values.get(layer.input());
                if (hook != null) {
                    hook.input(layer.index(), x);
                }
                long t0 = times == null ? 0 : System.nanoTime();
                Tensor y = runLayer(layer, x, a.table(layer.index()));
                if (times != null) {
                    times.layer(layer.index(), System.nanoTime() - t0, layer.macsPerImage() * batch);
                }
                if (hook != null) {
                    y = hook.output(layer.index(), y);
                }
                int relu = fusedRelu[layer.index()];
                if (relu >= 0 && hook == null) {
                    // The ReLU is the only reader of the layer's fresh output: apply it in place (same values as
                    // the operator: v > 0 ? v : 0), saving a pass and an allocation over the activations.
                    long r0 = times == null ? 0 : System.nanoTime();
                    float[] v = y.floatData();
                    FloatLoops.relu(v, v, v.length);
                    values.put(steps.get(relu).outputs().get(0), y);
                    if (times != null) {
                        times.operator("Relu", System.nanoTime() - r0);
                    }
                } else {
                    values.put(layer.output(), y);
                }
                macsComputed += layer.macsPerImage() * batch;
            } else if (fused[s] && hook == null) {
                continue; // computed with its layer
            } else {
                Tensor[] in = new Tensor[step.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    String v = step.inputs().get(i);
                    in[i] = v.isEmpty() ? null : values.get(v);
                }
                long t0 = times == null ? 0 : System.nanoTime();
                Tensor[] out = step.op().run(in);
                if (times != null) {
                    times.operator(step.opType(), System.nanoTime() - t0);
                }
                values.put(step.outputs().get(0), out[0]);
            }
        }
        macsNaive += network.macsPerImage() * batch;
        Tensor logits = values.get(network.outputName());
        if (logits.rank() != 2 || logits.dim(0) != batch) {
            throw new InvalidInputException(network.source() + ": output " + network.outputName() + " has shape "
                    + Arrays.toString(logits.shape()) + ", expected [" + batch + ", classes]");
        }
        return logits.floatData();
    }

    private Tensor runLayer(ApproxLayer layer, Tensor x, MultiplierTable table) {
        if (table == null) {
            return floatLayers.run(layer, x);
        }
        int batch = x.dim(0);
        var g = layer.geometry();
        float[] in = x.floatData();
        if (layer.kind() == ApproxLayer.Kind.DENSE && (x.rank() != 2 || x.dim(1) != g.inChannels())) {
            throw new InvalidInputException(layer.name() + ": expected a [" + batch + ", " + g.inChannels() + "] input, got " + x);
        }
        float[] out = new float[batch * g.outputSize()];
        boolean perBatch = config.ranges() == QuantConfig.RangeMode.PER_BATCH;
        LutKernel kernel = kernel(layer, table, in, perBatch);
        RuntimeException failure = null;
        try {
            kernel.forward(in, batch, out);
        } catch (RuntimeException e) {
            failure = backendFailure(layer, table, "failed", e);
            throw failure;
        } finally {
            if (perBatch) { // a kernel per batch: free it now, without hiding why the layer failed
                try {
                    kernel.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        throw backendFailure(layer, table, "could not free its kernel", e);
                    }
                    failure.addSuppressed(e);
                }
            }
        }
        if (layer.kind() == ApproxLayer.Kind.CONV2D) {
            return Tensor.floats(new int[] {batch, g.outChannels(), g.outHeight(), g.outWidth()}, out);
        }
        return Tensor.floats(new int[] {batch, g.outChannels()}, out);
    }

    /** A non-CPU backend's failure, named after the layer; the CPU kernels' own errors pass unchanged. */
    private RuntimeException backendFailure(ApproxLayer layer, MultiplierTable table, String what, RuntimeException e) {
        if (backend == LutKernels.cpu()) {
            return e;
        }
        String kind = layer.kind().name().toLowerCase(Locale.ROOT);
        return new AxdseException("layer " + layer.name() + " (index " + layer.index() + ", " + kind + ", multiplier "
                + table.name() + ") on " + backend.name() + " " + what + ": " + e.getMessage(), e);
    }

    private LutKernel kernel(ApproxLayer layer, MultiplierTable table, float[] batchInput, boolean perBatch) {
        Map<MultiplierTable, LutKernel> cache = kernels.get(layer.index());
        LutKernel k = perBatch ? null : cache.get(table);
        if (k != null) {
            return k;
        }
        QuantScheme scheme = QuantScheme.forSignedness(table.signedness());
        QuantParams act;
        if (perBatch) {
            act = QuantParams.fromValues(scheme, batchInput, 0, batchInput.length, "input of layer " + layer.name());
        } else {
            if (ranges == null) {
                throw new InvalidInputException("layer " + layer.name() + ": static ranges need calibration; none was given");
            }
            act = QuantParams.fromRange(scheme, ranges.min(layer.index()), ranges.max(layer.index()));
        }
        QuantizedWeights w = quantizedWeights.computeIfAbsent(layer.index() + "/" + scheme,
                key -> QuantizedWeights.quantize(scheme, layer.weights(), layer.geometry().outChannels(), config.perChannelWeights()));
        var g = layer.geometry();
        try {
            // Dense layers get the dense kernel (on the CPU a table gather: a product table would be rebuilt per
            // batch for little gain; measured on LeNet's 1936 -> 120 layer: no faster end to end at batch 5000 than 256).
            k = layer.kind() == ApproxLayer.Kind.CONV2D ? backend.conv2d(g, table, w, act, layer.bias())
                    : backend.dense(g.inChannels(), g.outChannels(), table, w, act, layer.bias());
        } catch (RuntimeException e) {
            throw backendFailure(layer, table, "could not set up its kernel", e);
        }
        if (!perBatch) {
            cache.put(table, k);
        }
        return k;
    }

    /**
     * @param layer  a layer
     * @param scheme a scheme
     * @return the weight quantization the layer uses under that scheme
     */
    public QuantizedWeights weightQuantization(ApproxLayer layer, QuantScheme scheme) {
        return quantizedWeights.computeIfAbsent(layer.index() + "/" + scheme,
                key -> QuantizedWeights.quantize(scheme, layer.weights(), layer.geometry().outChannels(), config.perChannelWeights()));
    }

    /** @return the backend the approximate layers run on */
    public LutKernels backend() {
        return backend;
    }

    /** Frees the cached kernels (device memory on a GPU backend); the pass must not be used afterwards. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Map<MultiplierTable, LutKernel> cache : kernels) {
            for (LutKernel k : cache.values()) {
                try {
                    k.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            cache.clear();
        }
        if (first != null) {
            throw first;
        }
    }

    /** @return layer MACs actually computed so far (prefix reuse skips some) */
    public long macsComputed() {
        return macsComputed;
    }

    /** @return layer MACs a pass per assignment would have computed */
    public long macsNaive() {
        return macsNaive;
    }
}
