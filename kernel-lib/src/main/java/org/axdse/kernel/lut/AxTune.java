package org.axdse.kernel.lut;

/**
 * ALWANN's weight tuning (Mrazek et al., ICCAD 2019): since weights are fixed, each weight code {@code w}
 * may be replaced by the code {@code w*} whose table column best matches the exact products of {@code w}:
 * <pre>  w* = argmin over w2 of sum over a of |a*w - lut[a][w2]|</pre>
 * (ties keep {@code w2 = w}; otherwise the smallest minimising code in pattern order). The tuned table is
 * {@code tuned[a][w] = lut[a][w*]}: multiplying by the tuned table is the same as remapping the weights
 * and multiplying by the original, so the hardware stays the same.
 */
public final class AxTune {
    /** Suffix of tuned tables' names. */
    public static final String SUFFIX = "+tune";

    private AxTune() {
    }

    /**
     * @param table a table
     * @return for each weight pattern w (0..255), the pattern of w*
     */
    public static int[] weightMap(MultiplierTable table) {
        Signedness s = table.signedness();
        int[] map = new int[256];
        for (int w = 0; w < 256; w++) {
            int wCode = s.codeOf(w);
            long best = columnError(table, wCode, w);
            int bestPattern = w;
            for (int w2 = 0; w2 < 256; w2++) {
                if (w2 == w) {
                    continue;
                }
                long err = columnError(table, wCode, w2);
                if (err < best) {
                    best = err;
                    bestPattern = w2;
                }
            }
            map[w] = bestPattern;
        }
        return map;
    }

    private static long columnError(MultiplierTable table, int wCode, int column) {
        Signedness s = table.signedness();
        long sum = 0;
        for (int a = 0; a < 256; a++) {
            sum += Math.abs((long) s.codeOf(a) * wCode - table.entry((a << 8) | column));
        }
        return sum;
    }

    /**
     * @param table a table
     * @return the tuned table, named {@code <name>+tune}
     */
    public static MultiplierTable tune(MultiplierTable table) {
        int[] map = weightMap(table);
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int a = 0; a < 256; a++) {
            for (int w = 0; w < 256; w++) {
                e[(a << 8) | w] = table.entry((a << 8) | map[w]);
            }
        }
        return MultiplierTable.of(table.name() + SUFFIX, table.signedness(), e);
    }
}
