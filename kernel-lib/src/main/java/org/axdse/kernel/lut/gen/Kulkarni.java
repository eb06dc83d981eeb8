package org.axdse.kernel.lut.gen;

import org.axdse.kernel.lut.Signedness;

/**
 * The underdesigned multiplier (Kulkarni, Gupta and Ercegovac, VLSI Design 2011): an 8x8 product built
 * from sixteen 2x2 blocks {@code A_p x W_q} (2-bit digits, weight {@code 4^(p+q)}) summed exactly; an
 * approximate block gives 7 instead of 9 for 3 x 3 and is exact otherwise, so it needs 3 output bits and
 * one OR gate instead of two half adders. The {@code k} least-significant block diagonals
 * ({@code p + q < k}, k = 0..7) use the approximate block. Exact for k = 0.
 */
public final class Kulkarni extends UnsignedCore {
    private final int k;

    /**
     * @param s signedness
     * @param k approximate block diagonals, 0..7
     */
    public Kulkarni(Signedness s, int k) {
        super(s);
        PartialProductArray.check("Kulkarni diagonals", k, 0, 7);
        this.k = k;
    }

    @Override
    int core(int a, int w) {
        int sum = 0;
        for (int p = 0; p < 4; p++) {
            int ad = (a >>> (2 * p)) & 3;
            for (int q = 0; q < 4; q++) {
                int wd = (w >>> (2 * q)) & 3;
                int block = p + q < k && ad == 3 && wd == 3 ? 7 : ad * wd;
                sum += block << (2 * (p + q));
            }
        }
        return sum;
    }

    @Override
    Cells coreCells() {
        int[] heights = new int[17];
        Cells blocks = Cells.NONE;
        for (int p = 0; p < 4; p++) {
            for (int q = 0; q < 4; q++) {
                boolean approx = p + q < k;
                int base = 2 * (p + q);
                int bits = approx ? 3 : 4;
                for (int b = 0; b < bits; b++) {
                    heights[base + b]++;
                }
                blocks = blocks.plus(approx ? new Cells(4, 1, 0, 0, 0, 0) : new Cells(4, 0, 0, 2, 0, 0));
            }
        }
        return blocks.plus(CostModel.reduce(heights));
    }

    @Override
    public String family() {
        return "kulkarni";
    }

    @Override
    public String shortName() {
        return "kul_d" + k;
    }

    @Override
    public String parameters() {
        return "diagonals=" + k;
    }
}
