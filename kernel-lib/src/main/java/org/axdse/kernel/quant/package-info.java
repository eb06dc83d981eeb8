/**
 * 8-bit quantization: the unsigned-affine (TensorFlow nudged) and signed-symmetric (PyTorch) schemes,
 * per tensor or per output channel, with float32 arithmetic fixed so every backend agrees bit for bit.
 */
package org.axdse.kernel.quant;
