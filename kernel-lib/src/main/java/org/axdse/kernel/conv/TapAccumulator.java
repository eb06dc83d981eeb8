package org.axdse.kernel.conv;

/**
 * The inner loop of the CPU LUT convolution: sums product-table rows over a block of taps for a run
 * of output positions. Implementations differ only in how they vectorise; results are identical.
 */
interface TapAccumulator {
    /**
     * For each position {@code p < positions} and lane {@code o < stride}:
     * {@code out[p*stride + o] = sum over t in [t0, t1) of
     * products[tapRow[t] + (codes[base + positionOffset[p] + tapOffset[t]] & 0xFF) * stride + o]}
     * (int32 arithmetic; the caller guarantees {@code (t1 - t0) * maxAbs} fits).
     */
    void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                    int t0, int t1, int[] products, int stride, int[] out);

    /** @return a short name for logs and benchmarks */
    String name();
}
