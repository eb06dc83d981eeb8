package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * Operand LSB truncation: the {@code ka} (activation) and {@code kw} (weight) least-significant operand bits
 * are dropped before an exact multiplication of the remaining bits ({@code x' = floor(x / 2^k) * 2^k}, which
 * is an arithmetic shift for two's complement). In {@code half} mode the dropped bits are replaced by their
 * mean, the constant {@code 2^(k-1)} (the hard-wired "1" after truncation that DRUM also uses), which makes
 * the error unbiased without a carry-producing rounding adder. Cost: the array of the variable bits; the
 * constant bit's partial products are wires.
 */
public final class OperandTruncation implements MultiplierDesign {
    private final Signedness signedness;
    private final int ka;
    private final int kw;
    private final boolean half;

    /**
     * @param s    signedness
     * @param ka   activation bits dropped, 0..7
     * @param kw   weight bits dropped, 0..7
     * @param half replace dropped bits by 2^(k-1) (else by 0)
     */
    public OperandTruncation(Signedness s, int ka, int kw, boolean half) {
        PartialProductArray.check("operand truncation ka", ka, 0, 7);
        PartialProductArray.check("operand truncation kw", kw, 0, 7);
        this.signedness = s;
        this.ka = ka;
        this.kw = kw;
        this.half = half;
    }

    private int reduce(int x, int k) {
        int t = (x >> k) << k;
        return half && k > 0 ? t + (1 << (k - 1)) : t;
    }

    @Override
    public int multiply(int a, int w) {
        return reduce(a, ka) * reduce(w, kw);
    }

    @Override
    public Cells cells() {
        ColumnCounter c = new ColumnCounter();
        // Operand bits: variable bits k..7 (bit 7 negative when signed), plus the constant half bit.
        for (int i = ka; i < 8; i++) {
            for (int j = kw; j < 8; j++) {
                boolean negative = signedness == Signedness.SIGNED && (i == 7) != (j == 7);
                c.bit(i + j, negative ? -1 : 1, true);
            }
        }
        if (half) {
            if (ka > 0) {
                for (int j = kw; j < 8; j++) { // constant a-bit times variable w-bit: a wire
                    c.bit(ka - 1 + j, signedness == Signedness.SIGNED && j == 7 ? -1 : 1, false);
                }
            }
            if (kw > 0) {
                for (int i = ka; i < 8; i++) {
                    c.bit(i + kw - 1, signedness == Signedness.SIGNED && i == 7 ? -1 : 1, false);
                }
            }
            if (ka > 0 && kw > 0) {
                c.constant(1L << (ka + kw - 2));
            }
        }
        return c.cells();
    }

    @Override
    public String family() {
        return "operand-truncation";
    }

    @Override
    public String shortName() {
        return "opt_a" + ka + "w" + kw + (half ? "h" : "");
    }

    @Override
    public String parameters() {
        return "ka=" + ka + ",kw=" + kw + ",half=" + half;
    }

    @Override
    public Signedness signedness() {
        return signedness;
    }
}
