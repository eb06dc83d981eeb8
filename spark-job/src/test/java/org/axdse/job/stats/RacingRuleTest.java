package org.axdse.job.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.job.stats.RacingRule.Entry;
import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * The racing rule on small hand-built races: B is dropped when an entry A no more expensive beats it with a one-sided
 * exact McNemar p-value small enough on their common images: Simes' test over B's m_B comparisons at level
 * (1 - confidence) / rounds (its first step is Bonferroni's alpha_B = (1 - confidence) / (rounds * m_B)).
 */
class RacingRuleTest {
    /** Results right on images [from, to) of `images` images, wrong elsewhere. */
    static long[] rightOn(int images, int from, int to) {
        boolean[] correct = new boolean[images];
        Arrays.fill(correct, from, to, true);
        return CorrectBits.of(correct);
    }

    static Entry entry(double energy, long[] bits, int images) {
        return new Entry(energy, bits, images, false);
    }

    /*
     * A (energy 0.5) is right on all 200 images, B (0.8) on the first 100: onlyA = 100, onlyB = 0,
     * p = 2^-100 far below alpha_B = 0.05 / (1 * 1). B is dropped; A, cheaper, is not (B is not <= A in energy).
     */
    @Test
    void aCheaperAndClearlyMoreAccurateEntryDropsTheOther() {
        List<Entry> race = List.of(entry(0.5, rightOn(200, 0, 200), 200), entry(0.8, rightOn(200, 0, 100), 200));
        assertEquals(Set.of(1), RacingRule.dropped(race, 0.95, 1));
    }

    @Test
    void aProtectedEntryIsNeverDropped() {
        List<Entry> race = List.of(entry(0.5, rightOn(200, 0, 200), 200),
                new Entry(0.8, rightOn(200, 0, 100), 200, true));
        assertEquals(Set.of(), RacingRule.dropped(race, 0.95, 1));
    }

    /* Same energy: A right on 200, B on 150: onlyA = 50, onlyB = 0; B is dropped, A is not (onlyB <= onlyA). */
    @Test
    void equalEnergyAndSignificantlyBetterAccuracyDropsTheOther() {
        List<Entry> race = List.of(entry(0.7, rightOn(200, 50, 200), 200), entry(0.7, rightOn(200, 0, 200), 200));
        assertEquals(Set.of(0), RacingRule.dropped(race, 0.95, 4));
    }

    /*
     * Entry 1's energy is unknown: it is never dropped (though entry 0 is cheaper than anything and better), and,
     * though perfect, it never drops entry 2.
     */
    @Test
    void anEntryOfUnknownEnergyIsNeverDroppedAndNeverDrops() {
        List<Entry> race = List.of(entry(0.2, rightOn(200, 0, 150), 200), entry(Double.NaN, rightOn(200, 0, 10), 200),
                entry(0.9, rightOn(200, 0, 200), 200), entry(Double.NaN, rightOn(200, 0, 200), 200));
        assertEquals(Set.of(), RacingRule.dropped(race, 0.95, 1));
    }

    /* A cheap entry right on half the images against a dear one right on all: both are on the front. */
    @Test
    void aCheaperButWorseEntryDoesNotDropABetterDearerOne() {
        List<Entry> race = List.of(entry(0.9, rightOn(200, 0, 200), 200), entry(0.3, rightOn(200, 0, 100), 200));
        assertEquals(Set.of(), RacingRule.dropped(race, 0.95, 1));
    }

    @Test
    void identicalResultsNeverDrop() {
        long[] bits = rightOn(300, 20, 250);
        List<Entry> race = List.of(entry(0.4, bits, 300), entry(0.4, bits.clone(), 300), entry(0.6, bits, 300));
        assertEquals(Set.of(), RacingRule.dropped(race, 0.5, 1));
    }

    /*
     * The threshold, with one round (alpha_B = 0.05 / m_B): all-A discordance gives p = 2^-onlyA.
     * m_B = 1: onlyA = 5 gives 1/32 = 0.031 <= 0.05, dropped; onlyA = 4 gives 1/16 = 0.0625, kept.
     * onlyA = 10, onlyB = 2 gives 79/4096 = 0.0193: dropped at alpha 0.05, kept with 4 rounds (alpha 0.0125).
     */
    @Test
    void theExactMcNemarThresholdAtAlphaB() {
        assertEquals(Set.of(1), RacingRule.dropped(List.of(entry(0.1, rightOn(20, 0, 20), 20),
                entry(0.2, rightOn(20, 5, 20), 20)), 0.95, 1));
        assertEquals(Set.of(), RacingRule.dropped(List.of(entry(0.1, rightOn(20, 0, 20), 20),
                entry(0.2, rightOn(20, 4, 20), 20)), 0.95, 1));
        // A right on 0..9 and 12..19 plus wrong on 10, 11; B right on 10..19: onlyA = 10, onlyB = 2.
        long[] a = CorrectBits.concat(rightOn(10, 0, 10), 10, rightOn(10, 2, 10), 10);
        long[] b = rightOn(20, 10, 20);
        assertEquals(10, CorrectBits.onlyFirst(a, b, 20));
        assertEquals(2, CorrectBits.onlyFirst(b, a, 20));
        List<Entry> race = List.of(entry(0.1, a, 20), entry(0.2, b, 20));
        assertEquals(Set.of(1), RacingRule.dropped(race, 0.95, 1));
        assertEquals(Set.of(), RacingRule.dropped(race, 0.95, 4));
    }

    /*
     * Simes over B's comparisons: with two cheaper entries m_B = 2 and the other p-value 1, B needs p <= 0.025, so onlyA = 5
     * (p = 0.031) no longer drops B, while onlyA = 6 (p = 0.0156) does. Entries of equal energy count too.
     */
    @Test
    void moreComparisonsMakeEachOneStricter() {
        Entry b = entry(0.5, rightOn(20, 6, 20), 20);
        Entry five = entry(0.1, rightOn(20, 1, 20), 20); // vs b: onlyA = 5
        Entry six = entry(0.1, rightOn(20, 0, 20), 20); // vs b: onlyA = 6
        Entry useless = entry(0.5, rightOn(20, 6, 20), 20); // same energy and results as b: m_B = 2
        assertEquals(Set.of(), RacingRule.dropped(List.of(five, b, useless), 0.95, 1));
        assertEquals(Set.of(1, 2), RacingRule.dropped(List.of(six, b, useless), 0.95, 1)); // both dropped by six
        assertEquals(Set.of(1), RacingRule.dropped(List.of(five, b), 0.95, 1));
    }

    /*
     * Entries with different numbers of images compare on the first min(images_A, images_B): A has 64 images, all
     * right; B has 200, wrong on images 100..199 only. On the common 64 they agree, so B stays; a third entry with
     * 120 images, all right, sees B wrong on 20 of the common 120 and drops it.
     */
    @Test
    void entriesCompareOnTheirCommonImages() {
        Entry a = entry(0.1, rightOn(64, 0, 64), 64);
        Entry b = entry(0.5, rightOn(200, 0, 100), 200);
        assertEquals(Set.of(), RacingRule.dropped(List.of(a, b), 0.95, 4));
        Entry c = entry(0.2, rightOn(120, 0, 120), 120);
        assertEquals(Set.of(2), RacingRule.dropped(List.of(a, c, b), 0.95, 4));
    }

    @Test
    void fewerThanTwoKnownEnergiesDropNothing() {
        assertEquals(Set.of(), RacingRule.dropped(List.of(), 0.95, 1));
        assertEquals(Set.of(), RacingRule.dropped(List.of(entry(0.5, rightOn(10, 0, 0), 10)), 0.95, 1));
    }

    @Test
    void badArgumentsAreRefused() {
        List<Entry> race = List.of(entry(0.5, rightOn(10, 0, 5), 10));
        assertThrows(InvalidInputException.class, () -> RacingRule.dropped(race, 1.0, 1));
        assertThrows(InvalidInputException.class, () -> RacingRule.dropped(race, 0.95, 0));
        assertThrows(InvalidInputException.class, () -> RacingRule.dropped(null, 0.95, 1));
        List<Entry> withNull = new ArrayList<>(race);
        withNull.add(null);
        assertThrows(InvalidInputException.class, () -> RacingRule.dropped(withNull, 0.95, 1));
        assertThrows(InvalidInputException.class, () -> new Entry(0.5, new long[1], 65, false));
        assertThrows(InvalidInputException.class, () -> new Entry(0.5, null, 0, false));
    }

    /** The rule exactly as specified, pair by pair, without any of the fast path's shortcuts. */
    static Set<Integer> droppedPlainly(List<Entry> entries, double confidence, int rounds) {
        Set<Integer> out = new TreeSet<>();
        double fail = 1 - confidence;
        for (int b = 0; b < entries.size(); b++) {
            Entry eb = entries.get(b);
            if (eb.protectedFromDrop() || Double.isNaN(eb.energy())) {
                continue;
            }
            List<Double> all = new ArrayList<>();
            List<Double> refs = new ArrayList<>();
            for (int a = 0; a < entries.size(); a++) {
                Entry ea = entries.get(a);
                if (a == b || !(ea.energy() <= eb.energy())) {
                    continue;
                }
                int common = Math.min(ea.images(), eb.images());
                int onlyA = CorrectBits.onlyFirst(ea.bits(), eb.bits(), common);
                int onlyB = CorrectBits.onlyFirst(eb.bits(), ea.bits(), common);
                double p = onlyA > onlyB ? Intervals.mcNemarOneSided(onlyA, onlyB) : 1.0;
                all.add(p);
                if (ea.reference()) {
                    refs.add(p);
                }
            }
            double budgetAll = refs.isEmpty() ? fail / rounds : fail / (2.0 * rounds);
            if (simesPlainly(all, budgetAll) || (!refs.isEmpty() && simesPlainly(refs, fail / (2.0 * rounds)))) {
                out.add(b);
            }
        }
        return out;
    }

    /** Simes: some i-th smallest of the m p-values is at most i * budget / m. */
    private static boolean simesPlainly(List<Double> p, double budget) {
        List<Double> sorted = new ArrayList<>(p);
        java.util.Collections.sort(sorted);
        for (int i = 0; i < sorted.size(); i++) {
            if (sorted.get(i) <= (i + 1) * budget / sorted.size()) {
                return true;
            }
        }
        return false;
    }

    /*
     * Random small races (ties in energy, unknown energies, protected entries, entries with different numbers of
     * images, garbage bits beyond an entry's images) give the same drops as the plain pair-by-pair rule.
     */
    @Test
    void theFastRuleAgreesWithThePlainRuleOnRandomRaces() {
        Random random = new Random(11);
        int totalDropped = 0;
        for (int race = 0; race < 300; race++) {
            int n = 2 + random.nextInt(30);
            int maxImages = 1 + random.nextInt(300);
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double energy = random.nextInt(10) == 0 ? Double.NaN : random.nextInt(8) / 8.0;
                int images = random.nextInt(4) == 0 ? random.nextInt(maxImages + 1) : maxImages;
                double accuracy = random.nextDouble();
                long[] bits = new long[(maxImages + 63) / 64 + random.nextInt(2)];
                for (int w = 0; w < bits.length; w++) {
                    bits[w] = random.nextLong(); // garbage everywhere, then the real results on top
                }
                for (int image = 0; image < images; image++) {
                    long bit = 1L << (image & 63);
                    bits[image >>> 6] = random.nextDouble() < accuracy ? bits[image >>> 6] | bit : bits[image >>> 6] & ~bit;
                }
                entries.add(new Entry(energy, bits, images, random.nextInt(8) == 0));
            }
            double confidence = random.nextBoolean() ? 0.95 : 0.5 + 0.49 * random.nextDouble();
            int rounds = 1 + random.nextInt(5);
            Set<Integer> expected = droppedPlainly(entries, confidence, rounds);
            assertEquals(expected, RacingRule.dropped(entries, confidence, rounds), "race " + race);
            totalDropped += expected.size();
        }
        assertEquals(true, totalDropped > 300, "the races should exercise drops, got " + totalDropped);
    }

    @Test
    void anAPrioriReferenceGetsItsOwnShareOfTheErrorBudget() {
        // A beats B on 9 images, B beats A on 1: p = P(X >= 9 | 10, 1/2) = 11/1024 = 0.0107. Fifty cheaper fillers that
        // beat nobody make m_B = 51: 0.05 / 51 = 9.8e-4 is not reached, but A as one of r_B = 1 references is tested
        // at 0.05 / 2 = 0.025.
        long[] a = CorrectBits.of(new boolean[] {true, true, true, true, true, true, true, true, true, false, false});
        long[] b = CorrectBits.of(new boolean[] {false, false, false, false, false, false, false, false, false, true, false});
        for (boolean reference : new boolean[] {false, true}) {
            List<Entry> entries = new java.util.ArrayList<>();
            entries.add(new Entry(0.1, a, 11, true, reference));
            for (int f = 0; f < 50; f++) {
                entries.add(new Entry(0.2, new long[1], 11, true, false));
            }
            entries.add(new Entry(0.5, b, 11, false, false));
            assertEquals(reference ? Set.of(51) : Set.of(), RacingRule.dropped(entries, 0.95, 1), "reference " + reference);
        }
        assertEquals(11.0 / 1024, Intervals.mcNemarOneSided(9, 1), 1e-15);
    }
}
