package org.axdse.kernel.conv;

/**
 * The inner loops of the CPU convolution kernels, all of one shape: for each output position, sum a
 * per-tap row of {@code stride} output channels over a block of taps. Implementations differ only in
 * how they vectorise; integer results are identical, and float results too (no fused multiply-add,
 * taps summed in order).
 */
interface TapAccumulator {
    /**
     * LUT convolution: for each position {@code p < positions} and lane {@code o < stride}, with
     * {@code S = sum over t in [t0, t1) of
     * products[tapRow[t] + (codes[base + positionOffset[p] + tapOffset[t]] & 0xFF) * stride + o]},
     * {@code out[outBase + p*stride + o]} becomes {@code S}, or is increased by {@code S} when {@code add}
     * (int32 arithmetic; the caller guarantees that the result fits).
     */
    void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                    int t0, int t1, int[] products, int stride, int[] out, int outBase, boolean add);

    /**
     * Exact integer convolution: {@code out[p*stride + o] = sum over t in [t0, t1) of
     * (code(codes[base + positionOffset[p] + tapOffset[t]]) - zeroPoint) * weights[wBase + t*stride + o]},
     * where {@code code} reads the byte as unsigned or signed.
     */
    void multiplyAccumulate(byte[] codes, boolean unsignedCodes, int zeroPoint, int base, int[] positionOffset,
                            int positions, int[] tapOffset, int t0, int t1, int[] weights, int wBase, int stride,
                            int[] out);

    /**
     * FP32 convolution: {@code out[p*stride + o] = sum over t < taps, in order, from 0, of
     * x[base + positionOffset[p] + tapOffset[t]] * weights[wBase + t*stride + o]} (multiply, then add).
     */
    void multiplyAccumulate(float[] x, int base, int[] positionOffset, int positions, int[] tapOffset, int taps,
                            float[] weights, int wBase, int stride, float[] out);

    /** @return a short name for logs and benchmarks */
    String name();
}
