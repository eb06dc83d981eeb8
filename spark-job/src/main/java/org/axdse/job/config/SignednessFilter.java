package org.axdse.job.config;

import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantScheme;

/** Which library tables a search may use ({@code axdse.multipliers.signedness}). */
public enum SignednessFilter implements Choice {
    /** Unsigned tables (TFApprox's unsigned-affine quantization). */
    UNSIGNED("unsigned"),
    /** Signed tables (TorchApprox's signed-symmetric quantization). */
    SIGNED("signed"),
    /** Both kinds; each layer is quantized with the scheme of its table. */
    ANY("any");

    private final String spelling;

    SignednessFilter(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }

    /**
     * @param s a table's signedness
     * @return whether tables of that signedness are allowed
     */
    public boolean admits(Signedness s) {
        return this == ANY || (this == SIGNED) == (s == Signedness.SIGNED);
    }

    /** @return the signedness of the exact 8-bit baseline's table: signed for {@link #SIGNED}, else unsigned */
    public Signedness baseline() {
        return this == SIGNED ? Signedness.SIGNED : Signedness.UNSIGNED;
    }

    /** @return the quantization scheme the run's layers table describes (the baseline's scheme) */
    public QuantScheme scheme() {
        return QuantScheme.forSignedness(baseline());
    }
}
