package org.axdse.kernel.lut.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every family: exact where it removes nothing, error and cost monotone in its parameter, hand-worked values. */
class GeneratorsTest {
    @Test
    void exactArrayCountsTheTextbookCells() {
        // An 8x8 array multiplier: 64 AND gates, n(n-2) = 48 full adders and n = 8 half adders.
        assertEquals(new Cells(64, 0, 0, 8, 48, 0), CostModel.EXACT_ARRAY);
        assertEquals(1.0, CostModel.relativePower(PartialProductArray.exact(Signedness.UNSIGNED).cells()), 1e-12);
        assertEquals(1.0, CostModel.relativeArea(PartialProductArray.exact(Signedness.UNSIGNED).cells()), 1e-12);
    }

    @ParameterizedTest
    @EnumSource(Signedness.class)
    void everyFamilyIsExactWhereItRemovesNothing(Signedness s) {
        List<MultiplierDesign> exact = List.of(PartialProductArray.exact(s), PartialProductArray.truncated(s, 0, false),
                PartialProductArray.truncated(s, 0, true), PartialProductArray.brokenArray(s, 0, 0),
                PartialProductArray.perforated(s, 3, 0), new OperandTruncation(s, 0, 0, true), new Drum(s, 8),
                new IterativeLog(s, 8), new Kulkarni(s, 0));
        for (MultiplierDesign d : exact) {
            assertTrue(d.table().isExact(), d.name());
        }
    }

    @ParameterizedTest
    @EnumSource(Signedness.class)
    void errorGrowsAndCostFallsAsEachFamilyRemovesMore(Signedness s) {
        monotone("truncated", 0, 12, k -> PartialProductArray.truncated(s, k, true));
        monotone("truncated without correction", 0, 12, k -> PartialProductArray.truncated(s, k, false));
        if (s == Signedness.UNSIGNED) {
            // Signed rows hold a negative-weight bit (i = 7) whose removal partly cancels the others'
            // error, so the signed error is not monotone in hbl (e.g. hbl 0 -> 1 at vbl 6 lowers MAE).
            monotone("broken-array hbl", 0, 6, h -> PartialProductArray.brokenArray(s, h, 6));
        }
        monotone("broken-array vbl", 0, 12, v -> PartialProductArray.brokenArray(s, 1, v));
        monotone("perforated", 0, 6, n -> PartialProductArray.perforated(s, 1, n));
        monotone("operand truncation", 0, 6, k -> new OperandTruncation(s, k, k, false));
        // DRUM from k = 7 (k = 8 is the plain array; at k = 7 the detectors and shifters cost more than they save).
        monotone("DRUM", 1, 5, i -> new Drum(s, 8 - i));
        monotone("Mitchell", 0, 5, i -> new Mitchell(s, 7 - i));
        monotone("iterative-log", 0, 6, i -> new IterativeLog(s, 7 - i));
        monotone("Kulkarni", 0, 7, k -> new Kulkarni(s, k));
    }

    /** MAE non-decreasing and relative power non-increasing as the parameter index grows. */
    private static void monotone(String family, int from, int to, IntFunction<MultiplierDesign> design) {
        double lastMae = -1;
        double lastPower = Double.POSITIVE_INFINITY;
        for (int p = from; p <= to; p++) {
            MultiplierDesign d = design.apply(p);
            double mae = ErrorMetrics.of(d.table()).mae();
            double power = CostModel.relativePower(d.cells());
            assertTrue(mae >= lastMae, family + " " + d.parameters() + ": MAE " + mae + " < " + lastMae);
            assertTrue(power <= lastPower + 1e-12, family + " " + d.parameters() + ": power " + power + " > " + lastPower);
            lastMae = mae;
            lastPower = power;
        }
        assertTrue(lastMae > 0, family + " must be approximate at its coarsest");
    }

    @Test
    void handWorkedValues() {
        Signedness u = Signedness.UNSIGNED;
        // 15 x 15 with columns 0..3 removed: the removed bits weigh 1 + 2*2 + 3*4 + 4*8 = 49.
        assertEquals(225 - 49, PartialProductArray.truncated(u, 4, false).multiply(15, 15));
        // ... with correction: removed expectation (1 + 4 + 12 + 32 + ...)/4 over all bits of columns 0..3:
        // columns 0..3 hold 1, 2, 3, 4 bits: (1 + 2*2 + 3*4 + 4*8) / 4 = 12.25 -> 12.
        assertEquals(225 - 49 + 12, PartialProductArray.truncated(u, 4, true).multiply(15, 15));
        // Broken array, hbl = 1: the first partial-product row (weight bit 0) is gone: 255 x 1 = 0, 7 x 3 = 14.
        assertEquals(0, PartialProductArray.brokenArray(u, 1, 0).multiply(255, 1));
        assertEquals(14, PartialProductArray.brokenArray(u, 1, 0).multiply(7, 3));
        // Perforation of row 1: 10 x 3 = 10 x 1.
        assertEquals(10, PartialProductArray.perforated(u, 1, 1).multiply(10, 3));
        // Operand truncation, 1 bit, half mode: 4 -> 5, 5 -> 5.
        assertEquals(25, new OperandTruncation(u, 1, 1, true).multiply(4, 4));
        assertEquals(16, new OperandTruncation(u, 1, 1, false).multiply(5, 5));
        // DRUM k=4: 200 = 1100_1000b -> 1101b << 4, 100 = 110_0100b -> 1101b << 3: 13 * 13 << 7.
        assertEquals(169 << 7, new Drum(u, 4).multiply(200, 100));
        assertEquals(15 * 9, new Drum(u, 4).multiply(15, 9), "operands of k bits are exact");
        // Mitchell: 3 x 3 = 8 (log sum 1.5 + 1.5 -> 2^3 * 1); 255 x 255 with all fraction bits.
        assertEquals(8, new Mitchell(u, 7).multiply(3, 3));
        assertEquals(64, new Mitchell(u, 7).multiply(8, 8));
        // Iterative log: one iteration 3 x 3 = 4 + 2 + 2 = 8; two iterations add 1 x 1 = 1.
        assertEquals(8, new IterativeLog(u, 1).multiply(3, 3));
        assertEquals(9, new IterativeLog(u, 2).multiply(3, 3));
        // Kulkarni: the approximate 2x2 block gives 3 x 3 = 7; 15 x 3 = 7 + (3 x 3 << 2) = 43 with one diagonal.
        assertEquals(7, new Kulkarni(u, 1).multiply(3, 3));
        assertEquals(43, new Kulkarni(u, 1).multiply(15, 3));
        assertEquals(36, new Kulkarni(u, 1).multiply(12, 3), "blocks without 3 x 3 digits are exact");
    }

    @Test
    void signedDesignsHandleNegativeOperands() {
        Signedness s = Signedness.SIGNED;
        // Two's complement truncation of one column: -1 x -1 = 1 loses its only bit of column 0.
        assertEquals(0, PartialProductArray.truncated(s, 1, false).multiply(-1, -1));
        assertEquals(-128 * 127, PartialProductArray.exact(s).multiply(-128, 127));
        // Sign-magnitude designs: sign(a) sign(w) core(|a|, |w|).
        // 100 = 110_0100b -> 1101b << 3 on both sides: -(13 * 13 << 6).
        assertEquals(-(169 << 6), new Drum(s, 4).multiply(-100, 100));
        assertEquals(-new Drum(Signedness.UNSIGNED, 4).multiply(128, 100), new Drum(s, 4).multiply(-128, 100));
        assertEquals(new Mitchell(Signedness.UNSIGNED, 7).multiply(3, 3), new Mitchell(s, 7).multiply(-3, -3));
        assertEquals(-7, new Kulkarni(s, 1).multiply(3, -3));
        // Operand truncation floors negative operands: -1 -> -2 with one bit dropped.
        assertEquals(4, new OperandTruncation(s, 1, 1, false).multiply(-1, -1));
    }

    @Test
    void invalidParametersAreRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Drum(Signedness.UNSIGNED, 1));
        assertEquals("DRUM k: expected 2..8, got 1", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> PartialProductArray.perforated(Signedness.UNSIGNED, 6, 3));
        assertEquals("perforated count: expected 0..2, got 3", e.getMessage());
    }

    @Test
    void theShippedDesignsAreDistinctAndSpanTheRange() {
        List<MultiplierDesign> designs = GeneratedLibrary.designs();
        assertTrue(designs.size() >= 30 && designs.size() <= 60, "size " + designs.size());
        Set<String> names = new HashSet<>();
        Set<String> contents = new HashSet<>();
        Set<String> families = new HashSet<>();
        for (MultiplierDesign d : designs) {
            MultiplierTable t = d.table();
            assertTrue(names.add(d.name()), "duplicate name " + d.name());
            assertTrue(contents.add(t.signedness() + t.contentSha256()), "duplicate table " + d.name());
            families.add(d.family() + "/" + d.signedness());
        }
        assertTrue(families.size() >= 2 * 8, families.toString());
    }
}
