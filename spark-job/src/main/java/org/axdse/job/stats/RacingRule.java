package org.axdse.job.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.axdse.kernel.InvalidInputException;

/**
 * The racing rule: which candidates of a race can stop being evaluated because another candidate that is no more
 * expensive is, with statistical confidence, more accurate on the images seen so far.
 *
 * <p>A race evaluates candidates on the test images in rounds (e.g. 4 rounds of 125 images, the same images in
 * the same order for every candidate) and calls {@link #dropped} after each round with one {@link Entry} per
 * candidate: its relative energy (known before any image; NaN when unknown) and its per-image results so far
 * ({@link CorrectBits}), dropped candidates included with the images they had. An entry B is dropped when
 * <ul>
 * <li>B is not {@linkplain Entry#protectedFromDrop() protected} and its energy is known (not NaN), and</li>
 * <li>the entries A with known {@code energy_A <= energy_B} are better than B with exact one-sided McNemar
 * p-values {@code P(X >= onlyA), X ~ Bin(onlyA + onlyB, 1/2)} ({@link Intervals#mcNemarOneSided}) small enough on
 * their common images, the first {@code min(images_A, images_B)}; {@code onlyA} counts the common images A got
 * right and B wrong, {@code onlyB} the reverse,</li>
 * </ul>
 * where "small enough" is Simes' test over B's {@code m_B} comparisons (the entries with known energy
 * {@code <= energy_B} other than B) at level {@code (1 - confidence) / rounds}: B is dropped when the i-th smallest
 * of those p-values is at most {@code i (1 - confidence) / (rounds m_B)} for some i. Its first step is Bonferroni's
 * {@code (1 - confidence) / (rounds m_B)}; the later ones let many moderately better cheaper candidates together
 * drop B. If B is truly on the accuracy/energy front, every such A has a true accuracy at most B's, Simes' test
 * wrongly rejects with probability at most its level when the p-values are positively dependent (PRDS; here they
 * all share B's own results, which makes them so), and Bonferroni over the {@code rounds} calls bounds the
 * probability that B is ever wrongly dropped during the race by {@code 1 - confidence}, whatever the other
 * candidates do (images are assumed an exchangeable sample, i.e. in a random order). Entries with NaN energy are
 * never dropped and never drop others; a dropped or protected A may still drop B (the drops of one call are
 * decided together, not one after the other).
 *
 * <p><b>A-priori references.</b> When some entries are {@linkplain Entry#reference() references} (chosen before
 * any image was seen: the exact baseline and the uniform assignments), B's comparisons form two families, each
 * with half of the error budget, each tested with Simes at {@code (1 - confidence) / (2 rounds)}: the comparisons
 * with the {@code r_B} references cheaper than or as cheap as B, and all {@code m_B} comparisons. The union bound
 * still gives at most {@code 1 - confidence} per candidate, and the many candidates that a cheaper uniform
 * assignment beats clearly are dropped with far fewer images, as {@code r_B} is a handful where {@code m_B} may be
 * thousands.
 *
 * <p>Cost: the entries are sorted by energy once; a pair is skipped in constant time when A's lead over B on
 * the common images (from per-word prefix counts) is too small to ever reach the family's level, else the
 * discordant count comes from {@link Long#bitCount} over the words; B's search stops at the first p-value below
 * Simes' first step; p-values are computed once per (discordant, onlyA) pair per call. 8,000 entries of 500 images take a fraction of a
 * second on one core.
 */
public final class RacingRule {
    private RacingRule() {
    }

    /**
     * One candidate of a race as the rule sees it.
     *
     * @param energy            the candidate's relative energy (lower is better); NaN when unknown
     * @param bits              its per-image results, bit i for image i ({@link CorrectBits}); bits at or beyond
     *                          {@code images} are ignored. Compared by reference in {@code equals}, like any
     *                          array component of a record.
     * @param images            the images it has been evaluated on (the first {@code images} of the race's order),
     *                          {@code <= 64 * bits.length}
     * @param protectedFromDrop true to keep it whatever its results (e.g. a baseline the caller wants evaluated in
     *                          full)
     * @param reference         an a-priori reference: chosen before any image was seen (the exact baseline, the
     *                          uniform assignments), so comparisons with it get their own share of the error budget
     */
    public record Entry(double energy, long[] bits, int images, boolean protectedFromDrop, boolean reference) {
        /**
         * An entry that is not an a-priori reference.
         *
         * @param energy            relative energy, NaN when unknown
         * @param bits              per-image results
         * @param images            images evaluated
         * @param protectedFromDrop never drop it
         */
        public Entry(double energy, long[] bits, int images, boolean protectedFromDrop) {
            this(energy, bits, images, protectedFromDrop, false);
        }

        /**
         * Checks the bitset against the images.
         *
         * @throws InvalidInputException when bits is null, images is negative or bits is too short
         */
        public Entry {
            CorrectBits.check(bits, images, "bits");
        }
    }

    /**
     * Applies the racing rule (see the class comment) to the current state of a race.
     *
     * @param entries    one entry per candidate
     * @param confidence the confidence that a candidate on the front survives the whole race, in (0, 1), e.g. 0.95
     * @param rounds     the number of times the race calls this rule (its rounds), {@code >= 1}
     * @return the indices into entries of the entries to drop now, as a new set iterating in ascending order
     * @throws InvalidInputException when entries is or holds null, or confidence or rounds is out of range
     */
    public static Set<Integer> dropped(List<Entry> entries, double confidence, int rounds) {
        return dropped(entries, confidence, rounds, false);
    }

    /**
     * As {@link #dropped(List, double, int)}, or with {@code perComparison}, each comparison on its own at
     * {@code (1 - confidence) / rounds} (no correction over B's comparisons, no reference family): far more
     * candidates go early, and the bound holds per comparison, not per candidate (the wrong-drop rate of a front
     * candidate grows with the number of near-equal cheaper candidates; measure it for your space).
     *
     * @param entries       one entry per candidate
     * @param confidence    the confidence, in (0, 1)
     * @param rounds        the number of rounds, {@code >= 1}
     * @param perComparison test each comparison on its own instead of Simes over B's comparisons
     * @return the indices into entries of the entries to drop now, ascending
     */
    public static Set<Integer> dropped(List<Entry> entries, double confidence, int rounds, boolean perComparison) {
        if (entries == null) {
            throw new InvalidInputException("racing rule: expected a list of entries, got null");
        }
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new InvalidInputException("racing rule: expected a confidence in (0, 1), got " + confidence);
        }
        if (rounds < 1) {
            throw new InvalidInputException("racing rule: expected rounds >= 1, got " + rounds);
        }
        List<Integer> known = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e == null) {
                throw new InvalidInputException("racing rule: expected an entry at index " + i + ", got null");
            }
            if (!Double.isNaN(e.energy())) {
                known.add(i);
            }
        }
        Set<Integer> out = new LinkedHashSet<>();
        int k = known.size();
        if (k < 2) {
            return out;
        }
        known.sort((x, y) -> Double.compare(entries.get(x).energy(), entries.get(y).energy()));
        Packed packed = new Packed(entries, known);

        // last[j]: the last sorted position with the same energy as position j; m_B = last[j] (positions
        // 0..last[j] but B itself).
        int[] last = new int[k];
        for (int j = k - 1; j >= 0; j--) {
            boolean tie = j + 1 < k && entries.get(known.get(j)).energy() == entries.get(known.get(j + 1)).energy();
            last[j] = tie ? last[j + 1] : j;
        }
        double fail = 1.0 - confidence;
        // refs[j]: reference entries at sorted positions 0..last[j] (B itself excluded below).
        int[] refs = new int[k];
        int seen = 0;
        for (int j = 0; j < k; j++) {
            if (entries.get(known.get(j)).reference()) {
                seen++;
            }
            refs[j] = seen;
        }
        PValues pValues = new PValues(packed.maxImages);
        boolean[] drop = new boolean[entries.size()];
        double[] pAll = new double[k];
        double[] pRef = new double[k];
        for (int j = 0; j < k; j++) {
            Entry b = entries.get(known.get(j));
            int m = perComparison ? Math.min(1, last[j]) : last[j];
            if (b.protectedFromDrop() || m == 0 || b.images() == 0) {
                continue;
            }
            // Two families of comparisons when there are a-priori references: the comparisons with the references
            // get half of this round's error budget, all comparisons the other half (a union bound over both).
            int mRef = perComparison ? 0 : refs[last[j]] - (b.reference() ? 1 : 0);
            double budgetAll = mRef == 0 ? fail / rounds : fail / (2.0 * rounds);
            double budgetRef = fail / (2.0 * rounds);
            int minLeadAll = minLead(budgetAll);
            int minLeadRef = mRef == 0 ? Integer.MAX_VALUE : minLead(budgetRef);
            int nAll = 0;
            int nRef = 0;
            boolean dropped = false;
            for (int i = 0; i <= last[j] && !dropped; i++) {
                if (i == j) {
                    continue;
                }
                boolean ref = entries.get(known.get(i)).reference();
                int common = Math.min(packed.images[i], packed.images[j]);
                int lead = packed.count(i, common) - packed.count(j, common); // onlyA - onlyB
                if (lead < Math.min(minLeadAll, ref ? minLeadRef : Integer.MAX_VALUE)) {
                    continue; // p > every threshold of both families
                }
                int onlyA = packed.onlyFirst(i, j, common);
                double p = pValues.upper(2 * onlyA - lead, onlyA);
                if (p <= budgetAll) {
                    pAll[nAll++] = p;
                    dropped = p <= budgetAll / m; // Simes' first step, which needs no sorting
                }
                if (ref && mRef > 0 && p <= budgetRef) {
                    pRef[nRef++] = p;
                    dropped |= p <= budgetRef / mRef;
                }
            }
            if (dropped || simes(pAll, nAll, m, budgetAll) || (mRef > 0 && simes(pRef, nRef, mRef, budgetRef))) {
                drop[known.get(j)] = true;
            }
        }
        for (int i = 0; i < drop.length; i++) {
            if (drop[i]) {
                out.add(i);
            }
        }
        return out;
    }

    /**
     * Simes' test of "no comparison is significant" at level {@code budget}: the {@code n} p-values given are those
     * at most {@code budget} of {@code family} comparisons (the others, larger, cannot change the outcome); it
     * rejects when the i-th smallest is at most {@code i * budget / family} for some i.
     */
    private static boolean simes(double[] p, int n, int family, double budget) {
        Arrays.sort(p, 0, n);
        for (int i = 0; i < n; i++) {
            if (p[i] <= (i + 1) * budget / family) {
                return true;
            }
        }
        return false;
    }

    /**
     * The smallest lead {@code onlyA - onlyB} that can reach alpha: at a fixed lead d the p-value grows with the
     * discordant count, so it is smallest when {@code onlyB = 0}, where it is {@code 2^-d}; a lead with
     * {@code 2^-d > alpha} can never be significant. One less than the exact bound, so rounding in the logarithm
     * never skips a significant pair.
     */
    private static int minLead(double alpha) {
        return Math.max(1, (int) Math.ceil(-Math.log(alpha) / Math.log(2.0)) - 1);
    }

    /** The entries with known energy, in energy order, with their words in one array and per-word prefix counts. */
    private static final class Packed {
        final int[] images;
        final int[] offset;
        final long[] words;
        final int[] prefix; // prefix[offset[i] + w + i]: correct images in entry i's first w words
        final int maxImages;

        Packed(List<Entry> entries, List<Integer> order) {
            int k = order.size();
            images = new int[k];
            offset = new int[k + 1];
            int max = 0;
            for (int j = 0; j < k; j++) {
                images[j] = entries.get(order.get(j)).images();
                offset[j + 1] = offset[j] + CorrectBits.words(images[j]);
                max = Math.max(max, images[j]);
            }
            maxImages = max;
            words = new long[offset[k]];
            prefix = new int[offset[k] + k];
            for (int j = 0; j < k; j++) {
                int n = offset[j + 1] - offset[j];
                System.arraycopy(entries.get(order.get(j)).bits(), 0, words, offset[j], n);
                int base = offset[j] + j;
                for (int w = 0; w < n; w++) {
                    prefix[base + w + 1] = prefix[base + w] + Long.bitCount(words[offset[j] + w]);
                }
            }
        }

        /** Correct images of entry j among its first {@code n <= images[j]}. */
        int count(int j, int n) {
            int full = n >>> 6;
            int c = prefix[offset[j] + j + full];
            if ((n & 63) != 0) {
                c += Long.bitCount(words[offset[j] + full] & CorrectBits.mask(n & 63));
            }
            return c;
        }

        /** Images among the first n that entry a got right and entry b wrong. */
        int onlyFirst(int a, int b, int n) {
            int full = n >>> 6;
            int oa = offset[a];
            int ob = offset[b];
            int c = 0;
            for (int w = 0; w < full; w++) {
                c += Long.bitCount(words[oa + w] & ~words[ob + w]);
            }
            if ((n & 63) != 0) {
                c += Long.bitCount(words[oa + full] & ~words[ob + full] & CorrectBits.mask(n & 63));
            }
            return c;
        }
    }

    /**
     * Critical values of the one-sided exact McNemar test for every number s of discordant images up to the
     * largest entry: {@code low[s]}, the smallest {@code onlyA > s/2} whose p-value is at most the largest alpha of
     * this call ({@code s + 1} if none), and {@code high[s]}, the same for the smallest alpha. Below {@code low[s]}
     * no entry's test can reject, from {@code high[s]} on every entry's does; in between the p-values are computed
     * once each and kept.
     */
    /** Exact one-sided McNemar p-values {@code P(X >= onlyA), X ~ Bin(s, 1/2)}, computed once per (s, onlyA). */
    private static final class PValues {
        private final double[][] rows;

        PValues(int maxS) {
            rows = new double[maxS + 1][];
        }

        double upper(int s, int onlyA) {
            double[] row = rows[s];
            if (row == null) {
                row = new double[s + 1];
                Arrays.fill(row, Double.NaN);
                rows[s] = row;
            }
            if (Double.isNaN(row[onlyA])) {
                row[onlyA] = Binomial.upperTail(onlyA, s, 0.5);
            }
            return row[onlyA];
        }
    }
}
