package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * A design defined on unsigned magnitudes (0..255). {@link #signed()} wraps it in sign-magnitude
 * conversion for two's-complement operands: {@code sign(a)*sign(w) * core(|a|, |w|)}, costing two 8-bit
 * conditional negators on the inputs and a 16-bit one on the output.
 */
abstract class UnsignedCore implements MultiplierDesign {
    private final Signedness signedness;

    UnsignedCore(Signedness signedness) {
        this.signedness = signedness;
    }

    /** The unsigned function on magnitudes 0..255 (signed operands give at most 128). */
    abstract int core(int a, int w);

    /** Cells of the unsigned core. */
    abstract Cells coreCells();

    @Override
    public final int multiply(int a, int w) {
        if (signedness == Signedness.UNSIGNED) {
            return core(a, w);
        }
        int p = core(Math.abs(a), Math.abs(w));
        return (a < 0) != (w < 0) ? -p : p;
    }

    @Override
    public final Cells cells() {
        Cells c = coreCells();
        return signedness == Signedness.UNSIGNED ? c : c.plus(Cells.negator(8).times(2)).plus(Cells.negator(16));
    }

    @Override
    public final Signedness signedness() {
        return signedness;
    }

    /** @return floor(log2 x) for x > 0 */
    static int leadingOne(int x) {
        return 31 - Integer.numberOfLeadingZeros(x);
    }

    /** @return ceil(log2 n) for n >= 1 */
    static int stages(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }
}
