package org.axdse.kernel.conv;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Consistency checks between a layer's geometry, multiplier and quantization, shared by the kernels of
 * every backend.
 */
public final class LutOperands {
    private LutOperands() {
    }

    /**
     * @param g          the layer's geometry
     * @param table      its multiplier
     * @param weights    its quantized weights
     * @param activation its input quantization
     * @throws InvalidInputException if the schemes do not follow the table's signedness or the weights' shape
     *                               differs from {@code [outChannels][taps]}
     */
    public static void check(Conv2dGeometry g, MultiplierTable table, QuantizedWeights weights, QuantParams activation) {
        QuantScheme expected = QuantScheme.forSignedness(table.signedness());
        if (weights.scheme() != expected || activation.scheme() != expected) {
            throw new InvalidInputException("multiplier " + table.name() + " is " + table.signedness().name().toLowerCase()
                    + " and needs " + expected + " quantization, got weights " + weights.scheme() + " and activations "
                    + activation.scheme());
        }
        checkShape(g, weights);
    }

    static void checkShape(Conv2dGeometry g, QuantizedWeights weights) {
        if (weights.outChannels() != g.outChannels() || weights.perChannelSize() != g.taps()) {
            throw new InvalidInputException("weights: expected [" + g.outChannels() + "][" + g.taps() + "] for " + g
                    + ", got [" + weights.outChannels() + "][" + weights.perChannelSize() + "]");
        }
    }
}
