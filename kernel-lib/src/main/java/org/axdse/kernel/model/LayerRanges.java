package org.axdse.kernel.model;

import java.util.Arrays;

/**
 * The calibrated input range (min, max) of each approximable layer: the FP32 model's values over the
 * calibration images. Immutable.
 */
public final class LayerRanges implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] min;
    private final float[] max;
    private final int images;

    /**
     * @param min    per-layer minimum
     * @param max    per-layer maximum
     * @param images images measured
     */
    public LayerRanges(float[] min, float[] max, int images) {
        this.min = min.clone();
        this.max = max.clone();
        this.images = images;
    }

    /** @param layer a layer index @return the smallest input value seen */
    public float min(int layer) {
        return min[layer];
    }

    /** @param layer a layer index @return the largest input value seen */
    public float max(int layer) {
        return max[layer];
    }

    /** @return images the ranges were measured on */
    public int images() {
        return images;
    }

    /** @return number of layers */
    public int size() {
        return min.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LayerRanges r && Arrays.equals(min, r.min) && Arrays.equals(max, r.max) && images == r.images;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(min) * 31 + Arrays.hashCode(max);
    }
}
