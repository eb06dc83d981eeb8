package org.axdse.kernel.conv;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import org.axdse.kernel.lut.MultiplierTable;

/**
 * A multiplier table as {@link BytePermuteDense} reads it: for each weight code {@code w}, the column
 * {@code lut[*][w]} offset by the table's minimum and split into 2 or 3 byte planes, laid out
 * {@code [w][plane][a]}. It depends on the table alone, so one instance serves every dense layer and candidate
 * that uses the table ({@link #of(MultiplierTable)} caches it; building one takes about a millisecond, which
 * was 8 % of a search task's time when each kernel built its own). Immutable.
 *
 * @param columns  {@code [w][plane][a]}: byte {@code plane} of {@code lut[a][w] - minEntry}
 * @param planes   byte planes (2 for tables spanning up to 16 bits, else 3)
 * @param minEntry the table's smallest entry
 */
record PermuteColumns(byte[] columns, int planes, int minEntry) {
    private static final Map<MultiplierTable, PermuteColumns> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    /** @return the columns of {@code table}, built once per table (content-equal tables share them) */
    static PermuteColumns of(MultiplierTable table) {
        return CACHE.computeIfAbsent(table, t -> {
            int[] entries = new int[MultiplierTable.ENTRIES];
            for (int i = 0; i < entries.length; i++) {
                entries[i] = t.entry(i);
            }
            return of(entries);
        });
    }

    /**
     * @param table entries by activation row, {@code table[(a << 8) | w]}
     * @return the columns
     */
    static PermuteColumns of(int[] table) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int e : table) {
            min = Math.min(min, e);
            max = Math.max(max, e);
        }
        long span = (long) max - min;
        int bits = 64 - Long.numberOfLeadingZeros(span);
        // Two planes for every table whose entries span 16 bits or less (the second is zero for narrow ones).
        int planes = Math.max(2, (bits + 7) / 8);
        if (planes > 3) {
            throw new IllegalArgumentException("table entries span " + span + ", more than 24 bits");
        }
        byte[] columns = new byte[256 * planes * 256];
        for (int a = 0; a < 256; a++) {
            for (int w = 0; w < 256; w++) {
                long u = (long) table[(a << 8) | w] - min;
                for (int p = 0; p < planes; p++) {
                    columns[(w * planes + p) * 256 + a] = (byte) (u >>> (8 * p));
                }
            }
        }
        return new PermuteColumns(columns, planes, min);
    }
}
