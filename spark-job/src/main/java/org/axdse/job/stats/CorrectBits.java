package org.axdse.job.stats;

import org.axdse.kernel.InvalidInputException;

/**
 * Helpers over a candidate's per-image results packed as a bitset: bit {@code i} (image {@code i}) is
 * {@code (bits[i >>> 6] >>> (i & 63)) & 1}, 1 when the candidate classified image i correctly. Images are in the
 * same order for every candidate, so two bitsets compare image by image (paired). Bits at or beyond the stated
 * number of images are ignored by every method here.
 */
public final class CorrectBits {
    private CorrectBits() {
    }

    /**
     * Packs per-image results.
     *
     * @param correct {@code correct[i]}: image i was classified correctly
     * @return the bitset, {@code ceil(correct.length / 64)} words, bits beyond the images 0
     * @throws InvalidInputException when correct is null
     */
    public static long[] of(boolean[] correct) {
        if (correct == null) {
            throw new InvalidInputException("correct bits: expected per-image results, got null");
        }
        long[] bits = new long[words(correct.length)];
        for (int i = 0; i < correct.length; i++) {
            if (correct[i]) {
                bits[i >>> 6] |= 1L << (i & 63);
            }
        }
        return bits;
    }

    /**
     * Joins two runs of images: a's first {@code aImages} images, then b's first {@code bImages} (b's image j becomes
     * image {@code aImages + j}), e.g. the results of a new round appended to the earlier rounds'.
     *
     * @param a       the first run
     * @param aImages its images, {@code <= 64 * a.length}
     * @param b       the second run
     * @param bImages its images, {@code <= 64 * b.length}
     * @return the joined bitset of {@code aImages + bImages} images, bits beyond them 0
     * @throws InvalidInputException when an array is null or too short for its images
     */
    public static long[] concat(long[] a, int aImages, long[] b, int bImages) {
        check(a, aImages, "a");
        check(b, bImages, "b");
        int total = aImages + bImages;
        if (total < 0) {
            throw new InvalidInputException("correct bits: " + aImages + " + " + bImages + " images overflow an int");
        }
        long[] out = new long[words(total)];
        int aWords = words(aImages);
        System.arraycopy(a, 0, out, 0, aWords);
        if ((aImages & 63) != 0) {
            out[aWords - 1] &= mask(aImages & 63);
        }
        int shift = aImages & 63;
        int base = aImages >>> 6;
        int bWords = words(bImages);
        for (int w = 0; w < bWords; w++) {
            long word = b[w];
            if (w == bWords - 1 && (bImages & 63) != 0) {
                word &= mask(bImages & 63);
            }
            out[base + w] |= word << shift;
            if (shift != 0 && base + w + 1 < out.length) {
                out[base + w + 1] |= word >>> (64 - shift);
            }
        }
        return out;
    }

    /**
     * Correct images among the first {@code images}.
     *
     * @param bits   the bitset
     * @param images the images to look at, {@code <= 64 * bits.length}
     * @return the number of 1 bits among the first {@code images}
     * @throws InvalidInputException when bits is null or too short
     */
    public static int count(long[] bits, int images) {
        check(bits, images, "bits");
        int full = images >>> 6;
        int n = 0;
        for (int w = 0; w < full; w++) {
            n += Long.bitCount(bits[w]);
        }
        if ((images & 63) != 0) {
            n += Long.bitCount(bits[full] & mask(images & 63));
        }
        return n;
    }

    /**
     * Images among the first {@code images} that a got right and b got wrong (McNemar's discordant count for a).
     *
     * @param a      the first candidate's bitset
     * @param b      the second candidate's bitset
     * @param images the images to look at, {@code <= 64 * length} of both
     * @return the number of images with a's bit 1 and b's bit 0
     * @throws InvalidInputException when an array is null or too short
     */
    public static int onlyFirst(long[] a, long[] b, int images) {
        check(a, images, "a");
        check(b, images, "b");
        int full = images >>> 6;
        int n = 0;
        for (int w = 0; w < full; w++) {
            n += Long.bitCount(a[w] & ~b[w]);
        }
        if ((images & 63) != 0) {
            n += Long.bitCount(a[full] & ~b[full] & mask(images & 63));
        }
        return n;
    }

    /** Words holding {@code images} bits. */
    static int words(int images) {
        return (images + 63) >>> 6;
    }

    /** The low {@code bits} bits set, for 0 < bits < 64. */
    static long mask(int bits) {
        return (1L << bits) - 1;
    }

    static void check(long[] bits, int images, String name) {
        if (bits == null) {
            throw new InvalidInputException("correct bits: expected a bitset " + name + ", got null");
        }
        if (images < 0 || words(images) > bits.length) {
            throw new InvalidInputException("correct bits: expected 0 <= images <= 64 * " + name + ".length = "
                    + 64L * bits.length + ", got " + images + " images");
        }
    }
}
