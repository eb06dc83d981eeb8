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
 * <p>How: a {@link LutProductTable} turns each tap into a contiguous row add over the output channels.
 * Taps are processed in blocks whose product rows stay in L2 and images in chunks, so each block's rows
 * are loaded once per chunk rather than once per image; the chunk size follows the table's size. Layers with one
 * output channel per group (depthwise) have rows one lane wide, so on CPUs with AVX-512 VBMI they take
 * {@link BytePermuteDepthwise} instead (64 output positions per vector; measured on a 64-channel 14x14 depthwise layer,
 * ConvKernelBenchmark {@code dw}: 2.0x the scalar row loop, which was 5-10x slower per MAC than pointwise layers).
 *
 * <p>An instance owns scratch buffers and is not thread-safe: use one per thread. The product table
 * it reads is immutable and may be shared ({@link #withSharedTable}).
 */
public final class CpuLutConv2d implements LutKernel {
    /** Product-table bytes (per group and channel block) that stay in a 1 MiB L2 cache across images. */
    static final int L2_RESIDENT_TABLE_BYTES = 1 << 20;
    /** Bytes of int64 sums per image chunk when the table stays in L2: the sums stay there too. */
    static final int CHUNK_BYTES_SMALL_TABLE = 256 << 10;
    /**
     * ... and when it does not: each slice then comes from L3 or memory (or is computed) once per chunk, so
     * chunks are large and the sums live in L3. Measured on the 64x8x8 -> 64 layer: 2.3x faster than small
     * chunks; on LeNet's 6x13x13 -> 16 small chunks are 1.4x faster (ConvKernelBenchmark).
     */
    static final int CHUNK_BYTES_LARGE_TABLE = 8 << 20;

    private final Conv2dGeometry geometry;
    private final LutProductTable table;
    private final QuantParams activation;
    private final float[] outScale;
    private final float[] bias;
    private final TapAccumulator accumulator;
    private final int[] tapOffset;
    private final int[] positionOffset;
    private final int[] tapRow;
    private final int imagesPerChunk;
    private final int[] partial;
    private final int[] sliceScratch;
    /** The byte-permute loop for layers with one output channel per group, or null when they take the row loops. */
    private final BytePermuteDepthwise depthwise;
    /** Whether a whole output's sum (all taps) provably fits int32, so tap blocks need no int64 pass. */
    private final boolean intSums;
    private long[] sums = new long[0];
    private int[] chunkSums = new int[0];
    private byte[] codes = new byte[0];

    private CpuLutConv2d(LutProductTable table, float[] bias, TapAccumulator accumulator) {
        Conv2dGeometry g = table.geometry();
        this.geometry = g;
        this.table = table;
        this.activation = table.activation();
        this.accumulator = accumulator;
        this.outScale = ConvOutput.outputScales(activation, table.weights());
        this.bias = ConvOutput.bias(bias, g.outChannels());
        this.tapOffset = PaddedCodes.tapOffsets(g);
        this.positionOffset = PaddedCodes.positionOffsets(g);
        int stride = table.rowStride();
        this.tapRow = new int[g.taps()];
        for (int t = 0; t < tapRow.length; t++) {
            tapRow[t] = (t % table.tapsPerBlock()) * 256 * stride;
        }
        int perImage = 8 * positionOffset.length * stride;
        long tableBytes = 4L * g.taps() * 256 * stride;
        int chunkBytes = table.cached() && tableBytes <= L2_RESIDENT_TABLE_BYTES ? CHUNK_BYTES_SMALL_TABLE : CHUNK_BYTES_LARGE_TABLE;
        this.imagesPerChunk = Math.max(1, chunkBytes / perImage);
        this.partial = new int[positionOffset.length * stride];
        this.intSums = (long) g.taps() * table.maxAbsBound() <= Integer.MAX_VALUE;
        this.sliceScratch = table.cached() ? null : new int[table.sliceLength()];
        this.depthwise = intSums ? DepthwiseLoops.bytePermute(table, accumulator) : null;
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
        return withSharedTable(LutProductTable.build(geometry, table, weights, activation), bias);
    }

    /**
     * A kernel over an existing product table (which fixes the geometry, multiplier, weights and activation
     * quantization), e.g. one table shared by the kernels of several threads.
     *
     * @param table a product table
     * @param bias  per output channel, or null
     * @return the kernel
     */
    public static CpuLutConv2d withSharedTable(LutProductTable table, float[] bias) {
        return new CpuLutConv2d(table, bias, TapAccumulators.best());
    }

    /** Kernel with a chosen inner loop and cache limit (tests compare all of them). */
    static CpuLutConv2d create(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                               QuantParams activation, float[] bias, TapAccumulator accumulator, long maxCachedBytes) {
        return new CpuLutConv2d(LutProductTable.build(geometry, table, weights, activation, maxCachedBytes), bias,
                accumulator);
    }

    /** Kernel with a chosen inner loop (tests compare all of them). */
    static CpuLutConv2d create(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                               QuantParams activation, float[] bias, TapAccumulator accumulator) {
        return create(geometry, table, weights, activation, bias, accumulator, LutProductTable.DEFAULT_MAX_CACHED_BYTES);
    }

    /** @return the convolution */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /** @return the product table */
    public LutProductTable productTable() {
        return table;
    }

    /**
     * @return the name of the inner loop in use: "byte-permute" (layers with one output channel per group, on CPUs
     *         with AVX-512 VBMI), "vector" or "scalar"
     */
    public String innerLoop() {
        return depthwise != null ? "byte-permute" : accumulator.name();
    }

    /**
     * @param input  NCHW floats, {@code batch * inputSize}
     * @param batch  images
     * @param output NCHW floats, {@code batch * outputSize}, allocated by the caller
     */
    @Override
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
        if (depthwise != null) {
            Checks.positive("batch", batch);
            Checks.length("input", input.length, (long) batch * g.inputSize());
            runDepthwise(input, batch, output, acc);
            return;
        }
        int imageBytes = PaddedCodes.imageSize(g);
        codes = PaddedCodes.quantize(input, batch, g, activation, codes);

        int stride = table.rowStride();
        int positions = positionOffset.length;
        int taps = g.taps();
        int tapsPerBlock = table.tapsPerBlock();
        int groupChannelBytes = g.inChannelsPerGroup() * PaddedCodes.paddedHeight(g) * PaddedCodes.paddedWidth(g);
        int imageSums = positions * stride;
        int chunk = Math.min(batch, imagesPerChunk);
        if (intSums && chunkSums.length < chunk * imageSums) {
            chunkSums = new int[chunk * imageSums];
        } else if (!intSums && sums.length < chunk * imageSums) {
            sums = new long[chunk * imageSums];
        }
        for (int n0 = 0; n0 < batch; n0 += chunk) {
            int n1 = Math.min(batch, n0 + chunk);
            for (int grp = 0; grp < g.groups(); grp++) {
                for (int cb = 0; cb < table.channelBlocks(); cb++) {
                    int oc0 = grp * g.outChannelsPerGroup() + cb * table.channelsPerBlock();
                    int channels = Math.min(table.channelsPerBlock(), g.outChannelsPerGroup() - cb * table.channelsPerBlock());
                    if (!intSums) {
                        Arrays.fill(sums, 0, (n1 - n0) * imageSums, 0L);
                    }
                    for (int tb = 0; tb < table.tapBlocks(); tb++) {
                        int[] slice = table.slice(grp, cb, tb, sliceScratch);
                        int t0 = tb * tapsPerBlock;
                        int t1 = Math.min(taps, t0 + tapsPerBlock);
                        for (int n = n0; n < n1; n++) {
                            int base = n * imageBytes + grp * groupChannelBytes;
                            if (intSums) {
                                // Every output's whole sum fits int32: blocks add straight into the chunk's int sums.
                                accumulator.accumulate(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1,
                                        slice, stride, chunkSums, (n - n0) * imageSums, tb > 0);
                                continue;
                            }
                            accumulator.accumulate(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1,
                                    slice, stride, partial, 0, false);
                            for (int i = 0, s = (n - n0) * imageSums; i < imageSums; i++) {
                                sums[s + i] += partial[i];
                            }
                        }
                    }
                    for (int n = n0; n < n1; n++) {
                        if (intSums) {
                            ConvOutput.emit(chunkSums, (n - n0) * imageSums, stride, positions, n, g.outChannels(), oc0,
                                    channels, outScale, bias, output, acc);
                        } else {
                            ConvOutput.emit(sums, (n - n0) * imageSums, stride, positions, n, g.outChannels(), oc0,
                                    channels, outScale, bias, output, acc);
                        }
                    }
                }
            }
        }
    }

    /** {@link #run} on the byte-permute loop: one (channel, image) at a time, the channel's planes staying in L1. */
    private void runDepthwise(float[] input, int batch, float[] output, long[] acc) {
        Conv2dGeometry g = geometry;
        int positions = positionOffset.length;
        int groupInput = g.inChannelsPerGroup() * g.inHeight() * g.inWidth();
        if (chunkSums.length < positions + 1) {
            chunkSums = new int[positions + 1]; // + the loop's spare slot
        }
        for (int oc = 0; oc < g.outChannels(); oc++) {
            for (int n = 0; n < batch; n++) {
                depthwise.sums(input, n * g.inputSize() + oc * groupInput, oc, chunkSums);
                ConvOutput.emit(chunkSums, 0, 1, positions, n, g.outChannels(), oc, 1, outScale, bias, output, acc);
            }
        }
    }
}
