package org.axdse.kernel.cuda.check;

import java.util.Locale;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.conv.CpuLutDense;
import org.axdse.kernel.cuda.CudaContext;
import org.axdse.kernel.cuda.CudaLutConv2d;
import org.axdse.kernel.cuda.CudaLutDense;
import org.axdse.kernel.cuda.LutKernelVariant;

/**
 * Runs one {@link EqualityCase} on the CPU kernels and on the CUDA kernels and compares every int64 accumulator
 * ({@code accumulators}, the {@code *_acc} kernels on the device) and every float output ({@code forward}, the
 * kernels evaluation uses) bit for bit.
 */
final class Equality {
    private Equality() {
    }

    /** How a case ended. */
    enum Status {
        PASSED, FAILED, SKIPPED
    }

    /**
     * @param status       passed, failed, or skipped (the device cannot run the variant)
     * @param outputs      outputs compared
     * @param accMismatch  accumulators that differ
     * @param outMismatch  outputs whose bits differ
     * @param detail       the first differences, the failure, or why skipped; empty when passed
     * @param millis       wall-clock time of the case (both backends)
     */
    record Outcome(Status status, int outputs, int accMismatch, int outMismatch, String detail, long millis) {
    }

    /**
     * @param context the device
     * @param c       the case
     * @return the outcome; a CUDA or other failure of the case is a {@link Status#FAILED} outcome, not an exception
     */
    static Outcome run(CudaContext context, EqualityCase c) {
        long t0 = System.nanoTime();
        if (c.variant() == LutKernelVariant.SMEM16 && !LutKernelVariant.allowsSmem16(context.sharedMemoryPerBlockOptin())) {
            return new Outcome(Status.SKIPPED, 0, 0, 0, "the device allows " + context.sharedMemoryPerBlockOptin()
                    + " bytes of shared memory per block, " + LutKernelVariant.SMEM16 + " needs " + LutKernelVariant.SHARED_BYTES, 0);
        }
        try {
            EqualityCase.Operands o = c.operands();
            Conv2dGeometry g = c.geometry();
            int n = c.batch() * g.outputSize();
            float[] cpuOut = new float[n];
            long[] cpuAcc = new long[n];
            float[] gpuOut = new float[n];
            long[] gpuAcc = new long[n];
            LutKernelVariant ran;
            if (c.dense()) {
                CpuLutDense cpu = new CpuLutDense(g.inChannels(), g.outChannels(), o.table(), o.weights(), o.activation(), o.bias());
                cpu.forward(o.input(), c.batch(), cpuOut);
                cpu.accumulators(o.input(), c.batch(), cpuAcc);
                try (CudaLutDense k = CudaLutDense.create(context, g.inChannels(), g.outChannels(), o.table(), o.weights(),
                        o.activation(), o.bias(), c.variant())) {
                    ran = k.variant();
                    k.forward(o.input(), c.batch(), gpuOut);
                    k.accumulators(o.input(), c.batch(), gpuAcc);
                }
            } else {
                CpuLutConv2d cpu = CpuLutConv2d.create(g, o.table(), o.weights(), o.activation(), o.bias());
                cpu.forward(o.input(), c.batch(), cpuOut);
                cpu.accumulators(o.input(), c.batch(), cpuAcc);
                try (CudaLutConv2d k = CudaLutConv2d.create(context, g, o.table(), o.weights(), o.activation(), o.bias(),
                        c.variant())) {
                    ran = k.variant();
                    k.forward(o.input(), c.batch(), gpuOut);
                    k.accumulators(o.input(), c.batch(), gpuAcc);
                }
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            if (ran != c.variant()) {
                return new Outcome(Status.FAILED, n, 0, 0, "the kernel ran " + ran + ", not " + c.variant(), millis);
            }
            return compare(cpuAcc, gpuAcc, cpuOut, gpuOut, millis);
        } catch (RuntimeException | LinkageError e) {
            return new Outcome(Status.FAILED, 0, 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Counts the differences and describes the first few of each kind. */
    static Outcome compare(long[] cpuAcc, long[] gpuAcc, float[] cpuOut, float[] gpuOut, long millis) {
        int accMismatch = 0;
        int outMismatch = 0;
        StringBuilder detail = new StringBuilder();
        int shownAcc = 0;
        int shownOut = 0;
        for (int i = 0; i < cpuAcc.length; i++) {
            if (cpuAcc[i] != gpuAcc[i]) {
                accMismatch++;
                if (shownAcc++ < 3) {
                    detail.append(String.format(Locale.ROOT, "%saccumulator %d: CPU %d, CUDA %d", detail.length() > 0 ? "; " : "",
                            i, cpuAcc[i], gpuAcc[i]));
                }
            }
            if (Float.floatToRawIntBits(cpuOut[i]) != Float.floatToRawIntBits(gpuOut[i])) {
                outMismatch++;
                if (shownOut++ < 3) {
                    detail.append(String.format(Locale.ROOT, "%soutput %d: CPU %s (0x%08x), CUDA %s (0x%08x)",
                            detail.length() > 0 ? "; " : "", i, cpuOut[i], Float.floatToRawIntBits(cpuOut[i]), gpuOut[i],
                            Float.floatToRawIntBits(gpuOut[i])));
                }
            }
        }
        Status s = accMismatch == 0 && outMismatch == 0 ? Status.PASSED : Status.FAILED;
        return new Outcome(s, cpuAcc.length, accMismatch, outMismatch, detail.toString(), millis);
    }
}
