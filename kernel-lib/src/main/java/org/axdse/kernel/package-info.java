/**
 * AxDSE's executor-side library: everything a task needs to evaluate a quantized CNN with an approximate
 * multiplier per layer, with no Spark dependency. Subpackages: {@code lut} (multiplier tables, their file
 * formats, error metrics and libraries; {@code lut.gen} generates the shipped library), {@code quant} (the two
 * 8-bit quantization schemes), {@code conv} (approximate convolution and dense kernels), {@code cuda} (the
 * same kernels on NVIDIA GPUs through JCuda), {@code model} (ONNX import, the network, the approximate
 * forward pass and the error model; {@code model.train} trains the bundled models), {@code data} (IDX and
 * CIFAR-10 readers) and {@code io} (file access and CSV). This package holds the exception family
 * ({@link org.axdse.kernel.AxdseException}). See shared/ARCHITECTURE.md, section 3, for the exact numeric
 * semantics these packages implement.
 */
package org.axdse.kernel;
