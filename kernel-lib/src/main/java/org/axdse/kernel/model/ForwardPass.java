package org.axdse.kernel.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.FloatLoops;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.graph.Tensor;
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
    private final LayerKernels kernels;
    private final ReluFusion fusion;
    private final PrefixReuse prefixes;
    private final PassClock clock = new PassClock();
    private long macsComputed;
    private long macsNaive;
    private LayerHook hook;

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
     * the layer's freshly computed output, {@code [batch, channels, height, width]} or {@code [batch, ..., features]}:
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
        this.network = network;
        this.kernels = new LayerKernels(network.layers(), config, ranges, backend);
        this.prefixes = new PrefixReuse(network);
        this.fusion = new ReluFusion(network);
        if (ranges != null && ranges.size() != network.layers().size()) {
            throw new InvalidInputException("calibration ranges: expected " + network.layers().size() + " layers, got " + ranges.size());
        }
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
        return Calibration.calibrate(network, images, count, batchSize);
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
        clock.recordTo(record);
    }

    /** @return how many ReLU steps are fused into their layers (when no hook is set) */
    int fusedRelus() {
        return fusion.count();
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
     * @param batch images (when {@link Network#fixedBatch()} is not 0, exactly that many)
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
        if (network.fixedBatch() > 0 && batch != network.fixedBatch()) {
            throw new InvalidInputException(network.source() + ": the model runs only on batches of " + network.fixedBatch()
                    + ", got " + batch + " (" + String.join("; ", network.importNotes()) + ")");
        }
        int layers = network.layers().size();
        for (Assignment a : assignments) {
            if (a.tables().size() != layers) {
                throw new InvalidInputException("assignment " + a + ": expected " + layers + " multipliers, got " + a.tables().size());
            }
        }
        long started = clock.start();
        int[] shape = network.inputShape();
        int[] batchShape = new int[shape.length + 1];
        batchShape[0] = batch;
        System.arraycopy(shape, 0, batchShape, 1, shape.length);
        Map<String, Tensor> start = new HashMap<>(network.constants());
        start.put(network.inputName(), Tensor.floats(batchShape, input));
        float[][] results = prefixes.evaluate(assignments, start,
                (values, from, a, snapshots) -> run(values, from, a, batch, snapshots));
        clock.pass(started, batch);
        return Arrays.asList(results);
    }

    /** Runs the steps from {@code from} on under {@code a}, keeping the values before each layer for prefix reuse. */
    private float[] run(Map<String, Tensor> values, int from, Assignment a, int batch, PrefixReuse.Snapshots snapshots) {
        List<Step> steps = network.steps();
        for (int s = from; s < steps.size(); s++) {
            Step step = steps.get(s);
            if (step.layer() >= 0) {
                snapshots.beforeLayer(step.layer(), values);
                ApproxLayer layer = network.layers().get(step.layer());
                Tensor x = values.get(layer.input());
                if (hook != null) {
                    hook.input(layer.index(), x);
                }
                long t0 = clock.start();
                Tensor y = kernels.run(layer, x, a.table(layer.index()));
                clock.layer(layer.index(), t0, layer.macsPerImage() * batch);
                if (hook != null) {
                    y = hook.output(layer.index(), y);
                }
                int relu = fusion.reluOf(layer.index());
                if (relu >= 0 && hook == null) {
                    // The ReLU is the only reader of the layer's fresh output: apply it in place (same values as
                    // the operator: v > 0 ? v : 0), saving a pass and an allocation over the activations.
                    long r0 = clock.start();
                    float[] v = y.floatData();
                    FloatLoops.relu(v, v, v.length);
                    values.put(steps.get(relu).outputs().get(0), y);
                    clock.operator("Relu", r0);
                } else {
                    values.put(layer.output(), y);
                }
                macsComputed += layer.macsPerImage() * batch;
            } else if (fusion.isFused(s) && hook == null) {
                continue; // computed with its layer
            } else {
                Tensor[] in = new Tensor[step.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    String v = step.inputs().get(i);
                    in[i] = v.isEmpty() ? null : values.get(v);
                }
                long t0 = clock.start();
                Tensor[] out = step.op().run(in);
                clock.operator(step.opType(), t0);
                for (int o = 0; o < step.outputs().size(); o++) {
                    values.put(step.outputs().get(o), out[o]);
                }
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

    /**
     * @param layer  a layer
     * @param scheme a scheme
     * @return the weight quantization the layer uses under that scheme
     */
    public QuantizedWeights weightQuantization(ApproxLayer layer, QuantScheme scheme) {
        return kernels.weights(layer, scheme);
    }

    /** @return the backend the approximate layers run on */
    public LutKernels backend() {
        return kernels.backend();
    }

    /** Frees the cached kernels (device memory on a GPU backend); the pass must not be used afterwards. */
    @Override
    public void close() {
        kernels.close();
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
