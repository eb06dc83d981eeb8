package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * The iterative logarithmic multiplier (Babić, Avramović and Bulić, 2011), an improved Mitchell design:
 * with {@code a = 2^k1 + a'} and {@code b = 2^k2 + b'}, one iteration computes
 * {@code 2^(k1+k2) + a' 2^k2 + b' 2^k1}, exact but for the error term {@code a' b'}; each further
 * iteration approximates that term the same way. Exact after 8 iterations (each removes a leading one).
 * Cost per iteration: two leading-one detectors, leading-one removal, two shifters, a decoder and two
 * 16-bit adders.
 */
public final class IterativeLog extends UnsignedCore {
    private final int iterations;

    /**
     * @param s          signedness
     * @param iterations correction iterations, 1..8
     */
    public IterativeLog(Signedness s, int iterations) {
        super(s);
        PartialProductArray.check("iterative-log iterations", iterations, 1, 8);
        this.iterations = iterations;
    }

    @Override
    int core(int a, int b) {
        int p = 0;
        for (int n = 0; n < iterations && a != 0 && b != 0; n++) {
            int k1 = leadingOne(a);
            int k2 = leadingOne(b);
            a -= 1 << k1;
            b -= 1 << k2;
            p += (1 << (k1 + k2)) + (a << k2) + (b << k1);
        }
        return p;
    }

    @Override
    Cells coreCells() {
        Cells iteration = Cells.leadingOneDetector(8).times(2)
                .plus(Cells.ands(16))
                .plus(Cells.shifter(8, 3).times(2))
                .plus(Cells.ands(16))
                .plus(Cells.adder(16).times(2));
        return iteration.times(iterations).plus(Cells.adder(16).times(iterations - 1));
    }

    @Override
    public String family() {
        return "iterative-log";
    }

    @Override
    public String shortName() {
        return "ilm_i" + iterations;
    }

    @Override
    public String parameters() {
        return "iterations=" + iterations;
    }
}
