package org.axdse.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.axdse.kernel.cuda.check.CheckTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;

/** Tables and data shared by the tests. */
public final class TestTables {
    private TestTables() {
    }

    /** The EvoApproxLib tables beside the project, as users bring them (absent on some machines). */
    public static final Path EVOAPPROX = Path.of("..", "..", "shared", "evoapprox-mul8u");

    /** @return whether {@link #EVOAPPROX} exists */
    public static boolean evoApproxPresent() {
        return Files.isDirectory(EVOAPPROX);
    }

    /**
     * A random asymmetric table whose entries are the exact product plus noise, non-zero when an operand
     * is zero, spanning the whole allowed range at a few entries (so overflow bounds are exercised); the GPU
     * check compares the backends on the same tables ({@link CheckTables#randomTable}).
     */
    public static MultiplierTable randomTable(Signedness s, long seed) {
        return CheckTables.randomTable(s, seed);
    }

    /** @return n uniform floats in [lo, hi) */
    public static float[] randomFloats(Random r, int n, float lo, float hi) {
        return CheckTables.randomFloats(r, n, lo, hi);
    }

    /**
     * Asserts {@code |expected[i] - actual[i]| <= relative * max |expected|} for every i.
     *
     * @param expected reference values
     * @param actual   values under test
     * @param relative tolerance as a fraction of the largest |expected|
     * @param what     label for failure messages
     */
    public static void assertCloseRelativeToLargest(float[] expected, float[] actual, double relative, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + " length");
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = relative * scale;
        for (int i = 0; i < actual.length; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(expected[i], actual[i], tol, what + " output " + i);
        }
    }
}
