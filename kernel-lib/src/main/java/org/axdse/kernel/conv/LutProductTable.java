package org.axdse.kernel.conv;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The per-layer product table that makes the CPU LUT convolution fast: for every group, tap
 * {@code t} (input channel, kernel row, kernel column) and activation code pattern {@code a}, the row
 * {@code P[t][a][0..outChannelsPerGroup)} holds, for each output channel {@code o} with weight code
 * {@code w = W[o][t]}, the table product with its zero-point terms folded in:
 * <pre>  P[t][a][o] = lut[a][w] - zw[o]*a - za*w + za*zw[o]</pre>
 * Summing {@code P} over the taps of an output gives exactly
 * {@code sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw} (integer reassociation), so the inner loop
 * is a contiguous add across output channels.
 *
 * <p>Rows are padded with zeros to {@link #rowStride()} channels so vector loads never run past them.
 * Immutable: one instance can serve any number of threads. Memory: {@link #bytes()}
 * = groups x K x 256 x rowStride x 4 bytes.
 */
public final class LutProductTable {
    /** Largest product table built by default (bytes). */
    public static final long DEFAULT_MAX_BYTES = 512L << 20;

    private final Conv2dGeometry geometry;
    private final int rowStride;
    private final int[] products;
    private final int maxAbs;

    private LutProductTable(Conv2dGeometry geometry, int rowStride, int[] products, int maxAbs) {
        this.geometry = geometry;
        this.rowStride = rowStride;
        this.products = products;
        this.maxAbs = maxAbs;
    }

    /**
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights, {@code [outChannels][taps]}
     * @param activation activation quantization (only its zero point matters here)
     * @return the product table
     * @throws InvalidInputException if shapes or schemes disagree, or the table would exceed
     *                               {@link #DEFAULT_MAX_BYTES}
     */
    public static LutProductTable build(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                        QuantParams activation) {
        return build(geometry, table, weights, activation, DEFAULT_MAX_BYTES);
    }

    /**
     * As {@link #build(Conv2dGeometry, MultiplierTable, QuantizedWeights, QuantParams)} with a memory cap.
     *
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights
     * @param activation activation quantization
     * @param maxBytes   largest table allowed
     * @return the product table
     */
    public static LutProductTable build(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                        QuantParams activation, long maxBytes) {
        LutOperands.check(geometry, table, weights, activation);
        int ocg = geometry.outChannelsPerGroup();
        int taps = geometry.taps();
        int stride = rowStride(ocg);
        long entries = (long) geometry.groups() * taps * 256 * stride;
        if (entries * 4 > maxBytes || entries > Integer.MAX_VALUE - 16) {
            throw new InvalidInputException("layer " + geometry + ": its product table would take " + (entries * 4)
                    + " bytes, more than the limit of " + maxBytes + " bytes");
        }
        int[] p = new int[(int) entries];
        int za = activation.zeroPoint();
        int maxAbs = 0;
        var s = table.signedness();
        for (int g = 0; g < geometry.groups(); g++) {
            for (int o = 0; o < ocg; o++) {
                int oc = g * ocg + o;
                int zw = weights.zeroPoint(oc);
                for (int t = 0; t < taps; t++) {
                    int w = weights.code(oc * taps + t);
                    int base = (g * taps + t) * 256 * stride + o;
                    int wPattern = w & 0xFF;
                    for (int a = 0; a < 256; a++) {
                        int v = table.entry((a << 8) | wPattern) - zw * s.codeOf(a) - za * w + za * zw;
                        p[base + a * stride] = v;
                        maxAbs = Math.max(maxAbs, Math.abs(v));
                    }
                }
            }
        }
        return new LutProductTable(geometry, stride, p, maxAbs);
    }

    /** Rows are padded to a multiple of 16 int lanes (one 512-bit vector) once they are 8 or wider. */
    static int rowStride(int outChannelsPerGroup) {
        return outChannelsPerGroup < 8 ? outChannelsPerGroup : (outChannelsPerGroup + 15) & ~15;
    }

    /** @return the convolution this table was built for */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /** @return ints per row (output channels per group, padded) */
    public int rowStride() {
        return rowStride;
    }

    /** @return largest |entry|: a sum of n entries fits int32 when {@code n * maxAbs <= Integer.MAX_VALUE} */
    public int maxAbs() {
        return maxAbs;
    }

    /** @return bytes held */
    public long bytes() {
        return 4L * products.length;
    }

    int[] products() {
        return products;
    }

    /**
     * @param group a group
     * @return offset of the group's first row in {@link #products()}
     */
    int groupOffset(int group) {
        return group * geometry.taps() * 256 * rowStride;
    }
}
