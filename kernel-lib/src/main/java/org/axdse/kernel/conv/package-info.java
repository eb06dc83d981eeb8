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
 */
package org.axdse.kernel.conv;
