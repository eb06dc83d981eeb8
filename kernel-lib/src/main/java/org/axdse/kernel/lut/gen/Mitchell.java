package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * Mitchell's logarithmic multiplier (Mitchell, IRE Trans. Electronic Computers, 1962): with
 * {@code x = 2^k (1 + f)}, the product is approximated by adding the logarithms {@code k + f} and taking
 * the piecewise-linear antilogarithm: {@code 2^(k1+k2) (1 + f1 + f2)} if {@code f1 + f2 < 1}, else
 * {@code 2^(k1+k2+1) (f1 + f2)}. The fractions keep {@code w} bits (7 = all the bits an 8-bit operand has,
 * the classic design; fewer bits truncate them). Always underestimates; never exact except for powers of
 * two. Cost: two leading-one detectors and normalising shifters, a (w+4)-bit adder, an antilog shifter.
 */
public final class Mitchell extends UnsignedCore {
    private final int w;

    /**
     * @param s signedness
     * @param w fraction bits, 1..7
     */
    public Mitchell(Signedness s, int w) {
        super(s);
        PartialProductArray.check("Mitchell fraction bits", w, 1, 7);
        this.w = w;
    }

    @Override
    int core(int a, int b) {
        if (a == 0 || b == 0) {
            return 0;
        }
        int k1 = leadingOne(a);
        int k2 = leadingOne(b);
        int f1 = ((a - (1 << k1)) << w) >>> k1; // fraction of a with w bits, truncated
        int f2 = ((b - (1 << k2)) << w) >>> k2;
        int s = f1 + f2;
        long p = s < (1 << w) ? ((long) (1 << w) + s) << (k1 + k2) : (long) s << (k1 + k2 + 1);
        return (int) (p >>> w);
    }

    @Override
    Cells coreCells() {
        return Cells.leadingOneDetector(8).times(2)
                .plus(Cells.shifter(7, 3).times(2))
                .plus(Cells.adder(w + 4))
                .plus(Cells.shifter(w + 2, 4));
    }

    @Override
    public String family() {
        return "mitchell";
    }

    @Override
    public String shortName() {
        return "mitchell_w" + w;
    }

    @Override
    public String parameters() {
        return "w=" + w;
    }
}
