package org.axdse.kernel.lut.gen;

import java.util.Locale;

import org.axdse.kernel.lut.MultiplierInfo;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;

/**
 * A parameterised 8x8 (approximate) multiplier design: its bit-exact function and its counted cells.
 * Implementations are written from the published descriptions of each family (see luts/README.md).
 */
public interface MultiplierDesign {
    /** @return the family, e.g. {@code truncated} */
    String family();

    /** @return the name without the {@code mul8u_}/{@code mul8s_} prefix, e.g. {@code trunc_k6c} */
    String shortName();

    /** @return human-readable parameters, e.g. {@code k=6,correction=true} */
    String parameters();

    /** @return operand interpretation */
    Signedness signedness();

    /**
     * @param a activation code (signedness range)
     * @param w weight code
     * @return the design's product
     */
    int multiply(int a, int w);

    /** @return the design's standard cells, for the {@link CostModel} */
    Cells cells();

    /** @return {@code mul8u_<shortName>} or {@code mul8s_<shortName>} */
    default String name() {
        return (signedness() == Signedness.UNSIGNED ? "mul8u_" : "mul8s_") + shortName();
    }

    /** @return the design's 256 x 256 table */
    default MultiplierTable table() {
        Signedness s = signedness();
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            e[i] = multiply(s.codeOf(i >>> 8), s.codeOf(i & 0xFF));
        }
        return MultiplierTable.of(name(), s, e);
    }

    /** @return library metadata with the modelled relative power and area (delay not modelled) */
    default MultiplierInfo info() {
        Cells c = cells();
        return new MultiplierInfo(name(), name() + ".bin", signedness(), round4(CostModel.relativePower(c)),
                round4(CostModel.relativeArea(c)), Double.NaN, "AxDSE generator (" + family() + ")", family(), parameters());
    }

    private static double round4(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4f", v));
    }
}
