package org.axdse.job.driver;

import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.Network;

/**
 * ALWANN's energy metric (ARCHITECTURE.md section 3):
 * {@code relative_energy = sum_l MACs_l P(m_l) / sum_l MACs_l P(exact)}, with {@code P} the multipliers'
 * power from the library and {@code P(exact)} the power of the library's exact multiplier of the same
 * signedness (so an all-exact assignment is 1.0 for signed and unsigned tables alike; 1.0 for a relative
 * library without one). Layers kept in FP32 count as exact. NaN when a power figure is unknown.
 */
public final class Energy {
    private Energy() {
    }

    /**
     * @param net the network
     * @param a   an assignment
     * @param lib the library with the power figures
     * @return relative energy, NaN when a figure is unknown
     */
    public static double relative(Network net, Assignment a, MultiplierLibrary lib) {
        double num = 0;
        double den = 0;
        Signedness fp32As = a.tables().stream().filter(java.util.Objects::nonNull).map(MultiplierTable::signedness).findFirst()
                .orElse(Signedness.UNSIGNED);
        for (ApproxLayer l : net.layers()) {
            MultiplierTable t = a.table(l.index());
            Signedness s = t == null ? fp32As : t.signedness();
            double exact = exactPower(lib, s);
            double p = t == null ? exact : powerOf(lib, t);
            num += l.macsPerImage() * p;
            den += l.macsPerImage() * exact;
        }
        return num / den;
    }

    /**
     * @param net the network
     * @param a   an assignment
     * @param lib the library
     * @return absolute power per MAC (library units, e.g. mW) averaged over MACs; NaN for relative libraries
     */
    public static double powerPerMac(Network net, Assignment a, MultiplierLibrary lib) {
        if (lib.powerUnit().equals("relative") || lib.powerUnit().isEmpty()) {
            return Double.NaN;
        }
        double num = 0;
        long macs = 0;
        for (ApproxLayer l : net.layers()) {
            MultiplierTable t = a.table(l.index());
            num += l.macsPerImage() * (t == null ? exactPower(lib, Signedness.UNSIGNED) : powerOf(lib, t));
            macs += l.macsPerImage();
        }
        return num / macs;
    }

    /** The library's exact multiplier of that signedness; 1.0 for a relative library without one. */
    private static double exactPower(MultiplierLibrary lib, Signedness s) {
        double p = lib.exact(s).map(e -> e.info().power()).orElse(Double.NaN);
        return Double.isNaN(p) && lib.powerUnit().equals("relative") ? 1.0 : p;
    }

    private static double powerOf(MultiplierLibrary lib, MultiplierTable t) {
        return lib.contains(t.name()) ? lib.get(t.name()).info().power() : Double.NaN;
    }
}
