package org.axdse.kernel.cuda.check;

import java.util.Random;

import org.axdse.kernel.cuda.LutKernelVariant;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;

/**
 * The random asymmetric tables and data that the kernel tests and the GPU check compare the backends on. The
 * same seed gives the same table and data everywhere (tests, the GPU check on a device machine).
 */
public final class CheckTables {
    private CheckTables() {
    }

    /**
     * A random asymmetric table whose entries are the exact product plus noise, non-zero when an operand is zero,
     * spanning the whole allowed range at a few entries (so overflow bounds are exercised): 65535 (unsigned) or
     * -2^20 (signed, beyond int16) at {@code lut[7][0]}.
     *
     * @param s    signedness
     * @param seed random seed
     * @return the table, named {@code random-<signedness>-<seed>}
     */
    public static MultiplierTable randomTable(Signedness s, long seed) {
        Random r = new Random(seed);
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            int exact = s.codeOf(i >>> 8) * s.codeOf(i & 0xFF);
            int v = exact + r.nextInt(2001) - 1000;
            e[i] = s == Signedness.UNSIGNED ? Math.max(0, Math.min(0xFFFF, v)) : v;
        }
        e[0] = s == Signedness.UNSIGNED ? 777 : -777; // 0 x 0 is not 0
        e[(7 << 8)] = s == Signedness.UNSIGNED ? 0xFFFF : -MultiplierTable.MAX_SIGNED_MAGNITUDE; // a x 0 huge
        return MultiplierTable.of("random-" + s.name().toLowerCase() + "-" + seed, s, e);
    }

    /**
     * A random asymmetric table whose entries stay in int16 (so the {@link LutKernelVariant#SMEM16} kernels can
     * take it) but reach both of its limits (0 and 32767 unsigned, -32768 and 32767 signed), with 0 x 0 != 0.
     *
     * @param s    signedness
     * @param seed random seed
     * @return the table, named {@code random16-<signedness>-<seed>}
     */
    public static MultiplierTable random16(Signedness s, long seed) {
        Random r = new Random(seed);
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            int exact = s.codeOf(i >>> 8) * s.codeOf(i & 0xFF);
            int v16 = (s == Signedness.UNSIGNED ? exact / 2 : exact) + r.nextInt(2001) - 1000;
            e[i] = Math.max(s == Signedness.UNSIGNED ? 0 : Short.MIN_VALUE, Math.min(Short.MAX_VALUE, v16));
        }
        e[0] = s == Signedness.UNSIGNED ? 777 : -777;
        e[7 << 8] = Short.MAX_VALUE;
        e[(9 << 8) | 3] = s == Signedness.UNSIGNED ? 0 : Short.MIN_VALUE;
        return MultiplierTable.of("random16-" + s.name().toLowerCase() + "-" + seed, s, e);
    }

    /**
     * @param s    signedness
     * @param v    the kernel variant the table is for
     * @param seed random seed
     * @return {@link #randomTable} for {@link LutKernelVariant#LDG} (which takes any table), {@link #random16}
     *         for {@link LutKernelVariant#SMEM16}
     */
    public static MultiplierTable forVariant(Signedness s, LutKernelVariant v, long seed) {
        return v == LutKernelVariant.LDG ? randomTable(s, seed) : random16(s, seed);
    }

    /**
     * A signed table with every entry at the largest magnitude the format allows (2^20): a layer's sums go
     * beyond int32 from K = 2048 taps on.
     *
     * @return the table, named {@code huge}
     */
    public static MultiplierTable huge() {
        int[] e = new int[MultiplierTable.ENTRIES];
        java.util.Arrays.fill(e, MultiplierTable.MAX_SIGNED_MAGNITUDE);
        return MultiplierTable.of("huge", Signedness.SIGNED, e);
    }

    /**
     * @param r  random source
     * @param n  how many
     * @param lo smallest
     * @param hi bound (exclusive)
     * @return n uniform floats in [lo, hi)
     */
    public static float[] randomFloats(Random r, int n, float lo, float hi) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = lo + (hi - lo) * r.nextFloat();
        }
        return f;
    }
}
