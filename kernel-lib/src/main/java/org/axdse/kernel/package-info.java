/**
 * AxDSE's executor-side library: everything a task needs to emulate a quantized CNN with approximate multipliers,
 * with no Spark (and no ND4J) dependency. See shared/ARCHITECTURE.md, section 3, for the exact numeric semantics
 * these packages implement. Subpackages, from the bottom layer up (each depends only on packages above it in this
 * list; {@code PackageLayeringTest} checks it with jdeps):
 * <ul>
 *   <li>this package: the exception family ({@link org.axdse.kernel.AxdseException},
 *       {@link org.axdse.kernel.InvalidInputException}) and argument {@link org.axdse.kernel.Checks};</li>
 *   <li>{@code io}: file sources and CSV;</li>
 *   <li>{@code lut}: multiplier tables, their file formats and error metrics; {@code lut.gen}: generators of
 *       published approximate-multiplier families;</li>
 *   <li>{@code quant}: the two 8-bit quantization schemes;</li>
 *   <li>{@code conv}: the CPU convolution and dense kernels (LUT, int32 and FP32); {@code cuda}: the LUT kernels
 *       on NVIDIA GPUs through JCuda; {@code cuda.check}: the GPU check (CUDA against CPU kernels, bit for bit, and
 *       their speed), the {@code main} of the self-contained bundle a device machine runs;</li>
 *   <li>{@code data}: data set readers;</li>
 *   <li>{@code graph}: the FP32 operator interpreter (tensors, the non-approximable ONNX operators);</li>
 *   <li>{@code model}: networks, approximable layers, assignments and the approximate forward pass;</li>
 *   <li>{@code onnx}: ONNX import and writing; {@code estimate}: the training-free error model. Nothing in
 *       kernel-lib depends on these two.</li>
 * </ul>
 */
package org.axdse.kernel;
