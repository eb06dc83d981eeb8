package org.axdse.kernel.cuda;

/**
 * The per-batch device buffers of the LUT kernels: input floats, their codes, output floats. They grow to
 * the largest batch seen and are reused by every later one, and by every kernel of one
 * {@link CudaLutKernels} backend (its layers run one after another on one thread). Not thread-safe.
 */
final class Scratch implements AutoCloseable {
    final DeviceBuffer input;
    final DeviceBuffer codes;
    final DeviceBuffer output;

    Scratch(CudaContext context) {
        DeviceBuffer in = DeviceBuffer.allocate(context, "input", 0);
        DeviceBuffer c = DeviceBuffer.allocate(context, "input codes", 0);
        DeviceBuffer out = DeviceBuffer.allocate(context, "output", 0);
        this.input = in;
        this.codes = c;
        this.output = out;
    }

    @Override
    public void close() {
        try (input; codes; output) {
            // closes all three, even when one fails
        }
    }
}
