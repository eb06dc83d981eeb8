package org.axdse.job.exec;

/** One-line summaries of failures on the GPU path, for the log and the {@code backend} column. */
final class CudaFailures {
    /** Longest summary kept. */
    static final int MAX_LENGTH = 300;

    private CudaFailures() {
    }

    /**
     * @param t a failure on the GPU path
     * @return whether it comes from CUDA (a driver or launch error, a missing native library) rather than from
     *         the input or a bug, which would fail on the CPU as well and must not retire the device
     */
    static boolean fromCuda(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof org.axdse.kernel.cuda.CudaFailureException || c instanceof jcuda.CudaException
                    || c instanceof LinkageError) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param t a failure
     * @return its message's first line (or its class name when it has none), at most {@value #MAX_LENGTH} characters
     */
    static String summary(Throwable t) {
        String m = t.getMessage();
        String s = m == null || m.isBlank() ? t.getClass().getName() : m.strip().split("\\R", 2)[0];
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 3) + "...";
    }
}
