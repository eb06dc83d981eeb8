package org.axdse.kernel.conv;

import java.util.Arrays;

import org.axdse.kernel.Checks;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Approximate 2-D convolution on the CPU: every product is a table lookup of the quantized codes.
 *
 * <p>Semantics (ARCHITECTURE.md section 3): inputs are quantized with the activation parameters
 * ({@link QuantParams#quantize}), padded taps take the activation zero point, and for each output
 * {@code acc = sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw} exactly (int32 partial sums over tap
 * blocks proven not to overflow, combined in int64). The float output is
 * {@code (sa * sw[oc]) * (float) acc + bias[oc]}, evaluated in float32 in that order.
 *
 * <p>How: a {@link LutProductTable} turns each tap into a contiguous row add over the output channels;
 * taps are processed in blocks whose rows stay in L2 cache.
 *
 * <p>An instance owns scratch buffers and is not thread-safe: use one per thread. The product table
 * it reads is immutable and may be shared ({@link #withSharedTable}).
 */
public final class CpuLutConv2d {
    /** Product-table bytes per tap block: half of a 1 MiB L2 cache. */
    static final int BLOCK_BYTES = 512 << 10;
    /** Bytes of int64 sums per image chunk. */
    static final int CHUNK_BYTES = 256 << 10;

    private final Conv2dGeometry geometry;
    private final LutProductTable table;
    private final QuantParams activation;
    private final float[] outScale;
    private final float[] bias;
    private final TapAccumulator accumulator;
    private final int[] tapOffset;
    private final int[] positionOffset;
    private final int[][] tapRowByGroup;
    private final int tapsPerBlock;
    private final int imagesPerChunk;

    private byte[] codes = new byte[0];
    private final int[] partial;
    private final long[] sums;

    private CpuLutConv2d(LutProductTable table, QuantizedWeights weights, QuantParams activation, float[] bias,
                         TapAccumulator accumulator) {
        this.geometry = table.geometry();
        this.table = table;
        this.activation = activation;
        this.accumulator = accumulator;
        Conv2dGeometry g = geometry;
        this.outScale = new float[g.outChannels()];
        for (int oc = 0; oc < g.outChannels(); oc++) {
            outScale[oc] = activation.scale() * weights.scale(oc);
        }
        if (bias != null) {
            Checks.exactLength("bias", bias.length, g.outChannels());
        }
        this.bias = bias == null ? new float[g.outChannels()] : bias.clone();
        this.tapOffset = PaddedCodes.tapOffsets(g);
        this.positionOffset = PaddedCodes.positionOffsets(g);
        int stride = table.rowStride();
        this.tapRowByGroup = new int[g.groups()][g.taps()];
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int t = 0; t < g.taps(); t++) {
                tapRowByGroup[grp][t] = table.groupOffset(grp) + t * 256 * stride;
            }
        }
        int byBytes = Math.max(1, BLOCK_BYTES / (256 * 4 * stride));
        int byRange = table.maxAbs() == 0 ? Integer.MAX_VALUE : Math.max(1, Integer.MAX_VALUE / table.maxAbs());
        this.tapsPerBlock = Math.min(g.taps(), Math.min(byBytes, byRange));
        int positions = positionOffset.length;
        this.imagesPerChunk = Math.max(1, CHUNK_BYTES / (8 * positions * stride));
        this.partial = new int[positions * stride];
        this.sums = new long[imagesPerChunk * positions * stride];
    }

    /**
     * Builds the layer's product table and a kernel that uses it.
     *
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights {@code [outChannels][inChannels/groups][kh][kw]}
     * @param activation input quantization
     * @param bias       per output channel, or null for none
     * @return the kernel
     */
    public static CpuLutConv2d create(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                      QuantParams activation, float[] bias) {
        return new CpuLutConv2d(LutProductTable.build(geometry, table, weights, activation), weights, activation, bias,
                TapAccumulators.best());
    }

    /**
     * A kernel over an existing product table (built for the same weights and activation zero point).
     *
     * @param table      a product table
     * @param weights    the weights it was built from (for their scales)
     * @param activation input quantization; its zero point must be the one the table was built with
     * @param bias       per output channel, or null
     * @return the kernel
     */
    public static CpuLutConv2d withSharedTable(LutProductTable table, QuantizedWeights weights, QuantParams activation,
                                               float[] bias) {
        return new CpuLutConv2d(table, weights, activation, bias, TapAccumulators.best());
    }

    /** Kernel with a chosen inner loop (tests compare all of them). */
    static CpuLutConv2d create(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                               QuantParams activation, float[] bias, TapAccumulator accumulator) {
        return new CpuLutConv2d(LutProductTable.build(geometry, table, weights, activation), weights, activation, bias,
                accumulator);
    }

    /** @return the convolution */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /** @return the name of the inner loop in use ("vector" or "scalar") */
    public String innerLoop() {
        return accumulator.name();
    }

    /**
     * @param input  NCHW floats, {@code batch * inputSize}
     * @param batch  images
     * @param output NCHW floats, {@code batch * outputSize}, allocated by the caller
     */
    public void forward(float[] input, int batch, float[] output) {
        Checks.length("output", output.length, (long) batch * geometry.outputSize());
        run(input, batch, output, null);
    }

    /**
     * The exact integer accumulators (before scaling and bias), NCHW.
     *
     * @param input NCHW floats
     * @param batch images
     * @param acc   NCHW longs, {@code batch * outputSize}, allocated by the caller
     */
    public void accumulators(float[] input, int batch, long[] acc) {
        Checks.length("acc", acc.length, (long) batch * geometry.outputSize());
        run(input, batch, null, acc);
    }

    private void run(float[] input, int batch, float[] output, long[] acc) {
        Conv2dGeometry g = geometry;
        Checks.positive("batch", batch);
        Checks.length("input", input.length, (long) batch * g.inputSize());
        int imageBytes = PaddedCodes.imageSize(g);
        if (codes.length < batch * imageBytes) {
            codes = new byte[batch * imageBytes];
        }
        PaddedCodes.quantize(input, batch, g, activation, codes);

        int stride = table.rowStride();
        int positions = positionOffset.length;
        int ocg = g.outChannelsPerGroup();
        int taps = g.taps();
        int groupChannelBytes = g.inChannelsPerGroup() * PaddedCodes.paddedHeight(g) * PaddedCodes.paddedWidth(g);
        int[] products = table.products();
        int imageSums = positions * stride;
        // Images in chunks whose int64 sums stay in L2, taps in blocks whose product rows stay in L2:
        // each block's rows are loaded once per chunk rather than once per image.
        for (int n0 = 0; n0 < batch; n0 += imagesPerChunk) {
            int n1 = Math.min(batch, n0 + imagesPerChunk);
            for (int grp = 0; grp < g.groups(); grp++) {
                int[] tapRow = tapRowByGroup[grp];
                Arrays.fill(sums, 0, (n1 - n0) * imageSums, 0L);
                for (int t0 = 0; t0 < taps; t0 += tapsPerBlock) {
                    int t1 = Math.min(taps, t0 + tapsPerBlock);
                    for (int n = n0; n < n1; n++) {
                        int base = n * imageBytes + grp * groupChannelBytes;
                        accumulator.accumulate(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1,
                                products, stride, partial);
                        for (int i = 0, s = (n - n0) * imageSums; i < imageSums; i++) {
                            sums[s + i] += partial[i];
                        }
                    }
                }
                for (int n = n0; n < n1; n++) {
                    emit(n, (n - n0) * imageSums, grp, ocg, positions, stride, output, acc);
                }
            }
        }
    }

    private void emit(int n, int sumsOffset, int grp, int ocg, int positions, int stride, float[] output, long[] acc) {
        int oc0 = grp * ocg;
        for (int o = 0; o < ocg; o++) {
            int oc = oc0 + o;
            int dst = (n * geometry.outChannels() + oc) * positions;
            if (output != null) {
                float s = outScale[oc];
                float b = bias[oc];
                for (int p = 0; p < positions; p++) {
                    output[dst + p] = s * (float) sums[sumsOffset + p * stride + o] + b;
                }
            } else {
                for (int p = 0; p < positions; p++) {
                    acc[dst + p] = sums[sumsOffset + p * stride + o];
                }
            }
        }
    }

    /** @return taps summed in int32 before widening to int64 (bounded by cache size and overflow) */
    int tapsPerBlock() {
        return tapsPerBlock;
    }
}
