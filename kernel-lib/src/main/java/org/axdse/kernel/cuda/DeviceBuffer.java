package org.axdse.kernel.cuda;

import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.JCudaDriver;

/**
 * One block of device memory ({@code cuMemAlloc}), owned by this object and freed by {@link #close()}.
 * {@link #ensureCapacity} grows it when a larger batch needs more (freeing the old block first), so one
 * buffer serves every batch of a task. Not thread-safe.
 */
public final class DeviceBuffer implements AutoCloseable {
    private final CudaContext context;
    private final String what;
    private CUdeviceptr pointer;
    private long capacity;
    private boolean closed;

    private DeviceBuffer(CudaContext context, String what) {
        this.context = context;
        this.what = what;
    }

    /**
     * @param context the device
     * @param what    what the buffer holds, for error messages (e.g. {@code "table"})
     * @param bytes   initial size; 0 allocates on the first {@link #ensureCapacity}
     * @return the buffer
     * @throws CudaFailureException when the allocation fails (e.g. out of device memory)
     */
    public static DeviceBuffer allocate(CudaContext context, String what, long bytes) {
        DeviceBuffer b = new DeviceBuffer(context, what);
        b.ensureCapacity(bytes);
        return b;
    }

    /**
     * Makes the buffer hold at least {@code bytes}; when it grows, its contents are lost.
     *
     * @param bytes bytes needed
     */
    public void ensureCapacity(long bytes) {
        if (closed) {
            throw new CudaFailureException(context.name() + ": " + what + " buffer is closed");
        }
        if (bytes <= capacity) {
            return;
        }
        context.makeCurrent();
        free();
        CUdeviceptr p = new CUdeviceptr();
        context.call("allocate " + bytes + " bytes for " + what, () -> JCudaDriver.cuMemAlloc(p, bytes));
        pointer = p;
        capacity = bytes;
    }

    /** @return bytes allocated now */
    public long capacity() {
        return capacity;
    }

    /** @return the device pointer, for kernel parameters */
    CUdeviceptr pointer() {
        if (pointer == null) {
            throw new CudaFailureException(context.name() + ": " + what + " buffer is " + (closed ? "closed" : "empty"));
        }
        return pointer;
    }

    /**
     * Copies {@code count} floats to the start of the buffer, growing it if needed.
     *
     * @param src   host floats
     * @param count how many
     */
    public void upload(float[] src, int count) {
        upload(Pointer.to(src), 4L * count);
    }

    /**
     * @param src   host ints
     * @param count how many
     */
    public void upload(int[] src, int count) {
        upload(Pointer.to(src), 4L * count);
    }

    /**
     * @param src   host shorts
     * @param count how many
     */
    public void upload(short[] src, int count) {
        upload(Pointer.to(src), 2L * count);
    }

    /**
     * @param src   host bytes
     * @param count how many
     */
    public void upload(byte[] src, int count) {
        upload(Pointer.to(src), count);
    }

    private void upload(Pointer src, long bytes) {
        ensureCapacity(bytes);
        context.makeCurrent();
        context.call("copy " + bytes + " bytes of " + what + " to the device",
                () -> JCudaDriver.cuMemcpyHtoD(pointer, src, bytes));
    }

    /**
     * Copies {@code count} floats from the start of the buffer; waits for the work queued before it.
     *
     * @param dst   host floats
     * @param count how many
     */
    public void download(float[] dst, int count) {
        download(Pointer.to(dst), 4L * count);
    }

    /**
     * Copies {@code count} longs from the start of the buffer; waits for the work queued before it.
     *
     * @param dst   host longs
     * @param count how many
     */
    public void download(long[] dst, int count) {
        download(Pointer.to(dst), 8L * count);
    }

    private void download(Pointer dst, long bytes) {
        if (bytes > capacity) {
            throw new IllegalArgumentException(what + ": cannot read " + bytes + " bytes from a " + capacity + "-byte buffer");
        }
        context.makeCurrent();
        context.call("copy " + bytes + " bytes of " + what + " from the device (or a kernel before it failed)",
                () -> JCudaDriver.cuMemcpyDtoH(dst, pointer, bytes));
    }

    private void free() {
        if (pointer != null) {
            CUdeviceptr p = pointer;
            pointer = null;
            capacity = 0;
            context.call("free " + what, () -> JCudaDriver.cuMemFree(p));
        }
    }

    /** Frees the device memory. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (pointer != null) {
            context.makeCurrent();
            free();
        }
    }
}
