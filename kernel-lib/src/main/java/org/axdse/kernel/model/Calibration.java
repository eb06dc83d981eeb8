package org.axdse.kernel.model;

import java.util.Arrays;

import org.axdse.kernel.Checks;

/** Static activation ranges from the FP32 model ({@link ForwardPass#calibrate}), read through a layer hook. */
final class Calibration {
    private Calibration() {
    }

    /** See {@link ForwardPass#calibrate}. */
    static LayerRanges calibrate(Network network, float[] images, int count, int batchSize) {
        Checks.positive("calibration images", count);
        Checks.positive("batch size", batchSize);
        Checks.length("calibration images", images.length, (long) count * network.inputSize());
        int n = network.layers().size();
        float[] min = new float[n];
        float[] max = new float[n];
        Arrays.fill(min, Float.POSITIVE_INFINITY);
        Arrays.fill(max, Float.NEGATIVE_INFINITY);
        Assignment fp32 = Assignment.uniform(null, n);
        int size = network.inputSize();
        try (ForwardPass fp = new ForwardPass(network, QuantConfig.DEFAULT, null)) {
            fp.layerHook((layer, x) -> {
                for (float v : x.floatData()) {
                    min[layer] = Math.min(min[layer], v);
                    max[layer] = Math.max(max[layer], v);
                }
            });
            for (int start = 0; start < count; start += batchSize) {
                int b = Math.min(batchSize, count - start);
                fp.logits(Arrays.copyOfRange(images, start * size, (start + b) * size), b, fp32);
            }
        }
        return new LayerRanges(min, max, count);
    }
}
