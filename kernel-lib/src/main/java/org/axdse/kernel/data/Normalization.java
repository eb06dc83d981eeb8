package org.axdse.kernel.data;

import org.axdse.kernel.InvalidInputException;

/**
 * Pixel normalisation {@code x = (pixel / 255 - mean) / std}, per image (one mean/std for all channels)
 * or per channel. The default, {@link #UNIT}, is {@code pixel / 255}, as the bundled model was trained.
 *
 * @param mean per-channel means (length 1 = all channels)
 * @param std  per-channel standard deviations, positive
 */
public record Normalization(float[] mean, float[] std) {
    /** {@code pixel / 255}. */
    public static final Normalization UNIT = new Normalization(new float[] {0f}, new float[] {1f});

    /** Validates lengths and positivity. */
    public Normalization {
        if (mean.length == 0 || mean.length != std.length) {
            throw new InvalidInputException("normalization: expected as many means as standard deviations (>= 1), got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0f)) {
                throw new InvalidInputException("normalization: standard deviations must be positive, got " + s);
            }
        }
    }

    /**
     * @param pixel   raw value 0..255
     * @param channel channel index
     * @return the normalised value
     */
    public float apply(int pixel, int channel) {
        int c = mean.length == 1 ? 0 : channel;
        return (pixel / 255f - mean[c]) / std[c];
    }

    /**
     * @param channels the data set's channel count
     * @throws InvalidInputException if per-channel figures do not match it
     */
    void check(int channels) {
        if (mean.length != 1 && mean.length != channels) {
            throw new InvalidInputException("normalization: " + mean.length + " per-channel figures for " + channels + " channels");
        }
    }
}
