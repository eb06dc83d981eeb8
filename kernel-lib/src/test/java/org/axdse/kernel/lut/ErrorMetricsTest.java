package org.axdse.kernel.lut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.axdse.kernel.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Error metrics, checked against hand-computed tables and EvoApproxLib's published figures. */
class ErrorMetricsTest {
    @Test
    void exactTableHasNoError() {
        ErrorMetrics m = ErrorMetrics.of(MultiplierTable.exact(Signedness.UNSIGNED));
        assertEquals(new ErrorMetrics(0, 0, 0, 0, 0, 0, 0, 65_025), m);
    }

    @Test
    void metricsOfAHandBuiltTable() {
        // exact except: (3,5) -> 20 (e=+5), (0,9) -> 2 (e=+2, exact 0), (10,10) -> 90 (e=-10)
        int[] e = MultiplierTable.exact(Signedness.UNSIGNED).entries();
        e[(3 << 8) | 5] = 20;
        e[9] = 2;
        e[(10 << 8) | 10] = 90;
        ErrorMetrics m = ErrorMetrics.of(MultiplierTable.of("hand", Signedness.UNSIGNED, e));
        double n = 65_536;
        assertEquals(17 / n, m.mae(), 1e-15);
        assertEquals(10, m.wce());
        assertEquals((25 + 4 + 100) / n, m.mse(), 1e-15);
        assertEquals(-3 / n, m.meanError(), 1e-15);
        assertEquals(3 / n, m.errorProbability(), 1e-15);
        assertEquals((5.0 / 15 + 10.0 / 100) / n, m.mre(), 1e-15); // the exact-0 pair contributes 0
        assertEquals(5.0 / 15, m.wcre(), 1e-15);
        assertEquals(100.0 * 10 / 65_025, m.wcePercent(), 1e-12);
    }

    @Test
    void signedTablesMeasureAgainstSignedProducts() {
        int[] e = MultiplierTable.exact(Signedness.SIGNED).entries();
        e[(0x80 << 8) | 0x80] = 16_000; // (-128) x (-128) = 16384, e = -384
        ErrorMetrics m = ErrorMetrics.of(MultiplierTable.of("s", Signedness.SIGNED, e));
        assertEquals(384, m.wce());
        assertEquals(100.0 * 384 / 16_384, m.wcePercent(), 1e-12);
        assertEquals(-384 / 65_536.0, m.meanError(), 1e-15);
    }

    /**
     * MAE, WCE and EP % as EvoApproxLib publishes them. MRE % is our definition's value (pairs with an
     * exact product of 0 contribute 0); it reproduces the 2.54 % EvoApproxLib lists for mul8u_2HH, where
     * the alternative |e| / max(1, |a*w|) would give 56 %.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "mul8u_17C8, 4857.96, 16896, 99.21, 57.36",
            "mul8u_L40, 1011.25, 9124, 74.91, 7.40",
            "mul8u_2HH, 37.07, 115, 97.72, 2.54",
            "mul8u_1JFF, 0.00, 0, 0.00, 0.00",
    })
    void evoApproxTablesMatchThePublishedFigures(String name, double mae, long wce, double epPercent, double mrePercent) {
        assumeTrue(TestTables.evoApproxPresent(), "../shared/evoapprox-mul8u absent");
        ErrorMetrics m = ErrorMetrics.of(MultiplierTableFiles.read(TestTables.EVOAPPROX.resolve(name + ".bin"),
                Signedness.UNSIGNED));
        assertEquals(mae, m.mae(), 0.005, "MAE");
        assertEquals(wce, m.wce(), "WCE");
        assertEquals(epPercent, m.errorProbabilityPercent(), 0.005, "EP %");
        assertEquals(mrePercent, m.mrePercent(), 0.005, "MRE %");
    }
}
