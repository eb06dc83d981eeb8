package org.axdse.kernel.conv;

import java.util.Arrays;

/**
 * Portable {@link TapAccumulator}: plain loops that the JIT may auto-vectorise across the row.
 */
final class ScalarTapAccumulator implements TapAccumulator {
    static final ScalarTapAccumulator INSTANCE = new ScalarTapAccumulator();

    private ScalarTapAccumulator() {
    }

    @Override
    public void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                           int t0, int t1, int[] products, int stride, int[] out, int outBase, boolean add) {
        if (stride == 1) {
            accumulateOneChannel(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1, products, out, outBase, add);
            return;
        }
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = outBase + p * stride;
            if (!add) {
                Arrays.fill(out, o0, o0 + stride, 0);
            }
            for (int t = t0; t < t1; t++) {
                int row = tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride;
                for (int o = 0; o < stride; o++) {
                    out[o0 + o] += products[row + o];
                }
            }
        }
    }

    /**
     * Rows of one channel (depthwise layers): each position's sum stays in a register over the taps instead of a
     * read-modify-write of {@code out} per tap (a store-to-load chain that made depthwise layers 5-10x slower per
     * MAC than the others), and four positions run side by side as independent chains.
     */
    private static void accumulateOneChannel(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset,
                                             int[] tapRow, int t0, int t1, int[] products, int[] out, int outBase,
                                             boolean add) {
        int p = 0;
        for (; p + 4 <= positions; p += 4) {
            int a0 = base + positionOffset[p];
            int a1 = base + positionOffset[p + 1];
            int a2 = base + positionOffset[p + 2];
            int a3 = base + positionOffset[p + 3];
            int o = outBase + p;
            int s0 = add ? out[o] : 0;
            int s1 = add ? out[o + 1] : 0;
            int s2 = add ? out[o + 2] : 0;
            int s3 = add ? out[o + 3] : 0;
            for (int t = t0; t < t1; t++) {
                int off = tapOffset[t];
                int row = tapRow[t];
                s0 += products[row + (codes[a0 + off] & 0xFF)];
                s1 += products[row + (codes[a1 + off] & 0xFF)];
                s2 += products[row + (codes[a2 + off] & 0xFF)];
                s3 += products[row + (codes[a3 + off] & 0xFF)];
            }
            out[o] = s0;
            out[o + 1] = s1;
            out[o + 2] = s2;
            out[o + 3] = s3;
        }
        for (; p < positions; p++) {
            int at = base + positionOffset[p];
            int sum = add ? out[outBase + p] : 0;
            for (int t = t0; t < t1; t++) {
                sum += products[tapRow[t] + (codes[at + tapOffset[t]] & 0xFF)];
            }
            out[outBase + p] = sum;
        }
    }

    @Override
    public void multiplyAccumulate(byte[] codes, boolean unsignedCodes, int zeroPoint, int base, int[] positionOffset,
                                   int positions, int[] tapOffset, int t0, int t1, int[] weights, int wBase,
                                   int stride, int[] out) {
        if (stride == 1) { // one channel (depthwise): the sum stays in a register over the taps
            for (int p = 0; p < positions; p++) {
                int at = base + positionOffset[p];
                int sum = 0;
                for (int t = t0; t < t1; t++) {
                    byte c = codes[at + tapOffset[t]];
                    sum += ((unsignedCodes ? c & 0xFF : c) - zeroPoint) * weights[wBase + t];
                }
                out[p] = sum;
            }
            return;
        }
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            Arrays.fill(out, o0, o0 + stride, 0);
            for (int t = t0; t < t1; t++) {
                byte c = codes[at + tapOffset[t]];
                int a = (unsignedCodes ? c & 0xFF : c) - zeroPoint;
                int row = wBase + t * stride;
                for (int o = 0; o < stride; o++) {
                    out[o0 + o] += a * weights[row + o];
                }
            }
        }
    }

    @Override
    public void multiplyAccumulate(float[] x, int base, int[] positionOffset, int positions, int[] tapOffset, int taps,
                                   float[] weights, int wBase, int stride, float[] out) {
        if (stride == 1) { // one channel (depthwise): same order of additions, the sum in a register
            for (int p = 0; p < positions; p++) {
                int at = base + positionOffset[p];
                float sum = 0f;
                for (int t = 0; t < taps; t++) {
                    sum += x[at + tapOffset[t]] * weights[wBase + t];
                }
                out[p] = sum;
            }
            return;
        }
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            Arrays.fill(out, o0, o0 + stride, 0f);
            for (int t = 0; t < taps; t++) {
                float v = x[at + tapOffset[t]];
                int row = wBase + t * stride;
                for (int o = 0; o < stride; o++) {
                    out[o0 + o] += v * weights[row + o];
                }
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
