package org.axdse.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import jcuda.CudaException;
import org.axdse.kernel.AxdseException;
import org.junit.jupiter.api.Test;

/** CUDA availability is detected without crashing, explains itself, and gates every device operation. */
class CudaRuntimeTest {
    /** Whether the NVIDIA driver library is installed where the dynamic loader looks first. */
    static boolean libcudaInstalled() {
        for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64",
                "/usr/lib/wsl/lib"}) {
            if (Files.exists(Path.of(dir, "libcuda.so.1"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void availabilityNeverThrowsIsCachedAndExplainsItself() {
        CudaAvailability a = CudaRuntime.availability();
        assertSame(a, CudaRuntime.availability(), "probed once per JVM");
        assertFalse(a.reason() == null || a.reason().isBlank(), "a reason either way");
        if (a.available()) {
            assertTrue(a.devices() >= 1, a.toString());
            assertTrue(a.reason().matches("CUDA driver \\d+\\.\\d+, \\d+ device\\(s\\)"), a.reason());
        } else {
            assertEquals(0, a.devices(), a.toString());
            assertTrue(a.reason().startsWith("no CUDA driver (libcuda not loadable: ")
                    || a.reason().startsWith("JCuda driver API not loadable (")
                    || a.reason().equals("CUDA driver has no devices")
                    || a.reason().startsWith("CUDA driver failed to initialise ("), a.reason());
        }
        if (!a.available() && !libcudaInstalled()) { // this development machine, CI without a GPU
            assertTrue(a.reason().startsWith("no CUDA driver (libcuda not loadable: libcuda.so.1"), a.reason());
        }
    }

    @Test
    void withoutCudaOpeningADeviceFailsWithTheReason() {
        CudaAvailability a = CudaRuntime.availability();
        if (a.available()) {
            CudaFailureException e = assertThrows(CudaFailureException.class, () -> CudaContext.open(a.devices()));
            assertTrue(e.getMessage().contains("expected 0.." + (a.devices() - 1)), e.getMessage());
            return;
        }
        CudaFailureException e = assertThrows(CudaFailureException.class, () -> CudaContext.open(0));
        assertEquals("CUDA is not available: " + a.reason(), e.getMessage());
        assertTrue(e instanceof AxdseException, "one exception family");
    }

    @Test
    void loadFailuresAreSummarisedFromTheNestedLoaderMessages() {
        // What JCuda 12.6's LibUtils throws on a machine without the NVIDIA driver (abridged).
        UnsatisfiedLinkError noDriver = new UnsatisfiedLinkError("""
                Error while loading native library "JCudaDriver-12.6.0-linux-x86_64"
                Operating system name: Linux
                ---(start of nested stack traces)---
                Stack trace from the attempt to load the library as a file:
                java.lang.UnsatisfiedLinkError: no JCudaDriver-12.6.0-linux-x86_64 in java.library.path: /usr/lib
                Stack trace from the attempt to load the library as a resource:
                java.lang.UnsatisfiedLinkError: /tmp/libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared object file: No such file or directory
                ---(end of nested stack traces)---""");
        assertEquals("no CUDA driver (libcuda not loadable: libcuda.so.1: cannot open shared object file: No such file or directory)",
                CudaRuntime.loadFailure(noDriver));
        // A later touch of the class, with the first failure as its cause (Java 17).
        NoClassDefFoundError later = new NoClassDefFoundError("Could not initialize class jcuda.driver.JCudaDriver");
        later.initCause(new ExceptionInInitializerError(noDriver.getMessage()));
        assertEquals(CudaRuntime.loadFailure(noDriver), CudaRuntime.loadFailure(later));
        // JCuda's own native library missing for this platform.
        assertEquals("JCuda driver API not loadable (java.lang.UnsatisfiedLinkError: Could not load the native library)",
                CudaRuntime.loadFailure(new UnsatisfiedLinkError("Could not load the native library\nmore")));
    }

    @Test
    void initFailuresDistinguishNoDeviceFromOtherErrors() {
        assertEquals("CUDA driver has no devices", CudaRuntime.initFailure(new CudaException("CUDA_ERROR_NO_DEVICE")));
        assertEquals("CUDA driver failed to initialise (jcuda.CudaException: CUDA_ERROR_INSUFFICIENT_DRIVER)",
                CudaRuntime.initFailure(new CudaException("CUDA_ERROR_INSUFFICIENT_DRIVER")));
    }

    @Test
    void failureSummariesAreOneShortLine() {
        String longMessage = "x".repeat(1000) + "\nsecond line";
        String s = CudaRuntime.firstLine(new RuntimeException(longMessage));
        assertEquals(300, s.length());
        assertFalse(s.contains("\n"));
    }
}
