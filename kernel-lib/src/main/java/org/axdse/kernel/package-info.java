/**
 * AxDSE's executor-side library: everything a task needs to emulate a quantized CNN layer with an
 * approximate multiplier, with no Spark dependency. Subpackages: {@code lut} (multiplier tables, their
 * file formats and error metrics), {@code quant} (the two 8-bit quantization schemes), {@code conv}
 * (approximate convolution and dense kernels), {@code cuda} (the same kernels on NVIDIA GPUs through JCuda). See shared/ARCHITECTURE.md, section 3, for the exact
 * numeric semantics these packages implement.
 */
package org.axdse.kernel;
