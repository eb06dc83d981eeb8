package org.axdse.job.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * The standard normal quantile, against values computed to 40 digits with mpmath ({@code sqrt(2) erfinv(2p - 1)}
 * at the exact double p). The contract asks for a relative error below 1e-8; the refined approximation is held
 * here to 1e-14.
 */
class NormalTest {
    private static void assertRelative(double expected, double actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= tolerance * Math.abs(expected),
                "expected " + expected + ", got " + actual + " (relative error " + Math.abs(actual / expected - 1) + ")");
    }

    @Test
    void criticalValuesOfTheUsualConfidenceLevels() {
        // 95% and 99% two-sided: z = 1.959963984540054 and 2.5758293035489004.
        assertRelative(1.959963984540054, Normal.quantile(0.975), 1e-15);
        assertRelative(2.5758293035489008, Normal.quantile(0.995), 1e-15);
        assertEquals(2.5758293035489, Normal.quantile(0.995), 1e-13);
        assertRelative(-1.959963984540054, Normal.quantile(0.025), 1e-15);
    }

    @Test
    void theMedianIsZero() {
        assertEquals(0.0, Normal.quantile(0.5));
    }

    @Test
    void quantilesAcrossTheRangeMatchHighPrecisionValues() {
        double[][] cases = {
            {1e-300, -37.047096299361199237},
            {1e-10, -6.3613409024040561991},
            {1e-5, -4.2648907939228246102},
            {0.02, -2.0537489106318230443}, // tail region of the approximation, just below its switch at 0.02425
            {0.03, -1.8807936081512509552}, // central region, just above it
            {0.3, -0.52440051270804081597},
            {0.4999999, -2.5066282747031065135e-7}, // near the median x is tiny: still relatively accurate
            {0.75, 0.6744897501960817432},
            {0.9, 1.2815515655446005935},
            {0.999999, 4.7534243088170877657},
        };
        for (double[] c : cases) {
            assertRelative(c[1], Normal.quantile(c[0]), 1e-14);
        }
    }

    @Test
    void quantilesAreSymmetricAboutTheMedian() {
        for (double p : new double[] {1e-10, 1e-4, 0.01, 0.025, 0.1, 0.25, 0.4, 0.49}) {
            // 1 - p rounds, so compare with the quantile of the exact complement of 1 - p.
            double upper = 1.0 - p;
            assertEquals(-Normal.quantile(1.0 - upper), Normal.quantile(upper), 0.0, "p = " + p);
            assertRelative(-Normal.quantile(p), Normal.quantile(upper), 1e-8); // p vs 1 - (1 - p): rounding of p
        }
    }

    @Test
    void tailsOf1e10() {
        assertRelative(-6.3613409024040561991, Normal.quantile(1e-10), 1e-14);
        // 1 - 1e-10 is not exact in double: the quantile is that of the double nearest, 1 - 1.000000082740371e-10.
        assertRelative(-Normal.quantile(1.0 - (1.0 - 1e-10)), Normal.quantile(1.0 - 1e-10), 1e-15);
        assertRelative(6.3613409024040561991, Normal.quantile(1.0 - 1e-10), 1e-8);
    }

    @Test
    void theFarTailDownToSubnormalProbabilities() {
        assertRelative(-37.5193793471445, Normal.quantile(Double.MIN_NORMAL), 1e-14);
        assertRelative(-38.269125343032651, Normal.quantile(1e-320), 1e-14); // subnormal
        assertRelative(-38.467405617144346, Normal.quantile(Double.MIN_VALUE), 1e-14); // 2^-1074
        assertRelative(8.2095361516013869, Normal.quantile(Math.nextDown(1.0)), 1e-14); // 1 - 2^-53
    }

    @Test
    void probabilitiesOutsideTheOpenUnitIntervalAreRefused() {
        for (double p : new double[] {0.0, 1.0, -0.1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Normal.quantile(p));
            assertTrue(e.getMessage().contains("(0, 1)"), e.getMessage());
        }
    }

    @Test
    void complementaryErrorFunctionKeepsItsRelativeAccuracyInTheTail() {
        double[][] cases = {
            {0.0, 1.0},
            {0.5, 0.4795001221869534623172533461080354712635},
            {1.0, 0.1572992070502851306587793649173907407039},
            {1.5, 0.03389485352468927293302373835405214131859},
            {2.0, 0.004677734981047265837930743632747071389108},
            {3.0, 0.00002209049699858544137277612958232037984771},
            {5.0, 1.537459794428034850188343485383378890118e-12},
            {10.0, 2.088487583762544757000786294957788611561e-45},
            {20.0, 5.395865611607900928934999167905345604088e-176},
        };
        for (double[] c : cases) {
            assertRelative(c[1], Normal.erfc(c[0]), 1e-14);
            assertRelative(2.0 - c[1], Normal.erfc(-c[0]), 1e-15);
        }
        assertEquals(0.0, Normal.erfc(30.0));
        // The scaled form does not underflow: exp(t^2) erfc(t) -> 1/(t sqrt(pi)) (1 - 1/(2t^2) + ...).
        assertRelative(1 / (1e10 * Math.sqrt(Math.PI)), Normal.erfcx(1e10), 1e-15);
        assertRelative(0.01128153626532377250018381085221429875566, Normal.erfcx(50.0), 1e-14);
        assertRelative(0.5204998778130465376827466538919645287365, Normal.erf(0.5), 1e-15);
        assertRelative(1.128379167095512573896158903121545171688e-10, Normal.erf(1e-10), 1e-15); // 2t/sqrt(pi)
    }
}
