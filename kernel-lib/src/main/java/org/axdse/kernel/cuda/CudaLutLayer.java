package org.axdse.kernel.cuda;

import java.util.ArrayList;
import java.util.List;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;
import org.axdse.kernel.Checks;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * What the CUDA convolution and dense kernels share: the layer's constants on the device (table, weight
 * byte patterns, per-channel scales and zero points, bias), the quantization launch and the per-batch
 * {@link Scratch}, and the batch itself ({@link #run}: upload, quantize, launch, download). The constants are
 * uploaded once, at construction; a failed construction frees what it had allocated.
 */
abstract class CudaLutLayer implements LutKernel {
    final CudaContext context;
    final LutKernelVariant variant;
    final int scheme;
    final float inScale;
    final int inZero;
    final DeviceBuffer table;
    final DeviceBuffer weightCodes;
    final DeviceBuffer weightScales;
    final DeviceBuffer weightZeros;
    final DeviceBuffer bias;
    final Scratch scratch;
    private final boolean ownsScratch;
    private final List<DeviceBuffer> owned = new ArrayList<>();
    private boolean closed;

    CudaLutLayer(CudaContext context, MultiplierTable lut, QuantizedWeights weights, QuantParams activation, float[] bias,
                 int outChannels, LutKernelVariant variant, Scratch shared) {
        this.context = context;
        boolean fits = LutKernelVariant.fits16Bits(lut);
        this.variant = variant != null ? variant : LutKernelVariant.choose(fits, context.sharedMemoryPerBlockOptin());
        if (this.variant == LutKernelVariant.SMEM16 && (!fits || !LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin()))) {
            throw new CudaFailureException(context.name() + ": the " + LutKernelVariant.SMEM16 + " kernels need a table that fits 16 bits ("
                    + lut.name() + (fits ? " does" : " does not") + ") and " + LutKernelVariant.SHARED_BYTES
                    + " bytes of shared memory per block (the device allows " + context.sharedMemoryPerBlockOptin() + ")");
        }
        if (bias != null) {
            Checks.exactLength("bias", bias.length, outChannels);
        }
        this.scheme = activation.scheme() == QuantScheme.UNSIGNED_AFFINE ? 0 : 1;
        this.inScale = activation.scale();
        this.inZero = activation.zeroPoint();
        int size = weights.outChannels() * weights.perChannelSize();
        byte[] codes = new byte[size];
        for (int i = 0; i < size; i++) {
            codes[i] = (byte) (weights.code(i) & 0xFF);
        }
        float[] scales = new float[outChannels];
        int[] zeros = new int[outChannels];
        for (int o = 0; o < outChannels; o++) {
            scales[o] = weights.scale(o);
            zeros[o] = weights.zeroPoint(o);
        }
        float[] b = bias == null ? new float[outChannels] : bias;
        Scratch s = null;
        try {
            context.makeCurrent();
            if (this.variant == LutKernelVariant.SMEM16) {
                this.table = own("table (int16)", 2L * MultiplierTable.ENTRIES);
                table.upload(LutKernelVariant.int16Entries(lut), MultiplierTable.ENTRIES);
            } else {
                this.table = own("table", 4L * MultiplierTable.ENTRIES);
                table.upload(lut.entries(), MultiplierTable.ENTRIES);
            }
            this.weightCodes = own("weight codes", size);
            weightCodes.upload(codes, size);
            this.weightScales = own("weight scales", 4L * outChannels);
            weightScales.upload(scales, outChannels);
            this.weightZeros = own("weight zero points", 4L * outChannels);
            weightZeros.upload(zeros, outChannels);
            this.bias = own("bias", 4L * outChannels);
            this.bias.upload(b, outChannels);
            s = shared != null ? shared : new Scratch(context);
        } catch (RuntimeException | Error e) {
            try {
                freeOwned();
            } catch (RuntimeException cleanup) { // the original failure is the one to report
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        this.scratch = s;
        this.ownsScratch = shared == null;
    }

    private DeviceBuffer own(String what, long bytes) {
        DeviceBuffer b = DeviceBuffer.allocate(context, what, bytes);
        owned.add(b);
        return b;
    }

    /** @return which table variant this kernel runs */
    public LutKernelVariant variant() {
        return variant;
    }

    /** @return input floats per image (per row of a dense layer) */
    abstract int inputSize();

    /** @return output floats per image */
    abstract int outputSize();

    /** @return the LUT kernel's entry point: the plain one, or the one that also writes accumulators */
    abstract String function(boolean accumulators);

    /** @return its resolved function */
    abstract CUfunction resolved(boolean accumulators);

    /** @return the kernel's shape parameters after {@link #leadingParams()} */
    abstract Pointer[] shapeParams(int batch);

    /**
     * One batch: uploads the input floats, quantizes them on the device into the scratch codes, launches the
     * LUT kernel (the accumulator kernel when {@code acc} is not null) and downloads what is asked for.
     *
     * @param input  {@code batch * inputSize()} floats
     * @param batch  images, at least 1
     * @param output {@code batch * outputSize()} floats, or null
     * @param acc    {@code batch * outputSize()} accumulators, or null
     */
    final void run(float[] input, int batch, float[] output, long[] acc) {
        Checks.length("input", input.length, (long) batch * inputSize());
        int outputs = batch * outputSize();
        uploadAndQuantize(input, batch * inputSize(), outputs);
        if (acc != null) {
            scratch.accumulators.ensureCapacity(8L * outputs);
        }
        launch(batch, acc != null);
        if (output != null) {
            scratch.output.download(output, outputs);
        }
        if (acc != null) {
            scratch.accumulators.download(acc, outputs);
        }
    }

    /** Launches the LUT kernel over the codes already on the device. */
    private void launch(int batch, boolean accumulators) {
        Pointer[] params = concat(leadingParams(), shapeParams(batch));
        if (accumulators) {
            params = concat(params, new Pointer[] {Pointer.to(scratch.accumulators.pointer())});
        }
        context.launch(function(accumulators), resolved(accumulators), (long) batch * outputSize(), variant, Pointer.to(params));
    }

    /**
     * Times the LUT kernel alone, for benchmarks: uploads and quantizes {@code input} once, then launches the
     * LUT kernel {@code launches} times back to back on those codes and waits for the last one. The time
     * excludes the transfers and the quantization that {@link #forward} adds.
     *
     * @param input    {@code batch * inputSize} floats
     * @param batch    images
     * @param launches kernel launches, at least 1
     * @return wall-clock seconds from the first launch to the end of the last
     */
    public final double timeKernel(float[] input, int batch, int launches) {
        Checks.positive("batch", batch);
        Checks.positive("launches", launches);
        run(input, batch, null, null);
        context.call("synchronize", JCudaDriver::cuCtxSynchronize);
        long t0 = System.nanoTime();
        for (int i = 0; i < launches; i++) {
            launch(batch, false);
        }
        context.call("synchronize after " + launches + " launches of " + function(false), JCudaDriver::cuCtxSynchronize);
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Uploads {@code n} input floats and quantizes them on the device into the scratch codes; grows the
     * output scratch to {@code outputs} floats.
     */
    private void uploadAndQuantize(float[] input, int n, int outputs) {
        if (closed) {
            throw new CudaFailureException(context.name() + ": " + getClass().getSimpleName() + " is closed");
        }
        context.makeCurrent();
        scratch.input.upload(input, n);
        scratch.codes.ensureCapacity(n);
        scratch.output.ensureCapacity(4L * outputs);
        Pointer params = Pointer.to(Pointer.to(scratch.input.pointer()), Pointer.to(scratch.codes.pointer()),
                Pointer.to(new long[] {n}), Pointer.to(new int[] {scheme}), Pointer.to(new float[] {inScale}),
                Pointer.to(new int[] {inZero}));
        context.launch(CudaContext.QUANTIZE_FUNCTION, context.quantizeFunction(), n, LutKernelVariant.LDG, params);
    }

    /** The pointers every LUT kernel takes first: codes, weight codes, table, scales, zero points, bias, output. */
    final Pointer[] leadingParams() {
        return new Pointer[] {Pointer.to(scratch.codes.pointer()), Pointer.to(weightCodes.pointer()), Pointer.to(table.pointer()),
                Pointer.to(weightScales.pointer()), Pointer.to(weightZeros.pointer()), Pointer.to(bias.pointer()),
                Pointer.to(scratch.output.pointer()), Pointer.to(new int[] {scheme}), Pointer.to(new float[] {inScale}),
                Pointer.to(new int[] {inZero})};
    }

    static Pointer[] ints(int... values) {
        Pointer[] p = new Pointer[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = Pointer.to(new int[] {values[i]});
        }
        return p;
    }

    static Pointer[] concat(Pointer[] a, Pointer[] b) {
        Pointer[] all = new Pointer[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private void freeOwned() {
        RuntimeException first = null;
        for (DeviceBuffer b : owned) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        owned.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Frees the layer's device memory (and its scratch when it owns one). Idempotent. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            freeOwned();
        } finally {
            if (ownsScratch) {
                scratch.close();
            }
        }
    }
}
