package org.axdse.kernel.conv;

/**
 * One approximate layer bound to its multiplier, weights and quantization, on some backend (CPU or CUDA):
 * {@link #forward} quantizes the input, multiplies through the table and writes float outputs with the
 * semantics of ARCHITECTURE.md section 3. Every backend produces the same bits for the same inputs.
 *
 * <p>Instances are not thread-safe (they own scratch buffers); use one per thread. {@link #close()} frees
 * what the kernel owns (device memory for CUDA kernels; nothing for CPU kernels).
 */
public interface LutKernel extends AutoCloseable {
    /**
     * @param input  NCHW floats ({@code [batch][inFeatures]} for a dense layer), {@code batch * inputSize}
     * @param batch  images
     * @param output NCHW floats ({@code [batch][outFeatures]}), {@code batch * outputSize}, allocated by the caller
     */
    void forward(float[] input, int batch, float[] output);

    /** Frees what the kernel owns; by default nothing. Idempotent. */
    @Override
    default void close() {
    }
}
