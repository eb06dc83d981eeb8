package org.axdse.kernel.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import org.axdse.kernel.Checks;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.conv.LutOperands;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Approximate 2-D convolution on a CUDA device, with the construction inputs, {@link #forward} signature and
 * results of {@link CpuLutConv2d} (bit for bit; ARCHITECTURE.md section 3).
 *
 * <p>At construction the layer's constants go to the device once: the table (int32, or an int16 copy for
 * the {@link LutKernelVariant#SMEM16} kernel, chosen by {@link LutKernelVariant#choose}), the weights' byte
 * patterns ({@code code & 0xFF}), per-output-channel scales and zero points (a per-tensor quantization is
 * replicated), and the bias (zeros when null). Each {@link #forward} uploads the input floats, launches
 * {@code axdse_quantize} then the convolution kernel, and downloads the outputs; the per-batch buffers are
 * reused from batch to batch and grow only for a larger batch.
 *
 * <p>Not thread-safe; use one per thread (any number of them may share a {@link CudaContext}). Close it to
 * free its device memory. Driver errors (out of memory, launch failure) are thrown as
 * {@link CudaFailureException}.
 */
public final class CudaLutConv2d extends CudaLutLayer {
    private final Conv2dGeometry geometry;

    private CudaLutConv2d(CudaContext context, Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                          QuantParams activation, float[] bias, LutKernelVariant variant, Scratch scratch) {
        super(context, table, weights, activation, bias, geometry.outChannels(), variant, scratch);
        this.geometry = geometry;
    }

    /**
     * Uploads the layer; the table variant follows {@link LutKernelVariant#choose}.
     *
     * @param context    the device
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights {@code [outChannels][inChannels/groups][kh][kw]}
     * @param activation input quantization
     * @param bias       per output channel, or null for none
     * @return the kernel
     * @throws org.axdse.kernel.InvalidInputException on inconsistent shapes or schemes (as the CPU kernel)
     * @throws CudaFailureException                   when the upload fails
     */
    public static CudaLutConv2d create(CudaContext context, Conv2dGeometry geometry, MultiplierTable table,
                                       QuantizedWeights weights, QuantParams activation, float[] bias) {
        return create(context, geometry, table, weights, activation, bias, null);
    }

    /**
     * As {@link #create(CudaContext, Conv2dGeometry, MultiplierTable, QuantizedWeights, QuantParams, float[])}
     * with a chosen variant (tests run both).
     *
     * @param context    the device
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights
     * @param activation input quantization
     * @param bias       per output channel, or null
     * @param variant    the table variant, or null to choose
     * @return the kernel
     * @throws CudaFailureException when {@link LutKernelVariant#SMEM16} is asked for and the table or device does
     *                              not allow it, or the upload fails
     */
    public static CudaLutConv2d create(CudaContext context, Conv2dGeometry geometry, MultiplierTable table,
                                       QuantizedWeights weights, QuantParams activation, float[] bias,
                                       LutKernelVariant variant) {
        LutOperands.check(geometry, table, weights, activation);
        return new CudaLutConv2d(context, geometry, table, weights, activation, bias, variant, null);
    }

    /** A kernel whose per-batch buffers belong to a {@link CudaLutKernels} backend. */
    static CudaLutConv2d shared(CudaContext context, Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights,
                                QuantParams activation, float[] bias, Scratch scratch) {
        LutOperands.check(geometry, table, weights, activation);
        return new CudaLutConv2d(context, geometry, table, weights, activation, bias, null, scratch);
    }

    /** @return the convolution */
    public Conv2dGeometry geometry() {
        return geometry;
    }

    /**
     * @param input  NCHW floats, {@code batch * inputSize}
     * @param batch  images
     * @param output NCHW floats, {@code batch * outputSize}, allocated by the caller
     */
    @Override
    public void forward(float[] input, int batch, float[] output) {
        Checks.positive("batch", batch);
        Checks.length("output", output.length, (long) batch * geometry.outputSize());
        run(input, batch, output, null);
    }

    /**
     * The exact integer accumulators (before scaling and bias), NCHW, as {@link CpuLutConv2d#accumulators}
     * computes them; from the {@code axdse_lut_conv2d_acc_*} kernel, which checks (not serves) evaluation.
     *
     * @param input NCHW floats, {@code batch * inputSize}
     * @param batch images
     * @param acc   NCHW longs, {@code batch * outputSize}, allocated by the caller
     */
    public void accumulators(float[] input, int batch, long[] acc) {
        Checks.positive("batch", batch);
        Checks.length("acc", acc.length, (long) batch * geometry.outputSize());
        run(input, batch, null, acc);
    }

    @Override
    int inputSize() {
        return geometry.inputSize();
    }

    @Override
    int outputSize() {
        return geometry.outputSize();
    }

    @Override
    String function(boolean accumulators) {
        return accumulators ? variant.convAccFunction() : variant.convFunction();
    }

    @Override
    CUfunction resolved(boolean accumulators) {
        return accumulators ? context.convAccumulators(variant) : context.conv(variant);
    }

    @Override
    Pointer[] shapeParams(int batch) {
        Conv2dGeometry g = geometry;
        return ints(batch, g.inChannels(), g.inHeight(), g.inWidth(), g.outChannels(), g.kernelH(), g.kernelW(), g.outHeight(),
                g.outWidth(), g.strideH(), g.strideW(), g.padTop(), g.padLeft(), g.dilationH(), g.dilationW(), g.groups());
    }

    @Override
    public String toString() {
        return "CudaLutConv2d " + geometry + " on " + context.name() + " (" + variant + ")";
    }
}
