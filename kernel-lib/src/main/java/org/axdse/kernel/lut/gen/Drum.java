package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * DRUM, the dynamic-range unbiased multiplier (Hashemi, Bahar and Reda, ICCAD 2015): each operand wider
 * than {@code k} bits is cut to the k bits starting at its leading one, with the lowest kept bit forced to 1
 * (which centres the truncation error); the k x k product is shifted back. Exact for k = 8. Cost: two
 * leading-one detectors, two k-bit selectors, a k x k array, an output shifter.
 */
public final class Drum extends UnsignedCore {
    private final int k;

    /**
     * @param s signedness (signed: sign-magnitude around the unsigned core)
     * @param k kept bits, 2..8
     */
    public Drum(Signedness s, int k) {
        super(s);
        PartialProductArray.check("DRUM k", k, 2, 8);
        this.k = k;
    }

    @Override
    int core(int a, int w) {
        int sa = shift(a);
        int sw = shift(w);
        int ma = sa == 0 ? a : (a >>> sa) | 1;
        int mw = sw == 0 ? w : (w >>> sw) | 1;
        return (ma * mw) << (sa + sw);
    }

    private int shift(int x) {
        return x < (1 << k) ? 0 : leadingOne(x) - k + 1;
    }

    @Override
    Cells coreCells() {
        ColumnCounter array = new ColumnCounter();
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                array.bit(i + j, 1, true);
            }
        }
        if (k == 8) {
            return array.cells();
        }
        int positions = 8 - k + 1;
        return array.cells()
                .plus(Cells.leadingOneDetector(8).times(2))
                .plus(Cells.shifter(k, stages(positions)).times(2))
                .plus(Cells.shifter(2 * k, stages(2 * (positions - 1) + 1)));
    }

    @Override
    public String family() {
        return "drum";
    }

    @Override
    public String shortName() {
        return "drum_k" + k;
    }

    @Override
    public String parameters() {
        return "k=" + k;
    }
}
