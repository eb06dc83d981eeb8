package org.axdse.kernel.lut.gen;

/**
 * Collects the partial-product bits of an array-style design column by column and turns them into
 * {@link Cells}: gates for the bits, adders for their reduction. Negative-weight bits of two's-complement
 * operands are realised Baugh-Wooley style, as an inverted bit plus a constant, and constants become
 * hard-wired one bits in their columns.
 */
final class ColumnCounter {
    private static final int COLUMNS = 16;

    private final int[] heights = new int[COLUMNS + 8];
    private double gates;
    private long constant;

    /**
     * @param column weight 2^column
     * @param sign   +1 or -1
     * @param gated  whether the bit needs an AND gate (both factors variable) or is a plain wire
     */
    void bit(int column, int sign, boolean gated) {
        heights[column]++;
        if (gated) {
            gates++;
        }
        if (sign < 0) {
            constant -= 1L << column; // -x*2^c = (not x)*2^c - 2^c
        }
    }

    /** @param value a constant added to the product */
    void constant(long value) {
        constant += value;
    }

    /** @return gates plus the adders reducing every column (constants as hard-wired bits, mod 2^16) */
    Cells cells() {
        int[] h = heights.clone();
        long k = constant & ((1L << COLUMNS) - 1);
        for (int c = 0; c < COLUMNS; c++) {
            if ((k >>> c & 1) != 0) {
                h[c]++;
            }
        }
        return Cells.ands(gates).plus(CostModel.reduce(h));
    }
}
