package org.axdse.kernel.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import org.axdse.kernel.Checks;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.CpuLutDense;
import org.axdse.kernel.conv.LutOperands;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Approximate dense layer on a CUDA device, with the construction inputs, {@link #forward} signature and
 * results of {@link CpuLutDense} (bit for bit). Device memory, variant choice and threading as
 * {@link CudaLutConv2d}.
 */
public final class CudaLutDense extends CudaLutLayer {
    private final int inFeatures;
    private final int outFeatures;

    private CudaLutDense(CudaContext context, int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                         QuantParams activation, float[] bias, LutKernelVariant variant, Scratch scratch) {
        super(context, table, weights, activation, bias, outFeatures, variant, scratch);
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
    }

    /**
     * @param context     the device
     * @param inFeatures  K
     * @param outFeatures outputs
     * @param table       the multiplier
     * @param weights     quantized weights {@code [outFeatures][inFeatures]}
     * @param activation  input quantization
     * @param bias        per output, or null
     * @return the kernel, its table variant from {@link LutKernelVariant#choose}
     */
    public static CudaLutDense create(CudaContext context, int inFeatures, int outFeatures, MultiplierTable table,
                                      QuantizedWeights weights, QuantParams activation, float[] bias) {
        return create(context, inFeatures, outFeatures, table, weights, activation, bias, null);
    }

    /**
     * @param context     the device
     * @param inFeatures  K
     * @param outFeatures outputs
     * @param table       the multiplier
     * @param weights     quantized weights
     * @param activation  input quantization
     * @param bias        per output, or null
     * @param variant     the table variant, or null to choose
     * @return the kernel
     */
    public static CudaLutDense create(CudaContext context, int inFeatures, int outFeatures, MultiplierTable table,
                                      QuantizedWeights weights, QuantParams activation, float[] bias, LutKernelVariant variant) {
        LutOperands.check(Conv2dGeometry.dense(inFeatures, outFeatures), table, weights, activation);
        return new CudaLutDense(context, inFeatures, outFeatures, table, weights, activation, bias, variant, null);
    }

    /** A kernel whose per-batch buffers belong to a {@link CudaLutKernels} backend. */
    static CudaLutDense shared(CudaContext context, int inFeatures, int outFeatures, MultiplierTable table,
                               QuantizedWeights weights, QuantParams activation, float[] bias, Scratch scratch) {
        LutOperands.check(Conv2dGeometry.dense(inFeatures, outFeatures), table, weights, activation);
        return new CudaLutDense(context, inFeatures, outFeatures, table, weights, activation, bias, null, scratch);
    }

    /**
     * @param input  {@code [batch][inFeatures]}
     * @param batch  rows
     * @param output {@code [batch][outFeatures]}, allocated by the caller
     */
    @Override
    public void forward(float[] input, int batch, float[] output) {
        Checks.positive("batch", batch);
        Checks.length("output", output.length, (long) batch * outFeatures);
        run(input, batch, output, null);
    }

    /**
     * The exact integer accumulators, as {@link CpuLutDense#accumulators} computes them; from the
     * {@code axdse_lut_dense_acc_*} kernel.
     *
     * @param input {@code [batch][inFeatures]}
     * @param batch rows
     * @param acc   {@code [batch][outFeatures]}, allocated by the caller
     */
    public void accumulators(float[] input, int batch, long[] acc) {
        Checks.positive("batch", batch);
        Checks.length("acc", acc.length, (long) batch * outFeatures);
        run(input, batch, null, acc);
    }

    @Override
    int inputSize() {
        return inFeatures;
    }

    @Override
    int outputSize() {
        return outFeatures;
    }

    @Override
    String function(boolean accumulators) {
        return accumulators ? variant.denseAccFunction() : variant.denseFunction();
    }

    @Override
    CUfunction resolved(boolean accumulators) {
        return accumulators ? context.denseAccumulators(variant) : context.dense(variant);
    }

    @Override
    Pointer[] shapeParams(int batch) {
        return ints(batch, inFeatures, outFeatures);
    }

    @Override
    public String toString() {
        return "CudaLutDense " + inFeatures + " -> " + outFeatures + " on " + context.name() + " (" + variant + ")";
    }
}
