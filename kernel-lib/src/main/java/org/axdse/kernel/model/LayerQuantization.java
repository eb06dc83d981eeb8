package org.axdse.kernel.model;

import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * How one approximable layer is quantized under a scheme: the calibrated input range and the input quantization
 * it gives (used as such with static ranges; per-batch ranges recompute it per batch), and the weights' range and
 * quantization. The one description of a layer's quantization that the run's {@code layers} table and
 * {@code axdse eval} print.
 *
 * @param scheme   the scheme
 * @param inputMin calibrated input minimum
 * @param inputMax calibrated input maximum
 * @param input    input quantization from the calibrated range
 * @param weightMin weight minimum (FP32)
 * @param weightMax weight maximum (FP32)
 * @param weights  the quantized weights (per tensor or per output channel)
 */
public record LayerQuantization(QuantScheme scheme, float inputMin, float inputMax, QuantParams input, float weightMin,
                                float weightMax, QuantizedWeights weights) {
    /**
     * @param pass   a forward pass of the network (its weight quantization is the one evaluations use)
     * @param layer  the layer
     * @param ranges calibrated ranges
     * @param scheme the scheme
     * @return the layer's quantization
     */
    public static LayerQuantization of(ForwardPass pass, ApproxLayer layer, LayerRanges ranges, QuantScheme scheme) {
        float wMin = Float.POSITIVE_INFINITY;
        float wMax = Float.NEGATIVE_INFINITY;
        for (float w : layer.weights()) {
            wMin = Math.min(wMin, w);
            wMax = Math.max(wMax, w);
        }
        float min = ranges.min(layer.index());
        float max = ranges.max(layer.index());
        return new LayerQuantization(scheme, min, max, QuantParams.fromRange(scheme, min, max), wMin, wMax,
                pass.weightQuantization(layer, scheme));
    }

    /** @return the scheme as written in tables and JSON, e.g. {@code unsigned-affine} */
    public String schemeName() {
        return scheme.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
