package org.axdse.kernel.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The one top-1 rule: the strictly greatest logit wins, ties go to the lowest class, NaN never wins. */
class PredictionsTest {
    private static final float NAN = Float.NaN;

    @Test
    void theLargestLogitWins() {
        assertEquals(2, Predictions.top1(new float[] {0.1f, -3f, 7f, 6.9f}, 0, 4));
        assertEquals(0, Predictions.top1(new float[] {5f, 4f, 3f}, 0, 3));
        assertEquals(1, Predictions.top1(new float[] {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, 0, 2));
    }

    @Test
    void aRowIsReadAtItsOffset() {
        float[] two = {9f, 1f, 2f, /* image 1: */ 1f, 3f, 2f};
        assertEquals(0, Predictions.top1(two, 0, 3));
        assertEquals(1, Predictions.top1(two, 3, 3));
        assertEquals(2, Predictions.top1(new float[] {100f, 0f, 1f, 2f}, 1, 3), "the 100 before the row is not read");
    }

    @Test
    void tiesGoToTheLowestClass() {
        assertEquals(1, Predictions.top1(new float[] {0f, 3f, 3f, 3f}, 0, 4));
        assertEquals(0, Predictions.top1(new float[] {-0.0f, 0.0f}, 0, 2), "+0.0 is not greater than -0.0");
        assertEquals(0, Predictions.top1(new float[] {2f, 2f}, 0, 2));
    }

    @Test
    void nanNeverWinsExceptInClassZeroWhereNothingBeatsIt() {
        assertEquals(2, Predictions.top1(new float[] {1f, NAN, 2f}, 0, 3), "a NaN after class 0 is skipped");
        assertEquals(0, Predictions.top1(new float[] {1f, NAN, NAN}, 0, 3));
        assertEquals(0, Predictions.top1(new float[] {NAN, 5f, 9f}, 0, 3), "class 0 NaN: no comparison with it is true");
        assertEquals(0, Predictions.top1(new float[] {NAN, NAN}, 0, 2));
        assertEquals(2, Predictions.top1(new float[] {Float.NEGATIVE_INFINITY, NAN, -1f}, 0, 3));
    }

    @Test
    void oneClassIsAlwaysClassZero() {
        assertEquals(0, Predictions.top1(new float[] {NAN}, 0, 1));
        assertEquals(0, Predictions.top1(new float[] {3f, -1f}, 1, 1));
        assertEquals(2, Predictions.countCorrect(new float[] {1f, 2f, 3f}, 3, 1, new int[] {0, 1, 0}, 0));
    }

    @Test
    void countCorrectComparesEachImagesTop1WithItsLabel() {
        float[] logits = {
                0f, 1f, 0f, // top-1 1
                5f, 5f, 1f, // tie: 0
                NAN, 9f, 9f, // NaN in class 0: 0
                1f, NAN, 2f, // 2
        };
        assertEquals(4, Predictions.countCorrect(logits, 4, 3, new int[] {1, 0, 0, 2}, 0));
        assertEquals(2, Predictions.countCorrect(logits, 4, 3, new int[] {1, 1, 1, 2}, 0));
        // Labels from an offset (a batch inside a larger set); only the first `images` rows are read.
        assertEquals(2, Predictions.countCorrect(logits, 2, 3, new int[] {7, 7, 1, 0}, 2));
        assertEquals(0, Predictions.countCorrect(logits, 0, 3, new int[0], 0));
    }

    @Test
    void badArgumentsAreRejectedWithExpectedVersusActual() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Predictions.top1(new float[3], 0, 0));
        assertTrue(e.getMessage().startsWith("classes: expected >= 1, got 0"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Predictions.top1(new float[5], 3, 3));
        assertTrue(e.getMessage().contains("offset 3 inside 5 values"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Predictions.countCorrect(new float[5], 2, 3, new int[2], 0));
        assertTrue(e.getMessage().startsWith("logits: expected at least 6"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Predictions.countCorrect(new float[6], 2, 3, new int[3], 2));
        assertTrue(e.getMessage().startsWith("labels: expected 2 labels from index 2, got 3"), e.getMessage());
    }
}
