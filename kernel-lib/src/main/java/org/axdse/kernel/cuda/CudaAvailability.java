package org.axdse.kernel.cuda;

/**
 * Whether this JVM can run the CUDA kernels, as {@link CudaRuntime#availability()} found it.
 *
 * @param available whether the driver loaded, initialised and has at least one device
 * @param devices   CUDA devices visible to this process (0 when unavailable)
 * @param reason    why not, e.g. {@code no CUDA driver (libcuda not loadable: ...)} or
 *                  {@code CUDA driver has no devices}; when available, the driver version and device count
 */
public record CudaAvailability(boolean available, int devices, String reason) {
    /**
     * @param reason why CUDA cannot be used
     * @return an unavailable result
     */
    public static CudaAvailability unavailable(String reason) {
        return new CudaAvailability(false, 0, reason);
    }
}
