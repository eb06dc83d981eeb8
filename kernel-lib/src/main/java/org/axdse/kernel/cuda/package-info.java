/**
 * The LUT kernels on NVIDIA GPUs through JCuda's driver API, with the signatures and bit-exact results of
 * the CPU kernels in {@link org.axdse.kernel.conv}.
 *
 * <ul>
 *   <li>{@link org.axdse.kernel.cuda.CudaRuntime#availability()}: whether CUDA can be used here (never
 *       throws; no driver, no device -> a reason).</li>
 *   <li>{@link org.axdse.kernel.cuda.CudaContext}: one per device and process; the kernels' module from
 *       the packaged PTX ({@code lut_kernels.ptx}, built from {@code kernel-lib/src/main/kernels/}). Usable from any
 *       thread: each operation makes the context current first.</li>
 *   <li>{@link org.axdse.kernel.cuda.DeviceBuffer}: one owner per device allocation, grown when a larger
 *       batch needs it, freed on close.</li>
 *   <li>{@link org.axdse.kernel.cuda.CudaLutConv2d}, {@link org.axdse.kernel.cuda.CudaLutDense}: the
 *       layers; {@link org.axdse.kernel.cuda.LutKernelVariant} picks where the table lives (shared memory
 *       as int16, or the read-only cache). Their {@code accumulators} (the {@code *_acc} kernels) and
 *       {@code timeKernel} serve checks and benchmarks ({@code org.axdse.kernel.cuda.check}).</li>
 *   <li>{@link org.axdse.kernel.cuda.CudaLutKernels}: the backend the forward pass takes
 *       ({@link org.axdse.kernel.conv.LutKernels}).</li>
 * </ul>
 * Every driver error becomes a {@link org.axdse.kernel.cuda.CudaFailureException} naming the device and the
 * operation; callers that can, fall back to the CPU kernels, which give the same results.
 */
package org.axdse.kernel.cuda;
