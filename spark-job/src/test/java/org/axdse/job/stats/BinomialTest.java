package org.axdse.job.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Binomial tails P(X >= k) and P(X <= k), X ~ Bin(n, p): hand-computed cases, exact big-integer sums, edges. */
class BinomialTest {
    private static void assertRelative(double expected, double actual, double tolerance, String what) {
        assertTrue(Math.abs(actual - expected) <= tolerance * Math.abs(expected),
                what + ": expected " + expected + ", got " + actual + " (relative error " + Math.abs(actual / expected - 1)
                        + ")");
    }

    /*
     * n = 10, p = 1/2: P(X = j) = C(10, j) / 1024.
     * P(X >= 8) = (C(10,8) + C(10,9) + C(10,10)) / 1024 = (45 + 10 + 1) / 1024 = 56/1024,
     * P(X <= 2) = (1 + 10 + 45) / 1024 = 56/1024 by symmetry.
     */
    @Test
    void tenFairCoins() {
        assertRelative(56.0 / 1024, Binomial.upperTail(8, 10, 0.5), 1e-14, "P(X >= 8)");
        assertRelative(56.0 / 1024, Binomial.lowerTail(2, 10, 0.5), 1e-14, "P(X <= 2)");
        assertRelative(1.0 / 1024, Binomial.upperTail(10, 10, 0.5), 1e-14, "P(X >= 10)");
        assertRelative(1.0 / 1024, Binomial.lowerTail(0, 10, 0.5), 1e-14, "P(X <= 0)");
        // P(X >= 5) = (252/2 + 386) / 1024 = 638/1024: the tail holding the mode, by the complement.
        assertRelative(638.0 / 1024, Binomial.upperTail(5, 10, 0.5), 1e-14, "P(X >= 5)");
    }

    /*
     * n = 5, p = 0.3 = 3/10: P(X = j) = C(5, j) 3^j 7^(5-j) / 10^5:
     *   j = 0: 16807, 1: 36015, 2: 30870, 3: 13230, 4: 2835, 5: 243 (sum 100000).
     */
    @Test
    void fiveTrialsAtThirtyPercent() {
        assertRelative(16308.0 / 100000, Binomial.upperTail(3, 5, 0.3), 1e-14, "P(X >= 3) = (13230+2835+243)/1e5");
        assertRelative(243.0 / 100000, Binomial.upperTail(5, 5, 0.3), 1e-14, "P(X >= 5) = 0.3^5");
        assertRelative(52822.0 / 100000, Binomial.lowerTail(1, 5, 0.3), 1e-14, "P(X <= 1) = (16807+36015)/1e5");
        assertRelative(16807.0 / 100000, Binomial.lowerTail(0, 5, 0.3), 1e-14, "P(X <= 0) = 0.7^5");
        assertRelative(83692.0 / 100000, Binomial.lowerTail(2, 5, 0.3), 1e-14, "P(X <= 2) = 1 - 16308/1e5");
        assertRelative(83193.0 / 100000, Binomial.upperTail(1, 5, 0.3), 1e-14, "P(X >= 1) = 1 - 16807/1e5");
    }

    @Test
    void thresholdsOutsideZeroToN() {
        assertEquals(1.0, Binomial.upperTail(0, 10, 0.3));
        assertEquals(1.0, Binomial.upperTail(-5, 10, 0.3));
        assertEquals(0.0, Binomial.upperTail(11, 10, 0.3));
        assertEquals(0.0, Binomial.lowerTail(-1, 10, 0.3));
        assertEquals(1.0, Binomial.lowerTail(10, 10, 0.3));
        assertEquals(1.0, Binomial.lowerTail(12, 10, 0.3));
        assertEquals(1.0, Binomial.upperTail(0, 0, 0.5)); // no trials: X = 0
        assertEquals(0.0, Binomial.upperTail(1, 0, 0.5));
    }

    @Test
    void certainOutcomesAtPZeroAndOne() {
        assertEquals(0.0, Binomial.upperTail(1, 10, 0.0));
        assertEquals(1.0, Binomial.lowerTail(0, 10, 0.0));
        assertEquals(1.0, Binomial.upperTail(10, 10, 1.0));
        assertEquals(0.0, Binomial.lowerTail(9, 10, 1.0));
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(InvalidInputException.class, () -> Binomial.upperTail(1, -1, 0.5));
        assertThrows(InvalidInputException.class, () -> Binomial.upperTail(1, 10, -0.1));
        assertThrows(InvalidInputException.class, () -> Binomial.lowerTail(1, 10, 1.5));
        assertThrows(InvalidInputException.class, () -> Binomial.lowerTail(1, 10, Double.NaN));
    }

    /** P(X >= k) exactly, as a 40-digit decimal: sum_j C(n,j) a^j (b-a)^(n-j) / b^n for p = a/b. */
    private static double exactUpper(int k, int n, int a, int b) {
        BigInteger sum = BigInteger.ZERO;
        BigInteger choose = BigInteger.ONE; // C(n, j), from j = 0
        BigInteger pa = BigInteger.valueOf(a);
        BigInteger qa = BigInteger.valueOf(b - a);
        for (int j = 0; j <= n; j++) {
            if (j >= k) {
                sum = sum.add(choose.multiply(pa.pow(j)).multiply(qa.pow(n - j)));
            }
            choose = choose.multiply(BigInteger.valueOf(n - j)).divide(BigInteger.valueOf(j + 1));
        }
        return new BigDecimal(sum).divide(new BigDecimal(BigInteger.valueOf(b).pow(n)), new MathContext(40)).doubleValue();
    }

    @Test
    void thousandsOfTrialsMatchExactBigIntegerSums() {
        // p = 1/2 and p = 1/4 are exact in double, so the exact rational sum is the reference.
        int[][] cases = {
            // k, n, a, b (p = a/b)
            {1100, 2000, 1, 2}, {1200, 2000, 1, 2}, {950, 2000, 1, 2}, {1500, 2000, 1, 2},
            {560, 2000, 1, 4}, {440, 2000, 1, 4}, {700, 2000, 1, 4},
            {800, 2000, 1, 4}, // 15 sd out: about 1e-50, far below what 1 - P(X < k) could show
            {13, 20, 1, 2}, {1, 3000, 1, 4},
        };
        for (int[] c : cases) {
            double exact = exactUpper(c[0], c[1], c[2], c[3]);
            double p = (double) c[2] / c[3];
            String what = "P(X >= " + c[0] + "), n = " + c[1] + ", p = " + p;
            assertRelative(exact, Binomial.upperTail(c[0], c[1], p), 1e-13, what);
            double lower = 1.0 - exact; // P(X <= k - 1); compared only where it is not itself a tiny tail
            if (lower > 1e-3) {
                assertRelative(lower, Binomial.lowerTail(c[0] - 1, c[1], p), 1e-13, "1 - " + what);
            }
        }
    }

    /*
     * A million trials, against sums of the pmf computed to 50 digits with mpmath (loggamma, at the exact double p),
     * where log n! - log k! - log (n-k)! in double would already lose eight digits.
     */
    @Test
    void aMillionTrialsKeepTwelveDigits() {
        assertRelative(0.022804149932691043210154831018068511533721509300357, Binomial.upperTail(501_000, 1_000_000, 0.5),
                1e-12, "2 sd above the mean");
        assertRelative(9.9257488196151037841825841333716433031748791287966e-10,
                Binomial.upperTail(503_000, 1_000_000, 0.5), 1e-12, "6 sd above the mean");
        assertRelative(6.4837321811558759801557636629972187161863690004417e-6, Binomial.upperTail(302_000, 1_000_000, 0.3),
                1e-12, "p = 0.3, upper");
        assertRelative(6.3299684047719268852016887962761283351968800754922e-6, Binomial.lowerTail(298_000, 1_000_000, 0.3),
                1e-12, "p = 0.3, lower");
        assertRelative(2.9104789329061275756428503300795909163948848399408e-86, Binomial.upperTail(1000, 1_000_000, 0.0005),
                1e-12, "a far tail at p = 0.0005");
    }

    @Test
    void aTailAndTheOtherSideSumToOne() {
        long[][] cases = {{3, 10}, {5, 10}, {8, 10}, {0, 7}, {7, 7}, {480, 1000}, {520, 1000}, {250_300, 1_000_000}};
        for (double p : new double[] {0.5, 0.25, 0.3, 0.9, 0.001}) {
            for (long[] c : cases) {
                long k = c[0];
                long n = c[1];
                assertEquals(1.0, Binomial.upperTail(k, n, p) + Binomial.lowerTail(k - 1, n, p), 1e-14,
                        "k = " + k + ", n = " + n + ", p = " + p);
            }
        }
    }

    @Test
    void theNormalApproximationAgreesRoughlyOnALargeCase() {
        // n = 10000, p = 0.4: mean 4000, sd sqrt(2400) = 48.99; P(X >= 4100) ~ 1 - Phi((4099.5 - 4000) / 48.99).
        double z = (4099.5 - 4000) / Math.sqrt(2400);
        double approx = 0.5 * Normal.erfc(z / Math.sqrt(2));
        double exact = Binomial.upperTail(4100, 10_000, 0.4);
        assertTrue(Math.abs(exact / approx - 1) < 0.05, "exact " + exact + " vs normal approximation " + approx);
    }

    @Test
    void logFactorialAndStirlingRemainder() {
        assertEquals(0.0, Binomial.logFactorial(0));
        assertEquals(0.0, Binomial.logFactorial(1));
        assertRelative(Math.log(3628800), Binomial.logFactorial(10), 1e-15, "log 10!");
        // log 20! = log 2432902008176640000; log 100! = 363.73937555556347 (mpmath loggamma(101)).
        assertRelative(Math.log(2432902008176640000.0), Binomial.logFactorial(20), 1e-15, "log 20!");
        assertRelative(363.73937555556347, Binomial.logFactorial(100), 1e-15, "log 100!");
        // Stirling's remainder is about 1/(12 n).
        assertRelative(1.0 / 12e6, Binomial.stirlerr(1_000_000), 1e-12, "stirlerr(1e6)");
        // Continuity across the switch from the table to the series (n = 15 | 16).
        assertRelative(Binomial.logFactorial(15) + Math.log(16), Binomial.logFactorial(16), 1e-15, "log 16!");
        assertThrows(InvalidInputException.class, () -> Binomial.logFactorial(-1));
    }
}
