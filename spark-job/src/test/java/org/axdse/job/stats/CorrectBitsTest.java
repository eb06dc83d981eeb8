package org.axdse.job.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Packing per-image results into bitsets, joining rounds and counting, across word boundaries. */
class CorrectBitsTest {
    @Test
    void packingPutsImageIAtBitIOfWordIOver64() {
        boolean[] correct = new boolean[70];
        correct[0] = true;
        correct[3] = true;
        correct[63] = true;
        correct[64] = true;
        correct[69] = true;
        long[] bits = CorrectBits.of(correct);
        assertArrayEquals(new long[] {1L | 1L << 3 | 1L << 63, 1L | 1L << 5}, bits);
        assertEquals(0, CorrectBits.of(new boolean[0]).length);
        assertEquals(1, CorrectBits.of(new boolean[64]).length);
    }

    /*
     * a: 100 images, b: 30 images; b's image j becomes image 100 + j, so it straddles the word boundary at 128
     * (100 = 64 + 36: b's images 0..27 fill bits 36..63 of word 1, images 28, 29 go to word 2).
     * Garbage bits beyond a's 100 and b's 30 images must not leak into the result.
     */
    @Test
    void concatAcrossANonMultipleOf64Boundary() {
        Random random = new Random(7);
        boolean[] a = new boolean[100];
        boolean[] b = new boolean[30];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextBoolean();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextBoolean();
        }
        long[] aBits = CorrectBits.of(a);
        long[] bBits = CorrectBits.of(b);
        aBits[1] |= ~0L << 36; // images 100..127 of a: not part of a
        bBits[0] |= ~0L << 30; // images 30..63 of b: not part of b
        boolean[] joined = new boolean[130];
        System.arraycopy(a, 0, joined, 0, 100);
        System.arraycopy(b, 0, joined, 100, 30);
        assertArrayEquals(CorrectBits.of(joined), CorrectBits.concat(aBits, 100, bBits, 30));
    }

    @Test
    void concatAtWordBoundariesAndOfEmptyRuns() {
        long[] a = {0x0123456789abcdefL};
        long[] b = {-1L, 5L};
        assertArrayEquals(new long[] {0x0123456789abcdefL, -1L, 5L}, CorrectBits.concat(a, 64, b, 128));
        assertArrayEquals(new long[] {-1L, 5L}, CorrectBits.concat(new long[0], 0, b, 128));
        assertArrayEquals(new long[] {0x0123456789abcdefL}, CorrectBits.concat(a, 64, new long[0], 0));
        assertArrayEquals(new long[] {0xfL}, CorrectBits.concat(new long[] {-1L}, 4, new long[0], 0));
    }

    @Test
    void countsLookOnlyAtTheFirstImages() {
        long[] bits = {-1L, 0b1011L};
        assertEquals(64 + 3, CorrectBits.count(bits, 128));
        assertEquals(64 + 1, CorrectBits.count(bits, 65));
        assertEquals(64, CorrectBits.count(bits, 64));
        assertEquals(10, CorrectBits.count(bits, 10));
        assertEquals(0, CorrectBits.count(bits, 0));
    }

    /*
     * a right on 0, 1, 2, 64, 65; b right on 1, 2, 3, 65, 66. Among the first 66 images a alone is right on
     * 0 and 64, b alone on 3 (image 66 is the 67th, not counted).
     */
    @Test
    void onlyFirstCountsTheImagesTheFirstGotRightAndTheSecondWrong() {
        long[] a = {0b111L, 0b011L};
        long[] b = {0b1110L, 0b110L};
        assertEquals(2, CorrectBits.onlyFirst(a, b, 66));
        assertEquals(1, CorrectBits.onlyFirst(b, a, 66));
        assertEquals(2, CorrectBits.onlyFirst(b, a, 67)); // now image 66 counts for b
        assertEquals(1, CorrectBits.onlyFirst(a, b, 64));
        assertEquals(0, CorrectBits.onlyFirst(a, a, 128));
    }

    @Test
    void tooFewWordsOrNegativeImagesAreRefused() {
        assertThrows(InvalidInputException.class, () -> CorrectBits.count(new long[1], 65));
        assertThrows(InvalidInputException.class, () -> CorrectBits.count(new long[1], -1));
        assertThrows(InvalidInputException.class, () -> CorrectBits.count(null, 0));
        assertThrows(InvalidInputException.class, () -> CorrectBits.onlyFirst(new long[2], new long[1], 100));
        assertThrows(InvalidInputException.class, () -> CorrectBits.concat(new long[1], 64, new long[0], 1));
        assertThrows(InvalidInputException.class, () -> CorrectBits.of(null));
    }
}
