package org.axdse.kernel.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Runs a {@link ForwardPass}'s approximable layers: in FP32 ({@link FloatLayers}) for
 * {@link Assignment#EXACT_FP32}, otherwise with a LUT kernel of the backend, quantized with the table's scheme.
 *
 * <p>Owns the per-layer state a pass keeps between batches: the kernels (under static ranges one per layer and
 * table, kept until {@link #close()}; under per-batch ranges one per batch, freed right after it ran) and the
 * quantized weights (one per layer and scheme). Thread confined like the pass.
 */
final class LayerKernels implements AutoCloseable {
    private final QuantConfig config;
    private final LayerRanges ranges;
    private final LutKernels backend;
    private final FloatLayers floatLayers;
    /** Per layer: its kernels under static ranges, by table (tables compare by identity). */
    private final List<Map<MultiplierTable, LutKernel>> kernels = new ArrayList<>();
    private final Map<String, QuantizedWeights> quantizedWeights = new HashMap<>();

    LayerKernels(List<ApproxLayer> layers, QuantConfig config, LayerRanges ranges, LutKernels backend) {
        this.config = config;
        this.ranges = ranges;
        this.backend = backend;
        this.floatLayers = new FloatLayers(layers);
        for (int i = 0; i < layers.size(); i++) {
            kernels.add(new IdentityHashMap<>());
        }
    }

    LutKernels backend() {
        return backend;
    }

    /**
     * @param layer a layer
     * @param x     its input
     * @param table its multiplier, or null for FP32
     * @return its output, {@code [batch, channels, height, width]} or {@code [batch, ..., features]}
     */
    Tensor run(ApproxLayer layer, Tensor x, MultiplierTable table) {
        if (table == null) {
            return floatLayers.run(layer, x);
        }
        int[] outShape = layer.outputShape(x);
        // A dense layer multiplies every row of every image by the same weights: its kernel sees batch * rows rows.
        int rows = x.dim(0) * layer.rows();
        float[] in = x.floatData();
        float[] out = new float[(int) Tensor.size(outShape)];
        boolean perBatch = config.ranges() == QuantConfig.RangeMode.PER_BATCH;
        LutKernel kernel = kernel(layer, table, in, perBatch);
        RuntimeException failure = null;
        try {
            kernel.forward(in, rows, out);
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
        return Tensor.floats(outShape, out);
    }

    /**
     * @param layer  a layer
     * @param scheme a scheme
     * @return the layer's weights quantized under that scheme (computed once, then cached)
     */
    QuantizedWeights weights(ApproxLayer layer, QuantScheme scheme) {
        return quantizedWeights.computeIfAbsent(layer.index() + "/" + scheme,
                key -> QuantizedWeights.quantize(scheme, layer.weights(), layer.geometry().outChannels(), config.perChannelWeights()));
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

    /** The cached kernel for the layer and table, or a new one (quantizing the input from this batch when per batch). */
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
        QuantizedWeights w = weights(layer, scheme);
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

    /** Frees the cached kernels; the first failure is thrown once all were tried, later ones suppressed in it. */
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
}
