package org.axdse.kernel.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUfunction;
import jcuda.driver.CUfunction_attribute;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CUDA device, ready to run AxDSE's kernels: its primary context, the kernel module loaded from the
 * packaged PTX ({@value #PTX_RESOURCE}, JIT-compiled by the driver for the device at load), the resolved
 * entry points and the device's limits. Open one per device and process and share it; {@link #close()}
 * unloads the module and releases the primary context.
 *
 * <p><b>Threading.</b> A context may be used from any number of threads. CUDA binds a context to a thread,
 * so every operation of this package first makes this context current on the calling thread
 * ({@code cuCtxSetCurrent}, cheap) — no caller ever has to. Work goes to the context's default stream and
 * every download is synchronous, so each {@link CudaLutConv2d#forward forward} call is complete when it
 * returns; kernels and buffers (which are not thread-safe) used by different threads interleave safely on
 * the device. Closing a context while other threads still use it is the caller's error.
 *
 * <p>Errors of the driver are thrown as {@link CudaFailureException} naming the device and the operation.
 */
public final class CudaContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CudaContext.class);
    /** Class-path resource of the kernels' PTX (built from {@code kernel-lib/src/main/kernels/*.cu}). */
    public static final String PTX_RESOURCE = "/org/axdse/kernel/cuda/lut_kernels.ptx";
    /** Entry point of the quantization kernel. */
    static final String QUANTIZE_FUNCTION = "axdse_quantize";

    private final int ordinal;
    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final CUfunction quantize;
    private final CUfunction[] conv = new CUfunction[LutKernelVariant.values().length];
    private final CUfunction[] dense = new CUfunction[LutKernelVariant.values().length];
    private final CUfunction[] convAcc = new CUfunction[LutKernelVariant.values().length];
    private final CUfunction[] denseAcc = new CUfunction[LutKernelVariant.values().length];
    private final String deviceName;
    private final int computeMajor;
    private final int computeMinor;
    private final int multiprocessors;
    private final int sharedPerBlockOptin;
    private final long totalMemory;
    private boolean closed;

    private CudaContext(int ordinal) {
        this.ordinal = ordinal;
        CudaAvailability a = CudaRuntime.requireAvailable();
        if (ordinal < 0 || ordinal >= a.devices()) {
            throw new CudaFailureException("CUDA device " + ordinal + ": expected 0.." + (a.devices() - 1) + " ("
                    + a.devices() + " device(s) visible)");
        }
        byte[] ptx = ptxBytes();
        device = new CUdevice();
        context = new CUcontext();
        call("get device", () -> JCudaDriver.cuDeviceGet(device, ordinal));
        call("retain the primary context", () -> JCudaDriver.cuDevicePrimaryCtxRetain(context, device));
        CUmodule m = null;
        try {
            makeCurrent();
            byte[] name = new byte[256];
            call("get the device name", () -> JCudaDriver.cuDeviceGetName(name, name.length, device));
            int len = 0;
            while (len < name.length && name[len] != 0) {
                len++;
            }
            deviceName = new String(name, 0, len, StandardCharsets.US_ASCII);
            computeMajor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
            computeMinor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
            multiprocessors = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
            sharedPerBlockOptin = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN);
            long[] mem = new long[1];
            call("get the device memory", () -> JCudaDriver.cuDeviceTotalMem(mem, device));
            totalMemory = mem[0];
            m = loadModule(ptx);
            module = m;
            quantize = function(QUANTIZE_FUNCTION);
            for (LutKernelVariant v : LutKernelVariant.values()) {
                conv[v.ordinal()] = function(v.convFunction());
                dense[v.ordinal()] = function(v.denseFunction());
                convAcc[v.ordinal()] = function(v.convAccFunction());
                denseAcc[v.ordinal()] = function(v.denseAccFunction());
            }
            if (LutKernelVariant.allowsSmem16(sharedPerBlockOptin)) {
                LutKernelVariant s = LutKernelVariant.SMEM16;
                for (CUfunction f : new CUfunction[] {conv(s), dense(s), convAccumulators(s), denseAccumulators(s)}) {
                    call("allow " + LutKernelVariant.SHARED_BYTES + " bytes of dynamic shared memory",
                            () -> JCudaDriver.cuFuncSetAttribute(f, CUfunction_attribute.CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                                    LutKernelVariant.SHARED_BYTES));
                }
            }
        } catch (RuntimeException | Error e) {
            if (m != null) {
                CUmodule loaded = m;
                quietly("unload the module", () -> JCudaDriver.cuModuleUnload(loaded));
            }
            quietly("release the primary context", () -> JCudaDriver.cuDevicePrimaryCtxRelease(device));
            throw e;
        }
        LOG.info("{}: {} (sm_{}{}, {} SMs, {} MiB, {} KiB shared memory per block opt-in)", name(), deviceName, computeMajor,
                computeMinor, multiprocessors, totalMemory >> 20, sharedPerBlockOptin >> 10);
    }

    /**
     * Opens a device: retains its primary context, loads the kernel module and resolves the kernels.
     *
     * @param ordinal the CUDA device ordinal (0-based, among the devices visible to this process)
     * @return the context
     * @throws CudaFailureException when CUDA is unavailable, the ordinal is out of range, the PTX resource is
     *                              missing or does not load (e.g. a driver older than the PTX), or a call fails
     */
    public static CudaContext open(int ordinal) {
        return new CudaContext(ordinal);
    }

    /** @return whether the kernels' PTX resource is on the class path */
    public static boolean ptxPresent() {
        return CudaContext.class.getResource(PTX_RESOURCE) != null;
    }

    /**
     * @return the kernels' PTX text
     * @throws CudaFailureException when the resource is missing or unreadable
     */
    public static String ptx() {
        byte[] b = ptxBytes();
        return new String(b, 0, b.length - 1, StandardCharsets.US_ASCII);
    }

    /** @return the PTX resource's bytes followed by the NUL the driver expects */
    private static byte[] ptxBytes() {
        try (InputStream in = CudaContext.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new CudaFailureException("CUDA kernels: the PTX resource " + PTX_RESOURCE
                        + " is not on the class path (kernel-lib built without it)");
            }
            byte[] b = in.readAllBytes();
            return Arrays.copyOf(b, b.length + 1);
        } catch (IOException e) {
            throw new CudaFailureException("CUDA kernels: cannot read the PTX resource " + PTX_RESOURCE + " (" + e + ")", e);
        }
    }

    private CUmodule loadModule(byte[] ptx) {
        CUmodule m = new CUmodule();
        try {
            // The driver JIT-compiles the PTX for this device (and caches the result in ~/.nv/ComputeCache).
            JCudaDriver.cuModuleLoadData(m, ptx);
        } catch (RuntimeException e) {
            String hint = String.valueOf(e.getMessage()).contains("UNSUPPORTED_PTX_VERSION")
                    ? "; the NVIDIA driver is older than the CUDA toolkit that built the PTX" : "";
            throw new CudaFailureException(name() + " (" + deviceName + ", compute " + computeMajor + "." + computeMinor
                    + "): the kernels' PTX " + PTX_RESOURCE + " does not load (" + CudaRuntime.firstLine(e) + hint + ")", e);
        }
        return m;
    }

    private CUfunction function(String name) {
        CUfunction f = new CUfunction();
        call("find kernel " + name + " in " + PTX_RESOURCE, () -> JCudaDriver.cuModuleGetFunction(f, module, name));
        return f;
    }

    private int attribute(int attribute) {
        int[] v = new int[1];
        call("get device attribute " + CUdevice_attribute.stringFor(attribute),
                () -> JCudaDriver.cuDeviceGetAttribute(v, attribute, device));
        return v[0];
    }

    /**
     * Makes this context current on the calling thread; every operation of this package calls it first.
     *
     * @throws CudaFailureException when the context is closed or the call fails
     */
    public void makeCurrent() {
        synchronized (this) {
            if (closed) {
                throw new CudaFailureException(name() + ": the context is closed");
            }
        }
        call("make the context current", () -> JCudaDriver.cuCtxSetCurrent(context));
    }

    /**
     * Runs one driver call, turning its error into a {@link CudaFailureException} that names this device and
     * {@code what}.
     */
    void call(String what, Runnable driverCall) {
        try {
            driverCall.run();
        } catch (CudaFailureException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CudaFailureException(name() + ": cannot " + what + " (" + CudaRuntime.firstLine(e) + ")", e);
        }
    }

    private void quietly(String what, Runnable driverCall) {
        try {
            driverCall.run();
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot {} ({})", name(), what, CudaRuntime.firstLine(e));
        }
    }

    /**
     * Launches a kernel over {@code total} elements with the block and grid sizes of {@code variant}
     * ({@link LutKernelVariant#blockThreads}, {@link LutKernelVariant#gridBlocks(long, int)}; the quantize
     * kernel uses the {@link LutKernelVariant#LDG} sizes), on the default stream (asynchronous; errors of the
     * run itself surface at the next synchronous call, the download).
     */
    void launch(String what, CUfunction f, long total, LutKernelVariant variant, Pointer params) {
        int blocks = variant.gridBlocks(total, multiprocessors);
        int threads = variant.blockThreads();
        call("launch " + what + " (" + blocks + " x " + threads + ")", () -> JCudaDriver.cuLaunchKernel(f, blocks, 1, 1,
                threads, 1, 1, variant.sharedBytes(), null, params, null));
    }

    CUfunction quantizeFunction() {
        return quantize;
    }

    CUfunction conv(LutKernelVariant v) {
        return conv[v.ordinal()];
    }

    CUfunction dense(LutKernelVariant v) {
        return dense[v.ordinal()];
    }

    CUfunction convAccumulators(LutKernelVariant v) {
        return convAcc[v.ordinal()];
    }

    CUfunction denseAccumulators(LutKernelVariant v) {
        return denseAcc[v.ordinal()];
    }

    /** @return the CUDA device ordinal */
    public int ordinal() {
        return ordinal;
    }

    /** @return {@code cuda:<ordinal>}, the backend name recorded in results */
    public String name() {
        return "cuda:" + ordinal;
    }

    /** @return the device's name, e.g. {@code NVIDIA H100 80GB HBM3} */
    public String deviceName() {
        return deviceName;
    }

    /** @return compute capability, e.g. {@code 9.0} */
    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }

    /** @return streaming multiprocessors */
    public int multiprocessors() {
        return multiprocessors;
    }

    /** @return the device's opt-in shared memory limit per block, bytes */
    public int sharedMemoryPerBlockOptin() {
        return sharedPerBlockOptin;
    }

    /** @return device memory, bytes */
    public long totalMemory() {
        return totalMemory;
    }

    /** Unloads the module and releases the primary context. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            quietly("make the context current", () -> JCudaDriver.cuCtxSetCurrent(context));
            quietly("unload the module", () -> JCudaDriver.cuModuleUnload(module));
            closed = true;
        }
        quietly("release the primary context", () -> JCudaDriver.cuDevicePrimaryCtxRelease(device));
    }

    @Override
    public String toString() {
        return name() + " (" + deviceName + ")";
    }
}
