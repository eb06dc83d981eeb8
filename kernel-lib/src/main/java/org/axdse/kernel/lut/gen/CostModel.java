package org.axdse.kernel.lut.gen;

/**
 * AxDSE's transparent hardware-cost model of 8x8 multipliers, relative to the exact 8x8 unsigned array
 * multiplier (= 1.0 for power and area).
 *
 * <p>A design is counted in standard cells ({@link Cells}): AND gates for partial products, half and full
 * adders for reducing them (counted by {@link #reduce} from the heights of the partial-product columns),
 * multiplexers for shifters, XORs and incrementers for sign handling. Area is the cells' sum in NAND2
 * gate equivalents with typical static-CMOS weights (AND2/OR2 1.33, XOR2 2.0, HA 3.33, FA 7.0, MUX2 2.33).
 * Power is the same sum weighted by a switching activity: 0.375 for partial-product and control gates
 * (an AND of two uniform random bits toggles with probability 2 x 1/4 x 3/4), 0.5 for adders and
 * multiplexers (their outputs are close to uniform).
 *
 * <p>Limits: no wiring, no timing (delay is not modelled), no glitching, uniform operand statistics,
 * ripple-style reduction only (a Wallace/Dadda tree has the same adder count but other delay). Figures
 * are comparable within AxDSE's generated library, not with synthesised libraries such as EvoApproxLib.
 */
public final class CostModel {
    static final double AREA_AND2 = 1.33;
    static final double AREA_OR2 = 1.33;
    static final double AREA_XOR2 = 2.0;
    static final double AREA_HALF = 3.33;
    static final double AREA_FULL = 7.0;
    static final double AREA_MUX2 = 2.33;
    static final double ACTIVITY_GATE = 0.375;
    static final double ACTIVITY_ARITHMETIC = 0.5;

    /** The exact 8x8 unsigned array multiplier: 64 ANDs and the reduction of its columns. */
    public static final Cells EXACT_ARRAY = exactArray();

    private CostModel() {
    }

    private static Cells exactArray() {
        int[] heights = new int[17];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                heights[i + j]++;
            }
        }
        return Cells.ands(64).plus(reduce(heights));
    }

    /**
     * Adders that reduce columns of partial-product bits to one result bit per column, greedily from the
     * least significant column: a full adder takes three bits of a column (one stays, one carries), a half
     * adder two.
     *
     * @param heights bits per column (not modified); column c has weight 2^c
     * @return the half and full adders
     */
    public static Cells reduce(int[] heights) {
        int[] h = java.util.Arrays.copyOf(heights, heights.length + 8);
        double full = 0;
        double half = 0;
        for (int c = 0; c < h.length - 1; c++) {
            while (h[c] >= 3) {
                full++;
                h[c] -= 2;
                h[c + 1]++;
            }
            if (h[c] == 2) {
                half++;
                h[c] = 1;
                h[c + 1]++;
            }
        }
        return new Cells(0, 0, 0, half, full, 0);
    }

    /** @param c cells @return their area in NAND2 gate equivalents */
    public static double area(Cells c) {
        return c.and2() * AREA_AND2 + c.or2() * AREA_OR2 + c.xor2() * AREA_XOR2 + c.half() * AREA_HALF
                + c.full() * AREA_FULL + c.mux2() * AREA_MUX2;
    }

    /** @param c cells @return their power in activity-weighted gate equivalents */
    public static double power(Cells c) {
        return ACTIVITY_GATE * (c.and2() * AREA_AND2 + c.or2() * AREA_OR2)
                + ACTIVITY_ARITHMETIC * (c.xor2() * AREA_XOR2 + c.half() * AREA_HALF + c.full() * AREA_FULL
                + c.mux2() * AREA_MUX2);
    }

    /** @param c cells @return area relative to {@link #EXACT_ARRAY} */
    public static double relativeArea(Cells c) {
        return area(c) / area(EXACT_ARRAY);
    }

    /** @param c cells @return power relative to {@link #EXACT_ARRAY} */
    public static double relativePower(Cells c) {
        return power(c) / power(EXACT_ARRAY);
    }
}
