package org.axdse.kernel.lut.gen;

import java.util.Locale;

/**
 * Counted standard cells of a multiplier design, the input of the {@link CostModel}. Immutable; combine
 * with {@link #plus}.
 *
 * @param and2  2-input AND/NAND gates (partial products)
 * @param or2   2-input OR gates
 * @param xor2  2-input XOR gates (conditional negation)
 * @param half  half adders
 * @param full  full adders
 * @param mux2  2:1 multiplexers (shifters, selectors)
 */
public record Cells(double and2, double or2, double xor2, double half, double full, double mux2) {
    /** No cells. */
    public static final Cells NONE = new Cells(0, 0, 0, 0, 0, 0);

    /**
     * @param other more cells
     * @return the sum
     */
    public Cells plus(Cells other) {
        return new Cells(and2 + other.and2, or2 + other.or2, xor2 + other.xor2, half + other.half, full + other.full,
                mux2 + other.mux2);
    }

    /**
     * @param k a factor
     * @return these cells k times
     */
    public Cells times(double k) {
        return new Cells(and2 * k, or2 * k, xor2 * k, half * k, full * k, mux2 * k);
    }

    /** @param n AND gates @return a cell count of n AND gates */
    static Cells ands(double n) {
        return new Cells(n, 0, 0, 0, 0, 0);
    }

    /** @param n multiplexers @return a cell count of n multiplexers */
    static Cells muxes(double n) {
        return new Cells(0, 0, 0, 0, 0, n);
    }

    /** @param bits adder width @return an n-bit ripple-carry adder: n full adders */
    static Cells adder(int bits) {
        return new Cells(0, 0, 0, 0, bits, 0);
    }

    /** @param bits width @return conditional two's-complement negation: n XOR + an n-bit incrementer (n half adders) */
    static Cells negator(int bits) {
        return new Cells(0, 0, bits, bits, 0, 0);
    }

    /**
     * A leading-one detector and encoder of an n-bit operand, counted as about 2n gates (a priority chain
     * of AND/OR plus the encoder's OR tree).
     *
     * @param bits operand width
     * @return its cells
     */
    static Cells leadingOneDetector(int bits) {
        return new Cells(bits, bits, 0, 0, 0, 0);
    }

    /**
     * A logarithmic barrel shifter.
     *
     * @param bits   data width
     * @param stages shift stages (log2 of the largest shift, rounded up)
     * @return bits x stages multiplexers
     */
    static Cells shifter(int bits, int stages) {
        return muxes((double) bits * stages);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AND %.0f, OR %.0f, XOR %.0f, HA %.0f, FA %.0f, MUX %.0f", and2, or2, xor2, half,
                full, mux2);
    }
}
