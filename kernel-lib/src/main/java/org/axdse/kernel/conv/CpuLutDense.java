package org.axdse.kernel.conv;

import org.axdse.kernel.Checks;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Approximate dense (GEMM) layer on the CPU, {@code y[n][o] = sum_k x[n][k] * W[o][k] + b[o]} with
 * every product a table lookup. Same semantics as {@link CpuLutConv2d} on
 * {@link Conv2dGeometry#dense(int, int)}: {@code acc = sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw}
 * exactly, output {@code (sa * sw[o]) * (float) acc + bias[o]}.
 *
 * <p>How: a dense layer reuses each weight only once per image, so a per-layer product table (as the
 * convolution builds) would cost as much to build as the layer itself. On CPUs with AVX-512 VBMI, batches
 * of at least {@value #MIN_PERMUTE_BATCH} images take {@link BytePermuteDense}: the images are the vector
 * lanes and each product is a byte-permute lookup in the weight's table column (measured on LeNet's
 * 1936 -> 120 layer, batch 256: about 4x the scalar loop, ConvKernelBenchmark {@code fc1}). Otherwise the
 * table is transposed once ({@code [w][a]}, 256 KiB, L2-resident) and each product is a scalar gather from
 * the weight's 1 KiB column. Both give the same sums; the zero-point terms use per-image and per-output
 * code sums.
 *
 * <p>Not thread-safe (owns scratch buffers); use one instance per thread.
 */
public final class CpuLutDense implements LutKernel {
    /** Smallest batch for the byte-permute loop (it evaluates 64 images at a time). */
    static final int MIN_PERMUTE_BATCH = 16;

    private final int inFeatures;
    private final int outFeatures;
    private final QuantParams activation;
    private final MultiplierTable table;
    /** The table transposed, {@code [w][a]}, for the scalar loop; built on its first use. */
    private int[] byWeightThenActivation;
    /** Weight code patterns (0..255), {@code [o][k]}. */
    private final int[] weightCodes;
    private final BytePermuteDense permute;
    private final long[] weightCodeSum;
    private final int[] weightZeroPoint;
    private final float[] outScale;
    private final float[] bias;
    private final int blockLength;
    private int[] codes = new int[0];
    private byte[] batchCodes = new byte[0];
    private long[] batchCodeSums = new long[0];
    private long[] batchSums = new long[0];

    /**
     * @param inFeatures  K
     * @param outFeatures outputs
     * @param table       the multiplier
     * @param weights     quantized weights {@code [outFeatures][inFeatures]}
     * @param activation  input quantization
     * @param bias        per output, or null
     */
    public CpuLutDense(int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                       QuantParams activation, float[] bias) {
        this(inFeatures, outFeatures, table, weights, activation, bias, DenseBatchLoops.bytePermuteAvailable());
    }

    /** Kernel with or without the byte-permute batch loop (tests compare both where the CPU has it). */
    CpuLutDense(int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                QuantParams activation, float[] bias, boolean bytePermute) {
        Conv2dGeometry g = Conv2dGeometry.dense(inFeatures, outFeatures);
        LutOperands.check(g, table, weights, activation);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.activation = activation;
        this.table = table;
        this.weightCodes = new int[outFeatures * inFeatures];
        this.weightCodeSum = new long[outFeatures];
        this.weightZeroPoint = new int[outFeatures];
        for (int o = 0; o < outFeatures; o++) {
            for (int k = 0; k < inFeatures; k++) {
                int w = weights.code(o * inFeatures + k);
                weightCodes[o * inFeatures + k] = w & 0xFF;
                weightCodeSum[o] += w;
            }
            weightZeroPoint[o] = weights.zeroPoint(o);
        }
        this.permute = bytePermute ? new BytePermuteDense(PermuteColumns.of(table), weightCodes, inFeatures, outFeatures) : null;
        this.outScale = ConvOutput.outputScales(activation, weights);
        this.bias = ConvOutput.bias(bias, outFeatures);
        this.blockLength = table.maxAbsEntry() == 0 ? inFeatures
                : Math.max(1, Math.min(inFeatures, Integer.MAX_VALUE / table.maxAbsEntry()));
    }

    /** @return the loop used for batches of at least {@value #MIN_PERMUTE_BATCH}: "byte-permute" or "scalar" */
    public String innerLoop() {
        return permute != null ? "byte-permute" : "scalar";
    }

    /**
     * @param input  {@code [batch][inFeatures]}
     * @param batch  rows
     * @param output {@code [batch][outFeatures]}, allocated by the caller
     */
    @Override
    public void forward(float[] input, int batch, float[] output) {
        Checks.length("output", output.length, (long) batch * outFeatures);
        run(input, batch, output, null);
    }

    /**
     * @param input {@code [batch][inFeatures]}
     * @param batch rows
     * @param acc   exact accumulators {@code [batch][outFeatures]}, allocated by the caller
     */
    public void accumulators(float[] input, int batch, long[] acc) {
        Checks.length("acc", acc.length, (long) batch * outFeatures);
        run(input, batch, null, acc);
    }

    private void run(float[] input, int batch, float[] output, long[] acc) {
        Checks.positive("batch", batch);
        Checks.length("input", input.length, (long) batch * inFeatures);
        if (permute != null && batch >= MIN_PERMUTE_BATCH) {
            runBatch(input, batch, output, acc);
            return;
        }
        if (codes.length < inFeatures) {
            codes = new int[inFeatures];
        }
        int[] lut = scalarTable();
        for (int n = 0; n < batch; n++) {
            long codeSum = 0;
            for (int k = 0; k < inFeatures; k++) {
                int q = activation.quantize(input[n * inFeatures + k]);
                codes[k] = q & 0xFF;
                codeSum += q;
            }
            for (int o = 0; o < outFeatures; o++) {
                int wBase = o * inFeatures;
                long sum = 0;
                for (int k0 = 0; k0 < inFeatures; k0 += blockLength) {
                    int k1 = Math.min(inFeatures, k0 + blockLength);
                    int partial = 0;
                    for (int k = k0; k < k1; k++) {
                        partial += lut[(weightCodes[wBase + k] << 8) | codes[k]];
                    }
                    sum += partial;
                }
                emit(n, o, sum, codeSum, output, acc);
            }
        }
    }

    private int[] scalarTable() {
        if (byWeightThenActivation == null) {
            int[] t = new int[MultiplierTable.ENTRIES];
            for (int a = 0; a < 256; a++) {
                for (int w = 0; w < 256; w++) {
                    t[(w << 8) | a] = table.entry((a << 8) | w);
                }
            }
            byWeightThenActivation = t;
        }
        return byWeightThenActivation;
    }

    private void runBatch(float[] input, int batch, float[] output, long[] acc) {
        int size = batch * inFeatures;
        if (batchCodes.length < size) {
            batchCodes = new byte[size];
        }
        if (batchCodeSums.length < batch) {
            batchCodeSums = new long[batch];
            batchSums = new long[batch * outFeatures];
        } else if (batchSums.length < batch * outFeatures) {
            batchSums = new long[batch * outFeatures];
        }
        activation.quantize(input, 0, batchCodes, 0, size);
        int mask = activation.scheme() == QuantScheme.UNSIGNED_AFFINE ? 0xFF : -1; // codes from their byte patterns
        for (int n = 0; n < batch; n++) {
            long codeSum = 0;
            for (int k = n * inFeatures, end = k + inFeatures; k < end; k++) {
                codeSum += batchCodes[k] & mask;
            }
            batchCodeSums[n] = codeSum;
        }
        permute.sums(batchCodes, batch, batchSums);
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outFeatures; o++) {
                emit(n, o, batchSums[n * outFeatures + o], batchCodeSums[n], output, acc);
            }
        }
    }

    /** Adds the zero-point terms to a table sum and writes the output or the accumulator. */
    private void emit(int n, int o, long tableSum, long codeSum, float[] output, long[] acc) {
        int za = activation.zeroPoint();
        int zw = weightZeroPoint[o];
        long value = tableSum - zw * codeSum - za * weightCodeSum[o] + (long) inFeatures * za * zw;
        if (output != null) {
            output[n * outFeatures + o] = outScale[o] * (float) value + bias[o];
        } else {
            acc[n * outFeatures + o] = value;
        }
    }
}
