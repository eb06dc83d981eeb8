package org.axdse.kernel.data;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;

/**
 * Labelled images as a model consumes them: NCHW float32 pixels, already normalised, and int labels.
 * "N images" means the first N of the split in file order ({@link #first}).
 *
 * @param pixels   {@code count * channels * height * width} floats, NCHW
 * @param labels   {@code count} class indices
 * @param channels C
 * @param height   H
 * @param width    W
 * @param source   where the images came from, for messages
 */
public record ImageSet(float[] pixels, int[] labels, int channels, int height, int width, String source) {
    /** Checks that the arrays match the shape. */
    public ImageSet {
        Checks.positive("channels", channels);
        Checks.positive("height", height);
        Checks.positive("width", width);
        Checks.exactLength(source + ": pixels", pixels.length, (long) labels.length * channels * height * width);
    }

    /** @return number of images */
    public int count() {
        return labels.length;
    }

    /** @return floats per image */
    public int imageSize() {
        return channels * height * width;
    }

    /**
     * @param n images wanted
     * @return the first n images (this set when it has exactly n)
     * @throws InvalidInputException if the set has fewer
     */
    public ImageSet first(int n) {
        return slice(0, n);
    }

    /**
     * @param from first image
     * @param to   end (exclusive)
     * @return images [from, to) in file order
     */
    public ImageSet slice(int from, int to) {
        if (from < 0 || to > count() || from > to) {
            throw new InvalidInputException(source + ": images [" + from + ", " + to + ") requested, the set has " + count());
        }
        if (from == 0 && to == count()) {
            return this;
        }
        float[] p = java.util.Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize());
        int[] l = java.util.Arrays.copyOfRange(labels, from, to);
        return new ImageSet(p, l, channels, height, width, source);
    }
}
