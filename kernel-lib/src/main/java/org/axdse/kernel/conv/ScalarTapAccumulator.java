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

    @Override
    public void multiplyAccumulate(byte[] codes, boolean unsignedCodes, int zeroPoint, int base, int[] positionOffset,
                                   int positions, int[] tapOffset, int t0, int t1, int[] weights, int wBase,
                                   int stride, int[] out) {
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
