/**
 * Convolution and dense kernels on the CPU: the approximate ones, where every product is a lookup in a
 * multiplier table ({@link org.axdse.kernel.conv.CpuLutConv2d}, {@link org.axdse.kernel.conv.CpuLutDense}),
 * and the exact int32 and FP32 baselines with the same loop structure. Geometry (stride, padding,
 * dilation, groups) is {@link org.axdse.kernel.conv.Conv2dGeometry}. Callers allocate the outputs; a
 * kernel instance owns its scratch buffers and serves one thread.
 *
 * <p>{@link org.axdse.kernel.conv.LutKernel} is what every backend's LUT layer implements and
 * {@link org.axdse.kernel.conv.LutKernels} builds them: {@link org.axdse.kernel.conv.LutKernels#cpu()} here,
 * the CUDA backend in {@code org.axdse.kernel.cuda}.
 *
 * <p>Inner loops: the vector API ({@code jdk.incubator.vector}) when enabled, else scalar loops with the same
 * results (system property {@code axdse.kernel.loop=scalar} forces them). On CPUs with AVX-512 VBMI the dense
 * kernel's batches ({@code BytePermuteDense}) and convolutions with one output channel per group, i.e. depthwise
 * ({@code BytePermuteDepthwise}), use byte-permute lookups ({@code axdse.kernel.byte-permute=false} turns them off). Every vector loop uses a single
 * species per element type, and no helper passes vectors in or out: otherwise C2 (JDK 17) may box the vectors,
 * which makes a kernel several times slower. {@link org.axdse.kernel.conv.KernelWarmUp} compiles the loops in the
 * background before the first real batch; {@link org.axdse.kernel.conv.FloatLoops} holds element-wise FP32
 * loops of the forward pass.
 */
package org.axdse.kernel.conv;
