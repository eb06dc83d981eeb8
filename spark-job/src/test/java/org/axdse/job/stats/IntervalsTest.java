package org.axdse.job.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Wilson intervals, paired-difference intervals and the exact one-sided McNemar test, on worked values. */
class IntervalsTest {
    /** The 95% two-sided critical value, Normal.quantile(0.975). */
    static final double Z95 = 1.959963984540054;

    /** The Wilson interval written out from its closed form, as the reference. */
    private static double[] wilsonByHand(double x, double n, double z) {
        double p = x / n;
        double centre = p + z * z / (2 * n);
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        double scale = 1 + z * z / n;
        return new double[] {(centre - half) / scale, (centre + half) / scale};
    }

    /*
     * 81 of 263 at 95%: p = 0.30798, z^2/n = 0.014606;
     * centre = p + z^2/(2n) = 0.315287, half = z sqrt(p(1-p)/n + z^2/(4n^2)) = 0.056056, scale = 1.014606:
     * [0.2552885198782742, 0.36620957698280004], Newcombe's published 0.2553 to 0.3662
     * (Statistics in Medicine 17:857-872, 1998, score method without continuity correction).
     */
    @Test
    void wilsonIntervalOf81Of263() {
        Interval ci = Intervals.wilson(81, 263, 0.95);
        double[] byHand = wilsonByHand(81, 263, Z95);
        assertEquals(byHand[0], ci.low(), 1e-12);
        assertEquals(byHand[1], ci.high(), 1e-12);
        assertEquals(0.2552885198782742, ci.low(), 1e-12);
        assertEquals(0.36620957698280004, ci.high(), 1e-12);
        assertEquals(0.2553, ci.low(), 5e-5);
        assertEquals(0.3662, ci.high(), 5e-5);
    }

    @Test
    void wilsonIntervalsOfNewcombesOtherExamples() {
        // Newcombe (1998), score method: 15/148 -> 0.0624-0.1605, 0/20 -> 0-0.1611, 1/29 -> 0.0061-0.1718.
        assertInterval(0.0624, 0.1605, Intervals.wilson(15, 148, 0.95), 5e-5);
        assertInterval(0.0, 0.1611, Intervals.wilson(0, 20, 0.95), 5e-5);
        assertInterval(0.0061, 0.1718, Intervals.wilson(1, 29, 0.95), 5e-5);
    }

    /*
     * 0 of n: p = 0, so centre = half = z^2/(2n) and the interval is [0, (z^2/n)/(1 + z^2/n)].
     * n of n mirrors it: [1/(1 + z^2/n), 1]. With n = 20 at 95%: z^2/n = 0.19207, so 0.16112515805281938
     * and 0.8388748419471806.
     */
    @Test
    void wilsonIntervalsAtNoneAndAllCorrect() {
        double r = Z95 * Z95 / 20;
        assertInterval(0.0, r / (1 + r), Intervals.wilson(0, 20, 0.95), 1e-15);
        assertInterval(1 / (1 + r), 1.0, Intervals.wilson(20, 20, 0.95), 1e-15);
        assertEquals(0.0, Intervals.wilson(0, 20, 0.95).low()); // exactly, never a rounding -1e-17
        assertEquals(1.0, Intervals.wilson(20, 20, 0.95).high());
    }

    @Test
    void wilsonIntervalOfNoTrialsIsEverything() {
        assertInterval(0.0, 1.0, Intervals.wilson(0, 0, 0.95), 0.0);
    }

    @Test
    void wilsonIntervalsWidenWithConfidence() {
        Interval ci90 = Intervals.wilson(50, 100, 0.90);
        Interval ci99 = Intervals.wilson(50, 100, 0.99);
        double[] byHand = wilsonByHand(50, 100, 2.5758293035489004);
        assertInterval(byHand[0], byHand[1], ci99, 1e-12);
        assertEquals(1.0, ci90.low() + ci90.high(), 1e-15); // symmetric about 1/2 at 50 of 100
        assertEquals(true, ci99.low() < ci90.low() && ci99.high() > ci90.high());
    }

    @Test
    void wilsonRefusesImpossibleCountsAndConfidences() {
        assertThrows(InvalidInputException.class, () -> Intervals.wilson(5, 4, 0.95));
        assertThrows(InvalidInputException.class, () -> Intervals.wilson(-1, 4, 0.95));
        assertThrows(InvalidInputException.class, () -> Intervals.wilson(1, 4, 1.0));
        assertThrows(InvalidInputException.class, () -> Intervals.wilson(1, 4, 0.0));
        assertThrows(InvalidInputException.class, () -> Intervals.wilson(1, 4, Double.NaN));
    }

    /*
     * 200 images, A alone right on 30, B alone right on 12: d = 18/200 = 0.09,
     * se = sqrt(30 + 12 - 18^2/200) / 200 = sqrt(40.38) / 200 = 0.0317726,
     * d +- 1.96 se = [0.0277267900338298, 0.1522732099661702].
     */
    @Test
    void pairedDifferenceOf30Against12On200Images() {
        double se = Math.sqrt(30 + 12 - 18.0 * 18 / 200) / 200;
        Interval ci = Intervals.pairedDifference(30, 12, 200, 0.95);
        assertInterval(0.09 - Z95 * se, 0.09 + Z95 * se, ci, 1e-12);
        assertInterval(0.0277267900338298, 0.1522732099661702, ci, 1e-12);
    }

    @Test
    void swappingTheCandidatesNegatesThePairedInterval() {
        Interval ab = Intervals.pairedDifference(30, 12, 200, 0.95);
        Interval ba = Intervals.pairedDifference(12, 30, 200, 0.95);
        assertInterval(-ab.high(), -ab.low(), ba, 1e-15);
    }

    /*
     * 10 images all A's alone: d = 1 and se = sqrt(10 - 100/10)/10 = 0, so [1, 1]. 9 of 10 A's alone:
     * d = 0.9, se = sqrt(9 - 8.1)/10 = 0.0949; 0.9 + 1.96 se = 1.086 clips to 1.
     */
    @Test
    void pairedIntervalsAreClippedToMinusOneToOne() {
        assertInterval(1.0, 1.0, Intervals.pairedDifference(10, 0, 10, 0.95), 1e-15);
        Interval ci = Intervals.pairedDifference(9, 0, 10, 0.95);
        assertEquals(0.9 - Z95 * Math.sqrt(0.9) / 10, ci.low(), 1e-12);
        assertEquals(1.0, ci.high());
        assertEquals(-1.0, Intervals.pairedDifference(0, 9, 10, 0.95).low());
    }

    @Test
    void pairedIntervalOfNoImagesIsEverythingAndOfNoDisagreementIsZero() {
        assertInterval(-1.0, 1.0, Intervals.pairedDifference(0, 0, 0, 0.95), 0.0);
        assertInterval(0.0, 0.0, Intervals.pairedDifference(0, 0, 50, 0.95), 0.0);
    }

    @Test
    void pairedIntervalRefusesImpossibleCounts() {
        assertThrows(InvalidInputException.class, () -> Intervals.pairedDifference(6, 5, 10, 0.95));
        assertThrows(InvalidInputException.class, () -> Intervals.pairedDifference(-1, 5, 10, 0.95));
        assertThrows(InvalidInputException.class, () -> Intervals.pairedDifference(1, 1, 10, 1.5));
    }

    /*
     * 12 discordant images, 10 of them A's: P(X >= 10 | 12, 1/2) = (C(12,10) + C(12,11) + C(12,12)) / 2^12
     * = (66 + 12 + 1) / 4096 = 79/4096 = 0.019287109375.
     */
    @Test
    void mcNemarTenAgainstTwo() {
        assertEquals(79.0 / 4096, Intervals.mcNemarOneSided(10, 2), 1e-15);
    }

    @Test
    void mcNemarWithoutDiscordantImagesIsOneAndIsOneSided() {
        assertEquals(1.0, Intervals.mcNemarOneSided(0, 0));
        // B ahead: P(X >= 2 | 12, 1/2) = 1 - (1 + 12)/4096 = 4083/4096, nowhere near significant.
        assertEquals(4083.0 / 4096, Intervals.mcNemarOneSided(2, 10), 1e-15);
        // Ties: P(X >= 6 | 12, 1/2) = (2048 + 924/2) / 4096 = 2510/4096.
        assertEquals(2510.0 / 4096, Intervals.mcNemarOneSided(6, 6), 1e-15);
        // All discordant images A's: 2^-20.
        assertEquals(Math.pow(2, -20), Intervals.mcNemarOneSided(20, 0), 1e-21);
        assertThrows(InvalidInputException.class, () -> Intervals.mcNemarOneSided(-1, 3));
    }

    private static void assertInterval(double low, double high, Interval actual, double tolerance) {
        assertEquals(low, actual.low(), tolerance, "low of " + actual);
        assertEquals(high, actual.high(), tolerance, "high of " + actual);
    }
}
