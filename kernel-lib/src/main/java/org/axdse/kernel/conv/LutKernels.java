package org.axdse.kernel.conv;

import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * A backend that builds {@link LutKernel}s: {@link #cpu()} (the Java kernels, {@link CpuLutConv2d} and
 * {@link CpuLutDense}) or a CUDA device ({@code org.axdse.kernel.cuda.CudaLutKernels}). Construction inputs
 * and output semantics are the same on every backend, so a caller (the forward pass) swaps backends
 * without changing results.
 *
 * <p>A backend may own resources shared by the kernels it built (the CUDA backend's device scratch
 * buffers): close it after its kernels. Like the kernels, a backend serves one thread.
 */
public interface LutKernels extends AutoCloseable {
    /** @return the backend's name as recorded in results: {@code cpu} or {@code cuda:<ordinal>} */
    String name();

    /**
     * @param geometry   the convolution
     * @param table      the multiplier
     * @param weights    quantized weights {@code [outChannels][inChannels/groups][kh][kw]}
     * @param activation input quantization
     * @param bias       per output channel, or null for none
     * @return the layer's kernel
     */
    LutKernel conv2d(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights, QuantParams activation,
                     float[] bias);

    /**
     * @param inFeatures  K
     * @param outFeatures outputs
     * @param table       the multiplier
     * @param weights     quantized weights {@code [outFeatures][inFeatures]}
     * @param activation  input quantization
     * @param bias        per output, or null
     * @return the layer's kernel
     */
    LutKernel dense(int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                    QuantParams activation, float[] bias);

    /** Frees what the backend owns (not the kernels it built); by default nothing. Idempotent. */
    @Override
    default void close() {
    }

    /** @return the CPU backend (stateless, shared) */
    static LutKernels cpu() {
        return CpuLutKernels.INSTANCE;
    }
}
