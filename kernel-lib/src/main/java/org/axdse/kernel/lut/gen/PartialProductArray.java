package org.axdse.kernel.lut.gen;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.Signedness;

/**
 * Array multipliers that omit partial-product bits {@code a_i w_j} (weight {@code 2^(i+j)}), unsigned or
 * two's complement (Baugh-Wooley: bits with exactly one of i, j equal to 7 have weight {@code -2^(i+j)}).
 * An omitted bit is removed with its sign, so a signed design's error is the sum of the omitted terms
 * (zero when their operand bits are zero). Families:
 * <ul>
 *   <li>{@link #exact}: all 64 bits;</li>
 *   <li>{@link #truncated}: the k least-significant columns removed ({@code i + j < k}), optionally with
 *       a constant correction equal to the expected value of the removed bits under uniform operands
 *       (each bit is 1 with probability 1/4), rounded half up;</li>
 *   <li>{@link #brokenArray} (Mahdiani et al.'s broken-array multiplier): bits below the horizontal break
 *       level ({@code j < hbl}: the hbl first partial-product rows) and right of the vertical break level
 *       ({@code i + j < vbl}) removed;</li>
 *   <li>{@link #perforated} (partial-product perforation, Zervakis et al.): {@code count} consecutive
 *       rows from row {@code start} ({@code start <= j < start + count}) removed.</li>
 * </ul>
 */
public final class PartialProductArray implements MultiplierDesign {
    /** Which bits a design keeps. */
    private interface Keep {
        boolean test(int i, int j);
    }

    private final String family;
    private final String shortName;
    private final String parameters;
    private final Signedness signedness;
    private final boolean[] kept = new boolean[64];
    private final int correction;

    private PartialProductArray(String family, String shortName, String parameters, Signedness s, Keep keep,
                                boolean correct) {
        this.family = family;
        this.shortName = shortName;
        this.parameters = parameters;
        this.signedness = s;
        double removed = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                kept[i * 8 + j] = keep.test(i, j);
                if (!kept[i * 8 + j]) {
                    removed += sign(i, j) * (double) (1L << (i + j));
                }
            }
        }
        this.correction = correct ? (int) Math.floor(removed / 4 + 0.5) : 0;
    }

    private int sign(int i, int j) {
        return signedness == Signedness.SIGNED && (i == 7) != (j == 7) ? -1 : 1;
    }

    /** @param s signedness @return the exact array multiplier */
    public static PartialProductArray exact(Signedness s) {
        return new PartialProductArray("exact", "exact", "", s, (i, j) -> true, false);
    }

    /**
     * @param s          signedness
     * @param k          columns removed, 0..15 (0 = exact)
     * @param correction add the expected value of the removed bits
     * @return the truncated array multiplier
     */
    public static PartialProductArray truncated(Signedness s, int k, boolean correction) {
        check("truncated k", k, 0, 15);
        return new PartialProductArray("truncated", "trunc_k" + k + (correction ? "c" : ""),
                "k=" + k + ",correction=" + correction, s, (i, j) -> i + j >= k, correction);
    }

    /**
     * @param s   signedness
     * @param hbl horizontal break level: rows removed, 0..8
     * @param vbl vertical break level: columns removed, 0..15
     * @return the broken-array multiplier
     */
    public static PartialProductArray brokenArray(Signedness s, int hbl, int vbl) {
        check("broken-array hbl", hbl, 0, 8);
        check("broken-array vbl", vbl, 0, 15);
        return new PartialProductArray("broken-array", "bam_h" + hbl + "v" + vbl, "hbl=" + hbl + ",vbl=" + vbl, s,
                (i, j) -> j >= hbl && i + j >= vbl, false);
    }

    /**
     * @param s     signedness
     * @param start first removed row (weight bit), 0..7
     * @param count rows removed, 0..8-start
     * @return the perforated multiplier
     */
    public static PartialProductArray perforated(Signedness s, int start, int count) {
        check("perforated start", start, 0, 7);
        check("perforated count", count, 0, 8 - start);
        return new PartialProductArray("perforated", "perf_s" + start + "n" + count, "start=" + start + ",count=" + count,
                s, (i, j) -> j < start || j >= start + count, false);
    }

    static void check(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidInputException(what + ": expected " + min + ".." + max + ", got " + value);
        }
    }

    @Override
    public int multiply(int a, int w) {
        int pa = a & 0xFF;
        int pw = w & 0xFF;
        int sum = correction;
        for (int i = 0; i < 8; i++) {
            if ((pa >>> i & 1) == 0) {
                continue;
            }
            for (int j = 0; j < 8; j++) {
                if (kept[i * 8 + j] && (pw >>> j & 1) != 0) {
                    sum += sign(i, j) << (i + j);
                }
            }
        }
        return sum;
    }

    @Override
    public Cells cells() {
        ColumnCounter c = new ColumnCounter();
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                if (kept[i * 8 + j]) {
                    c.bit(i + j, sign(i, j), true);
                }
            }
        }
        c.constant(correction);
        return c.cells();
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public String shortName() {
        return shortName;
    }

    @Override
    public String parameters() {
        return parameters;
    }

    @Override
    public Signedness signedness() {
        return signedness;
    }
}
