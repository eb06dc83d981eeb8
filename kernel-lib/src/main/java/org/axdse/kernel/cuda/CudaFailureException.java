package org.axdse.kernel.cuda;

import org.axdse.kernel.AxdseException;

/**
 * A CUDA operation failed: the driver is missing, a device ran out of memory, a module did not load, a
 * kernel launch failed. The message names the device and the operation. Callers that can run on the CPU
 * instead (the Spark task) catch it and fall back.
 */
public class CudaFailureException extends AxdseException {
    private static final long serialVersionUID = 1L;

    /** @param message the device, the operation and what went wrong */
    public CudaFailureException(String message) {
        super(message);
    }

    /**
     * @param message the device, the operation and what went wrong
     * @param cause   the driver's error (a {@code jcuda.CudaException}) or a loading failure
     */
    public CudaFailureException(String message, Throwable cause) {
        super(message, cause);
    }
}
