package org.axdse.kernel.estimate;

import java.util.Arrays;

import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.Network;

/** The calibration images through a pass in batches. */
final class Batches {
    private Batches() {
    }

    /**
     * @return the logits of the first {@code count} images, {@code [count][classes]}, computed {@code batchSize}
     *         images at a time (the pass's hook sees the batches in image order)
     */
    static float[] logits(ForwardPass fp, Network net, float[] images, int count, int batchSize, Assignment a) {
        int size = net.inputSize();
        float[] all = null;
        int classes = 0;
        for (int start = 0; start < count; start += batchSize) {
            int b = Math.min(batchSize, count - start);
            float[] z = fp.logits(Arrays.copyOfRange(images, start * size, (start + b) * size), b, a);
            if (all == null) {
                classes = z.length / b;
                all = new float[count * classes];
            }
            System.arraycopy(z, 0, all, start * classes, z.length);
        }
        return all;
    }
}
