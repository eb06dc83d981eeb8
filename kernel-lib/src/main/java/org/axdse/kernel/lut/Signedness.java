package org.axdse.kernel.lut;

/**
 * Whether a multiplier's 8-bit operands are unsigned codes (0..255, EvoApproxLib mul8u) or two's
 * complement codes (-128..127, mul8s). Table rows and columns are always indexed by the operand's
 * byte pattern ({@code code & 0xFF}), so signed rows run 0..127, -128..-1.
 */
public enum Signedness {
    /** Codes 0..255. */
    UNSIGNED(0, 255),
    /** Codes -128..127. */
    SIGNED(-128, 127);

    private final int minCode;
    private final int maxCode;

    Signedness(int minCode, int maxCode) {
        this.minCode = minCode;
        this.maxCode = maxCode;
    }

    /** @return smallest operand code */
    public int minCode() {
        return minCode;
    }

    /** @return largest operand code */
    public int maxCode() {
        return maxCode;
    }

    /**
     * @param pattern a byte pattern 0..255 (a table row or column index)
     * @return the operand value that pattern encodes
     */
    public int codeOf(int pattern) {
        return this == UNSIGNED ? pattern & 0xFF : (byte) pattern;
    }

    /** @return the largest magnitude of an exact product of two operands (65025 or 16384) */
    public int maxExactProductMagnitude() {
        return this == UNSIGNED ? 255 * 255 : 128 * 128;
    }
}
