package org.axdse.kernel.model;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;

/**
 * Top-1 predictions from logits, the one rule every accuracy in AxDSE is counted with (the executors' shard
 * counts, {@code axdse eval}, the error model's simulated disagreement).
 *
 * <p><b>The rule.</b> Scan the classes in order from 0 and move to class {@code k} only when its logit is
 * strictly greater ({@code >}) than the current best's. Hence:
 * <ul>
 *   <li>ties go to the lowest class index (also {@code -0.0} against {@code +0.0});</li>
 *   <li>a NaN logit never wins against the current best (every comparison with NaN is false), so NaN logits
 *       after class 0 are ignored; but if class 0's logit is NaN, nothing compares greater than it and the
 *       prediction is 0;</li>
 *   <li>with one class the prediction is always 0.</li>
 * </ul>
 * The methods allocate nothing and are safe to call from any thread.
 */
public final class Predictions {
    private Predictions() {
    }

    /**
     * @param logits  logits, one row of {@code classes} floats per image
     * @param offset  where the image's row starts
     * @param classes classes per image (at least 1)
     * @return the predicted class, 0..classes-1, by the rule in the class documentation
     * @throws InvalidInputException if {@code classes < 1} or the row does not lie inside {@code logits}
     */
    public static int top1(float[] logits, int offset, int classes) {
        Checks.positive("classes", classes);
        if (offset < 0 || (long) offset + classes > logits.length) {
            throw new InvalidInputException("logits: expected a row of " + classes + " at offset " + offset + " inside "
                    + logits.length + " values");
        }
        return best(logits, offset, classes);
    }

    /**
     * Counts the images whose top-1 prediction ({@link #top1}) equals their label.
     *
     * @param logits      logits {@code [images][classes]}, image {@code i}'s row at {@code i * classes}
     * @param images      images to count (the first ones of {@code logits})
     * @param classes     classes per image (at least 1)
     * @param labels      labels; image {@code i}'s is {@code labels[labelOffset + i]}
     * @param labelOffset index of the first image's label
     * @return the number of correct predictions, 0..images
     * @throws InvalidInputException if {@code images < 0}, {@code classes < 1}, or either array is too short
     */
    public static int countCorrect(float[] logits, int images, int classes, int[] labels, int labelOffset) {
        Checks.nonNegative("images", images);
        Checks.positive("classes", classes);
        Checks.length("logits", logits.length, (long) images * classes);
        if (labelOffset < 0 || (long) labelOffset + images > labels.length) {
            throw new InvalidInputException("labels: expected " + images + " labels from index " + labelOffset + ", got "
                    + labels.length + " labels");
        }
        int correct = 0;
        for (int i = 0; i < images; i++) {
            if (best(logits, i * classes, classes) == labels[labelOffset + i]) {
                correct++;
            }
        }
        return correct;
    }

    /** The rule itself, on a row the caller has checked. */
    private static int best(float[] logits, int offset, int classes) {
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (logits[offset + k] > logits[offset + best]) {
                best = k;
            }
        }
        return best;
    }
}
