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
 * <li>some other entry A with known {@code energy_A <= energy_B} is better than B with an exact one-sided McNemar
 * p-value {@code P(X >= onlyA), X ~ Bin(onlyA + onlyB, 1/2)} ({@link Intervals#mcNemarOneSided}) at most
 * {@code alpha_B} on their common images, the first {@code min(images_A, images_B)}; {@code onlyA} counts the
 * common images A got right and B wrong, {@code onlyB} the reverse.</li>
 * </ul>
 * with {@code alpha_B = (1 - confidence) / (rounds * m_B)}, {@code m_B} the number of entries with known energy
 * {@code <= energy_B} other than B. This is Bonferroni's correction over the {@code rounds} calls of a race and over
 * B's {@code m_B} comparisons per call: if B is truly on the accuracy/energy front, every such A has a true
 * accuracy at most B's, each comparison wrongly rejects with probability at most {@code alpha_B}, and so the
 * probability that B is ever wrongly dropped during the race is at most {@code 1 - confidence}, whatever the other
 * candidates do (images are assumed an exchangeable sample, i.e. in a random order). Entries with NaN energy are
 * never dropped and never drop others; a dropped or protected A may still drop B (the drops of one call are
 * decided together, not one after the other).
 *
 * <p><b>A-priori references.</b> When some entries are {@linkplain Entry#reference() references} (chosen before
 * any image was seen: the exact baseline and the uniform assignments), B's comparisons form two families, each
 * with half of the error budget: the comparisons with the {@code r_B} references cheaper than or as cheap as B at
 * {@code (1 - confidence) / (2 rounds r_B)} each, and all {@code m_B} comparisons at
 * {@code (1 - confidence) / (2 rounds m_B)} each (a reference A is tested at the larger of the two). The union bound
 * still gives at most {@code 1 - confidence} per candidate, and the many candidates that a cheaper uniform
 * assignment beats clearly are dropped with far fewer images, as {@code r_B} is a handful where {@code m_B} may be
 * thousands.
 *
 * <p>Cost: the entries are sorted by energy once; a pair is skipped in constant time when A's lead over B on
 * the common images (from per-word prefix counts) is too small to ever reach {@code alpha_B}, else the discordant
 * count comes from {@link Long#bitCount} over the words; B's search stops at the first A that drops it; the
 * critical values of the exact test are tabulated once per call. 8,000 entries of 500 images take a fraction of a
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
        double alphaMax = fail / ((double) rounds * 1);
        double alphaMin = fail / (2.0 * rounds * (k - 1));
        CriticalValues crit = new CriticalValues(packed.maxImages, alphaMin, alphaMax);

        boolean[] drop = new boolean[entries.size()];
        for (int j = 0; j < k; j++) {
            Entry b = entries.get(known.get(j));
            int m = last[j];
            if (b.protectedFromDrop() || m == 0 || b.images() == 0) {
                continue;
            }
            // Two families of comparisons when there are a-priori references: those with the references share half
            // of the error budget, all comparisons share the other half (a union bound over both).
            int mRef = refs[last[j]] - (b.reference() ? 1 : 0);
            double alphaAll = mRef == 0 ? fail / ((double) rounds * m) : fail / (2.0 * rounds * m);
            double alphaRef = mRef == 0 ? alphaAll : Math.max(alphaAll, fail / (2.0 * rounds * mRef));
            int minLeadAll = minLead(alphaAll);
            int minLeadRef = minLead(alphaRef);
            for (int i = 0; i <= last[j]; i++) {
                if (i == j) {
                    continue;
                }
                boolean ref = entries.get(known.get(i)).reference();
                double alpha = ref ? alphaRef : alphaAll;
                int common = Math.min(packed.images[i], packed.images[j]);
                int lead = packed.count(i, common) - packed.count(j, common); // onlyA - onlyB
                if (lead < (ref ? minLeadRef : minLeadAll)) {
                    continue;
                }
                int onlyA = packed.onlyFirst(i, j, common);
                if (crit.significant(2 * onlyA - lead, onlyA, alpha)) {
                    drop[known.get(j)] = true;
                    break;
                }
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
    private static final class CriticalValues {
        final int[] low;
        final int[] high;
        final double[][] between;

        CriticalValues(int maxS, double alphaMin, double alphaMax) {
            low = table(maxS, alphaMax);
            high = table(maxS, alphaMin);
            between = new double[maxS + 1][];
        }

        private static int[] table(int maxS, double alpha) {
            int[] crit = new int[maxS + 1];
            crit[0] = 1;
            for (int s = 1; s <= maxS; s++) {
                // One more discordant image moves the critical value by 0 or 1 (X_s <= X_{s+1} <= X_s + 1): it
                // stays if the p-value there is still at most alpha, else it is the next one up. At least s/2 + 1.
                int k = Math.max(crit[s - 1], s / 2 + 1);
                crit[s] = k <= s && pValue(s, k) <= alpha ? k : Math.min(k + 1, s + 1);
            }
            return crit;
        }

        private static double pValue(int s, int onlyA) {
            return Binomial.upperTail(onlyA, s, 0.5);
        }

        boolean significant(int s, int onlyA, double alpha) {
            if (onlyA < low[s]) {
                return false;
            }
            if (onlyA >= high[s]) {
                return true;
            }
            double[] row = between[s];
            if (row == null) {
                row = new double[high[s] - low[s]];
                Arrays.fill(row, Double.NaN);
                between[s] = row;
            }
            int at = onlyA - low[s];
            if (Double.isNaN(row[at])) {
                row[at] = pValue(s, onlyA);
            }
            return row[at] <= alpha;
        }
    }
}
