package org.axdse.kernel.conv;

/**
 * Portable {@link TapAccumulator}: plain loops that the JIT may auto-vectorise across the row.
 */
final class ScalarTapAccumulator implements TapAccumulator {
    static final ScalarTapAccumulator INSTANCE = new ScalarTapAccumulator();

    private ScalarTapAccumulator() {
    }

    @Override
    public void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                           int t0, int t1, int[] products, int stride, int[] out) {
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            java.util.Arrays.fill(out, o0, o0 + stride, 0);
            for (int t = t0; t < t1; t++) {
                int row = tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride;
                for (int o = 0; o < stride; o++) {
                    out[o0 + o] += products[row + o];
                }
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
