package org.axdse.job.cli;

import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.Predictions;
import org.axdse.kernel.model.QuantConfig;

/** Counts correct top-1 predictions of a network under an assignment, batch by batch. */
final class Evaluator {
    private Evaluator() {
    }

    record Result(long correct, long total) {
        double accuracy() {
            return total == 0 ? 0 : (double) correct / total;
        }
    }

    static Result evaluate(Network net, ImageSet images, LayerRanges ranges, Assignment a, int batchSize) {
        return evaluate(new ForwardPass(net, QuantConfig.DEFAULT, ranges), net, images, a, batchSize);
    }

    static Result evaluate(ForwardPass fp, Network net, ImageSet images, Assignment a, int batchSize) {
        long correct = 0;
        int size = images.imageSize();
        int classes = net.outputSize();
        for (int label : images.labels()) {
            if (label < 0 || label >= classes) {
                throw new org.axdse.kernel.AxdseException(images.source() + ": label " + label + " is outside the model's "
                        + classes + " classes");
            }
        }
        for (int start = 0; start < images.count(); start += batchSize) {
            int b = Math.min(batchSize, images.count() - start);
            float[] in = java.util.Arrays.copyOfRange(images.pixels(), start * size, (start + b) * size);
            float[] logits = fp.logits(in, b, a);
            correct += Predictions.countCorrect(logits, b, classes, images.labels(), start);
        }
        return new Result(correct, images.count());
    }
}
