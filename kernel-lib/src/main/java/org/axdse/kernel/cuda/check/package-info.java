/**
 * The GPU check: what a machine with a CUDA device runs first, from a self-contained bundle (a jlink'ed Java
 * runtime, kernel-lib, JCuda; {@code submit/gpu-check-bundle}), with no JUnit, Maven or Spark.
 * {@link org.axdse.kernel.cuda.check.GpuCheck} prints the device and the PTX JIT result, compares the CUDA kernels
 * with the CPU kernels bit for bit on every {@link org.axdse.kernel.cuda.check.EqualityCase} (accumulators and
 * outputs), measures both backends' G LUT-MAC/s and writes a JSON file of all figures.
 * {@link org.axdse.kernel.cuda.check.EqualityCase} and {@link org.axdse.kernel.cuda.check.CheckTables} are also what
 * kernel-lib's tests compare the backends on.
 */
package org.axdse.kernel.cuda.check;
