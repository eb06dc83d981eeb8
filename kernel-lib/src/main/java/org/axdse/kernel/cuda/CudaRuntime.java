package org.axdse.kernel.cuda;

import jcuda.CudaException;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out, once per JVM and without ever crashing, whether the CUDA driver API can be used here.
 *
 * <p>Loading JCuda's driver binding ({@code libJCudaDriver}) needs {@code libcuda.so.1}, the NVIDIA driver;
 * on a machine without it the class fails to initialise with an {@link UnsatisfiedLinkError} (and every
 * later touch with a {@link NoClassDefFoundError}). {@link #availability()} catches all of that, then calls
 * {@code cuInit} and {@code cuDeviceGetCount}, and caches the outcome. This class is also the one place
 * that turns JCuda's error codes into exceptions ({@code JCudaDriver.setExceptionsEnabled(true)}, called
 * exactly once, in {@link #probe()}); every other CUDA class goes through {@link #requireAvailable()} first.
 */
public final class CudaRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(CudaRuntime.class);
    private static volatile CudaAvailability availability;

    private CudaRuntime() {
    }

    /**
     * @return whether CUDA can be used, with the device count or the reason why not; computed on the first
     *         call (loading the native driver binding) and cached. Never throws (except for VM errors such as
     *         out of memory).
     */
    public static CudaAvailability availability() {
        CudaAvailability a = availability;
        if (a == null) {
            synchronized (CudaRuntime.class) {
                a = availability;
                if (a == null) {
                    a = probe();
                    availability = a;
                    LOG.info("CUDA: {}", a.reason());
                }
            }
        }
        return a;
    }

    /**
     * @return the availability, when CUDA is available
     * @throws CudaFailureException with the reason, when it is not
     */
    static CudaAvailability requireAvailable() {
        CudaAvailability a = availability();
        if (!a.available()) {
            throw new CudaFailureException("CUDA is not available: " + a.reason());
        }
        return a;
    }

    private static CudaAvailability probe() {
        try {
            // Initialises JCudaDriver, which loads the native binding and with it libcuda.
            JCudaDriver.setExceptionsEnabled(true);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.debug("JCuda driver API did not load", t);
            return CudaAvailability.unavailable(loadFailure(t));
        }
        try {
            JCudaDriver.cuInit(0);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.debug("cuInit failed", t);
            return CudaAvailability.unavailable(initFailure(t));
        }
        try {
            int[] count = new int[1];
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] < 1) {
                return CudaAvailability.unavailable("CUDA driver has no devices");
            }
            int[] version = new int[1];
            JCudaDriver.cuDriverGetVersion(version);
            return new CudaAvailability(true, count[0], "CUDA driver " + version[0] / 1000 + "." + version[0] % 1000 / 10
                    + ", " + count[0] + " device(s)");
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            LOG.debug("cuDeviceGetCount failed", t);
            return CudaAvailability.unavailable("CUDA driver cannot list devices (" + firstLine(t) + ")");
        }
    }

    /** The reason for a failure to load the driver binding: libcuda missing, or JCuda's own natives. */
    static String loadFailure(Throwable t) {
        String sharedObject = find(t, "cannot open shared object file");
        if (sharedObject != null && sharedObject.contains("libcuda")) {
            return "no CUDA driver (libcuda not loadable: " + sharedObject.substring(sharedObject.indexOf("libcuda")) + ")";
        }
        String libcuda = find(t, "libcuda");
        if (libcuda != null) {
            return "no CUDA driver (libcuda not loadable: " + libcuda + ")";
        }
        if (sharedObject != null) {
            return "JCuda driver API not loadable (" + sharedObject + ")";
        }
        return "JCuda driver API not loadable (" + firstLine(t) + ")";
    }

    /** The reason for a failing cuInit: no device, or another driver error. */
    static String initFailure(Throwable t) {
        String m = String.valueOf(t.getMessage());
        if (t instanceof CudaException && m.contains("CUDA_ERROR_NO_DEVICE")) {
            return "CUDA driver has no devices";
        }
        return "CUDA driver failed to initialise (" + firstLine(t) + ")";
    }

    /** @return the first line, over {@code t} and its causes, that contains {@code text}, trimmed; or null */
    private static String find(Throwable t, String text) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage();
            if (m == null) {
                continue;
            }
            for (String line : m.split("\\R")) {
                if (line.contains(text)) {
                    return line.trim();
                }
            }
        }
        return null;
    }

    /**
     * @param t a failure
     * @return its class and the first line of its message, at most 300 characters
     */
    static String firstLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getName() + (m == null || m.isBlank() ? "" : ": " + m.strip().split("\\R", 2)[0]);
        return s.length() <= 300 ? s : s.substring(0, 297) + "...";
    }
}
