package org.axdse.kernel.model;

/**
 * How approximate layers quantize their operands (ARCHITECTURE.md section 3).
 *
 * @param ranges            {@link RangeMode#STATIC} (calibrated once; default) or {@link RangeMode#PER_BATCH}
 *                          (min/max of each batch, as TFApprox)
 * @param perChannelWeights one weight range per output channel instead of one per tensor
 */
public record QuantConfig(RangeMode ranges, boolean perChannelWeights) implements java.io.Serializable {
    /** Static ranges, per-tensor weights. */
    public static final QuantConfig DEFAULT = new QuantConfig(RangeMode.STATIC, false);

    /** Where activation ranges come from. */
    public enum RangeMode {
        /** Calibrated once per layer on the first images of the training split. */
        STATIC,
        /** Min/max of the layer's input in each batch (TFApprox's behaviour; results depend on batching). */
        PER_BATCH
    }
}
