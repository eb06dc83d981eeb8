package org.axdse.kernel.conv;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The per-layer product table that makes the CPU LUT convolution fast: for every group, tap
 * {@code t} (input channel, kernel row, kernel column) and activation code pattern {@code a}, the row
 * {@code P[t][a][o]} holds, for each output channel {@code o} with weight code {@code w = W[o][t]}, the
 * table product with its zero-point terms folded in:
 * <pre>  P[t][a][o] = lut[a][w] - zw[o]*a - za*w + za*zw[o]</pre>
 * Summing {@code P} over the taps of an output gives exactly
 * {@code sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw} (integer reassociation), so the kernel's
 * inner loop is a contiguous add across output channels.
 *
 * <p>The table is cut into slices, one per (group, block of output channels, block of taps), each laid
 * out {@code [tap in block][a][lane]} with rows padded with zeros to {@link #rowStride()} lanes so vector
 * loads never run past them. A tap block's slice stays in L2 cache, and a tap block's int32 partial sums
 * provably cannot overflow ({@link #tapsPerBlock()} x {@link #maxAbsBound()} fits an int).
 *
 * <p>When the whole table fits {@code maxCachedBytes} it is computed once and kept ({@link #cached()});
 * otherwise (layers with hundreds of channels) each slice is computed when the kernel needs it, into the
 * kernel's scratch, per image chunk — a few percent of the layer's work for convolutions. Immutable: one
 * instance can serve any number of threads.
 */
public final class LutProductTable {
    /** Largest table kept whole by default (bytes); larger ones are computed slice by slice. */
    public static final long DEFAULT_MAX_CACHED_BYTES = 64L << 20;
    /** Bytes of one slice at most: half of a 1 MiB L2 cache. */
    public static final int SLICE_BYTES = 512 << 10;
    /** Output channels per block when the table is not cached: four 16-lane vectors. */
    public static final int STREAMING_CHANNEL_BLOCK = 64;

    private final Conv2dGeometry geometry;
    private final MultiplierTable table;
    private final QuantizedWeights weights;
    private final QuantParams activation;
    private final int channelsPerBlock;
    private final int rowStride;
    private final int tapsPerBlock;
    private final int maxAbsBound;
    private final int[][] slices;
    /** {@link #permuteRows()}, built on first use (by whichever kernel thread asks first); empty: rows too wide. */
    private volatile java.util.Optional<PermuteRows> permuteRows;

    private LutProductTable(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                            QuantParams activation, long maxCachedBytes) {
        LutOperands.check(geometry, table, weights, activation);
        this.geometry = geometry;
        this.table = table;
        this.weights = weights;
        this.activation = activation;
        int ocg = geometry.outChannelsPerGroup();
        long wholeBytes = 4L * geometry.groups() * geometry.taps() * 256 * rowStride(ocg);
        boolean cache = wholeBytes <= maxCachedBytes;
        this.channelsPerBlock = cache ? ocg : Math.min(ocg, STREAMING_CHANNEL_BLOCK);
        this.rowStride = rowStride(channelsPerBlock);
        this.maxAbsBound = maxAbsBound(table, weights, activation);
        int byBytes = Math.max(1, SLICE_BYTES / (256 * 4 * rowStride));
        int byRange = Math.max(1, Integer.MAX_VALUE / Math.max(1, maxAbsBound));
        this.tapsPerBlock = Math.min(geometry.taps(), Math.min(byBytes, byRange));
        if (cache) {
            this.slices = new int[geometry.groups() * channelBlocks() * tapBlocks()][];
            for (int g = 0; g < geometry.groups(); g++) {
                for (int tb = 0; tb < tapBlocks(); tb++) {
                    int[] s = new int[sliceLength()];
                    fill(g, 0, tb, s);
                    slices[g * tapBlocks() + tb] = s;
                }
            }
        } else {
            this.slices = null;
        }
    }

    /**
     * Builds the product table of a layer, cached whole when it takes at most
     * {@link #DEFAULT_MAX_CACHED_BYTES}.
     *
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights, {@code [outChannels][taps]}
     * @param activation activation quantization (its zero point is folded into the table)
     * @return the product table
     * @throws InvalidInputException if shapes or quantization schemes disagree
     */
    public static LutProductTable build(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                        QuantParams activation) {
        return build(geometry, table, weights, activation, DEFAULT_MAX_CACHED_BYTES);
    }

    /**
     * As {@link #build(Conv2dGeometry, MultiplierTable, QuantizedWeights, QuantParams)} with another cache limit.
     *
     * @param geometry       the convolution
     * @param table          the multiplier
     * @param weights        quantized weights
     * @param activation     activation quantization
     * @param maxCachedBytes largest table kept whole; 0 computes every slice on demand
     * @return the product table
     */
    public static LutProductTable build(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                        QuantParams activation, long maxCachedBytes) {
        return new LutProductTable(geometry, table, weights, activation, maxCachedBytes);
    }

    /**
     * Rows of 4 or more channels are padded to a multiple of 16 int lanes (one 512-bit vector, 64-byte
     * aligned rows); narrower rows (depthwise) stay unpadded and take the scalar loop. Rows of 4..8 channels
     * used to be padded to 8 lanes and summed with 256-bit vectors; a second vector width in the process
     * makes C2 (JDK 17) box the vectors of the 16-lane loops (see VectorTapAccumulator).
     *
     * @param channels output channels of a row
     * @return ints per row
     */
    public static int rowStride(int channels) {
        if (channels < 4) {
            return channels;
        }
        return (channels + 15) & ~15;
    }

    /**
     * The bytes a table of this geometry holds when it is kept whole ({@link #bytes()}), from the geometry alone (for
     * memory estimates before any table is built): per group, its taps in slices of at most {@link #SLICE_BYTES}
     * (the last padded to a full slice). Tables whose int32 range bound makes slices smaller than that hold a little
     * less.
     *
     * @param g a convolution
     * @return bytes of its whole product table
     */
    public static long cachedBytes(Conv2dGeometry g) {
        long stride = rowStride(g.outChannelsPerGroup());
        long tapsPerBlock = Math.min(g.taps(), Math.max(1, SLICE_BYTES / (256 * 4 * stride)));
        long blocks = (g.taps() + tapsPerBlock - 1) / tapsPerBlock;
        return 4L * g.groups() * blocks * tapsPerBlock * 256 * stride;
    }

    /**
     * A bound on |P| from the table and the zero points alone:
     * {@code max|lut| + max|zw|*max|a| + |za|*max|w| + |za|*max|zw|}.
     */
    static int maxAbsBound(MultiplierTable table, QuantizedWeights weights, QuantParams activation) {
        Signedness s = table.signedness();
        long maxCode = Math.max(-s.minCode(), s.maxCode());
        long maxZw = 0;
        for (int oc = 0; oc < weights.outChannels(); oc++) {
            maxZw = Math.max(maxZw, Math.abs(weights.zeroPoint(oc)));
        }
        long za = Math.abs(activation.zeroPoint());
        return Math.toIntExact(table.maxAbsEntry() + maxZw * maxCode + za * maxCode + za * maxZw);
    }

    /**
     * Computes one slice: group {@code g}, channel block {@code cb}, tap block {@code tb}.
     *
     * @param dest at least {@link #sliceLength()} ints; lanes past the block's channels are zeroed
     */
    void fill(int g, int cb, int tb, int[] dest) {
        int ocg = geometry.outChannelsPerGroup();
        int taps = geometry.taps();
        int o0 = cb * channelsPerBlock;
        int o1 = Math.min(ocg, o0 + channelsPerBlock);
        int t0 = tb * tapsPerBlock;
        int t1 = Math.min(taps, t0 + tapsPerBlock);
        int za = activation.zeroPoint();
        Signedness s = table.signedness();
        java.util.Arrays.fill(dest, 0, sliceLength(), 0);
        for (int o = o0; o < o1; o++) {
            int oc = g * ocg + o;
            int zw = weights.zeroPoint(oc);
            for (int t = t0; t < t1; t++) {
                int w = weights.code(oc * taps + t);
                int wPattern = w & 0xFF;
                int constant = -za * w + za * zw;
                int at = (t - t0) * 256 * rowStride + (o - o0);
                for (int a = 0; a < 256; a++) {
                    dest[at + a * rowStride] = table.entry((a << 8) | wPattern) - zw * s.codeOf(a) + constant;
                }
            }
        }
    }

    /**
     * @param g     group
     * @param cb    channel block
     * @param tb    tap block
     * @param scratch where to compute the slice when the table is not cached
     * @return the slice (the cached array, or {@code scratch} filled)
     */
    int[] slice(int g, int cb, int tb, int[] scratch) {
        if (slices != null) {
            return slices[g * tapBlocks() + tb];
        }
        fill(g, cb, tb, scratch);
        return scratch;
    }

    /**
     * The table's rows as byte planes for {@link BytePermuteDepthwise}, built once and shared by every kernel over
     * this table (tables are shared by the threads of a task).
     *
     * @return the rows, or null when some row spans more than 24 bits
     * @throws IllegalArgumentException unless the table is cached and has one output channel per group
     */
    PermuteRows permuteRows() {
        java.util.Optional<PermuteRows> rows = permuteRows;
        if (rows == null) {
            synchronized (this) {
                rows = permuteRows;
                if (rows == null) {
                    rows = java.util.Optional.ofNullable(PermuteRows.of(this));
                    permuteRows = rows;
                }
            }
        }
        return rows.orElse(null);
    }

    /** @return ints in one slice */
    int sliceLength() {
        return tapsPerBlock * 256 * rowStride;
    }

    /** @return the convolution this table was built for */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /** @return the multiplier */
    public MultiplierTable table() {
        return table;
    }

    /** @return the weights folded into the table */
    public QuantizedWeights weights() {
        return weights;
    }

    /** @return the activation quantization whose zero point is folded into the table */
    public QuantParams activation() {
        return activation;
    }

    /** @return whether the whole table is kept in memory */
    public boolean cached() {
        return slices != null;
    }

    /** @return bytes kept in memory (0 when slices are computed on demand) */
    public long bytes() {
        return slices == null ? 0 : 4L * slices.length * sliceLength();
    }

    /** @return output channels per block (all of a group's when cached) */
    public int channelsPerBlock() {
        return channelsPerBlock;
    }

    /** @return channel blocks per group */
    public int channelBlocks() {
        return (geometry.outChannelsPerGroup() + channelsPerBlock - 1) / channelsPerBlock;
    }

    /** @return ints per row (the block's channels, padded) */
    public int rowStride() {
        return rowStride;
    }

    /** @return taps per slice, bounded by cache size and by int32 overflow */
    public int tapsPerBlock() {
        return tapsPerBlock;
    }

    /** @return tap blocks per group */
    public int tapBlocks() {
        return (geometry.taps() + tapsPerBlock - 1) / tapsPerBlock;
    }

    /** @return a bound on every |entry|: a sum of n entries fits int32 when {@code n * bound <= Integer.MAX_VALUE} */
    public int maxAbsBound() {
        return maxAbsBound;
    }
}
