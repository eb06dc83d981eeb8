package org.axdse.kernel.lut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** AxTune on hand-built tables where the best column is known. */
class AxTuneTest {
    @Test
    void swappedColumnsAreSwappedBackAndTheResultIsExact() {
        int[] e = MultiplierTable.exact(Signedness.UNSIGNED).entries();
        for (int a = 0; a < 256; a++) { // column 5 holds 6a and column 6 holds 5a
            e[(a << 8) | 5] = 6 * a;
            e[(a << 8) | 6] = 5 * a;
        }
        MultiplierTable swapped = MultiplierTable.of("mul8u_swap", Signedness.UNSIGNED, e);
        int[] map = AxTune.weightMap(swapped);
        assertEquals(6, map[5]);
        assertEquals(5, map[6]);
        assertEquals(7, map[7]);
        MultiplierTable tuned = AxTune.tune(swapped);
        assertEquals("mul8u_swap+tune", tuned.name());
        assertTrue(tuned.isExact());
    }

    @Test
    void tiesKeepTheOriginalWeight() {
        // Columns 10, 11 and 12 hold 10a, 10a and 12a: for w = 11 all three miss by sum |a| = 32640.
        int[] e = MultiplierTable.exact(Signedness.UNSIGNED).entries();
        for (int a = 0; a < 256; a++) {
            e[(a << 8) | 11] = 10 * a;
        }
        int[] map = AxTune.weightMap(MultiplierTable.of("t", Signedness.UNSIGNED, e));
        assertEquals(11, map[11]);
        assertEquals(10, map[10]);
        int[] identity = AxTune.weightMap(MultiplierTable.exact(Signedness.UNSIGNED));
        for (int w = 0; w < 256; w++) {
            assertEquals(w, identity[w]);
        }
    }

    @Test
    void aBetterColumnElsewhereIsFoundForSignedTables() {
        // Column of w = -3 (pattern 0xFD) is zeroed; the best replacement is -2 or -4 (both miss by sum |a|);
        // -4 (0xFC) comes first in pattern order.
        int[] e = MultiplierTable.exact(Signedness.SIGNED).entries();
        for (int a = 0; a < 256; a++) {
            e[(a << 8) | 0xFD] = 0;
        }
        int[] map = AxTune.weightMap(MultiplierTable.of("s", Signedness.SIGNED, e));
        assertEquals(0xFC, map[0xFD]);
        MultiplierTable tuned = AxTune.tune(MultiplierTable.of("s", Signedness.SIGNED, e));
        assertEquals(-4 * 100, tuned.product(100, -3));
    }
}
