package org.axdse.kernel.quant;

import org.axdse.kernel.lut.Signedness;

/**
 * The two 8-bit quantization schemes of ARCHITECTURE.md section 3. The scheme follows from the
 * multiplier's signedness: unsigned tables take {@link #UNSIGNED_AFFINE}, signed ones
 * {@link #SIGNED_SYMMETRIC}.
 */
public enum QuantScheme {
    /**
     * TFApprox / ALWANN: codes 0..255 with TensorFlow FakeQuant's nudged zero point,
     * {@code q = clamp(floor(x/scale + zp + 0.5), 0, 255)}.
     */
    UNSIGNED_AFFINE(Signedness.UNSIGNED),
    /**
     * TorchApprox / agnapprox: codes -128..127, zero point 0, {@code scale = max(|min|,|max|)/127},
     * {@code q = clamp(round_half_even(x/scale), -128, 127)}.
     */
    SIGNED_SYMMETRIC(Signedness.SIGNED);

    private final Signedness signedness;

    QuantScheme(Signedness signedness) {
        this.signedness = signedness;
    }

    /** @return the operand signedness of this scheme's codes */
    public Signedness signedness() {
        return signedness;
    }

    /**
     * @param signedness a multiplier's signedness
     * @return the scheme its operands are quantized with
     */
    public static QuantScheme forSignedness(Signedness signedness) {
        return signedness == Signedness.UNSIGNED ? UNSIGNED_AFFINE : SIGNED_SYMMETRIC;
    }
}
