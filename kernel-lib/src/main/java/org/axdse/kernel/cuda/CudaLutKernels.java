package org.axdse.kernel.cuda;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The CUDA backend of the forward pass: builds {@link CudaLutConv2d} and {@link CudaLutDense} kernels on one
 * {@link CudaContext} that all share this backend's per-batch device buffers (input, codes, output), since a
 * forward pass runs its layers one after another. One per thread (a Spark task); close it after the kernels
 * it built. It does not own the context.
 */
public final class CudaLutKernels implements LutKernels {
    private final CudaContext context;
    private final Scratch scratch;

    /** @param context the device (shared, not owned) */
    public CudaLutKernels(CudaContext context) {
        this.context = context;
        this.scratch = new Scratch(context);
    }

    /** @return the device */
    public CudaContext context() {
        return context;
    }

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public LutKernel conv2d(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights, QuantParams activation,
                            float[] bias) {
        return CudaLutConv2d.shared(context, geometry, table, weights, activation, bias, scratch);
    }

    @Override
    public LutKernel dense(int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                           QuantParams activation, float[] bias) {
        return CudaLutDense.shared(context, inFeatures, outFeatures, table, weights, activation, bias, scratch);
    }

    /** Frees the shared per-batch buffers. */
    @Override
    public void close() {
        scratch.close();
    }

    @Override
    public String toString() {
        return name();
    }
}
