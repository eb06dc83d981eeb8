package org.axdse.kernel.cuda;

/**
 * The per-batch device buffers of the LUT kernels: input floats, their codes, output floats (and the int64
 * accumulators, allocated only when they are asked for). They grow to
 * the largest batch seen and are reused by every later one, and by every kernel of one
 * {@link CudaLutKernels} backend (its layers run one after another on one thread). Not thread-safe.
 */
final class Scratch implements AutoCloseable {
    final DeviceBuffer input;
    final DeviceBuffer codes;
    final DeviceBuffer output;
    final DeviceBuffer accumulators;

    Scratch(CudaContext context) {
        DeviceBuffer in = DeviceBuffer.allocate(context, "input", 0);
        DeviceBuffer c = DeviceBuffer.allocate(context, "input codes", 0);
        DeviceBuffer out = DeviceBuffer.allocate(context, "output", 0);
        DeviceBuffer acc = DeviceBuffer.allocate(context, "accumulators", 0);
        this.input = in;
        this.codes = c;
        this.output = out;
        this.accumulators = acc;
    }

    @Override
    public void close() {
        try (input; codes; output; accumulators) {
            // closes all four, even when one fails
        }
    }
}
