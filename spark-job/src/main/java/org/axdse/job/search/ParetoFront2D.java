package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

import org.axdse.kernel.InvalidInputException;

/**
 * The accuracy/energy Pareto front of a set of points, accuracy maximised and relative energy minimised: the
 * one definition the search job, the strategies and the benchmarks share. Immutable: the points' figures are
 * read once, when the front is built.
 *
 * <p><b>The rule.</b>
 * <ul>
 *   <li><i>Order of values.</i> Values compare as numbers ({@code -0.0} equals {@code 0.0}; infinities are
 *       ordinary values). NaN means unknown (a failed evaluation, a multiplier without a power figure) and is
 *       worse than every number: below every accuracy, above every energy. Two NaNs are equal.</li>
 *   <li><i>Dominance</i> ({@link #dominates}): p dominates q when p is at least as good as q in both accuracy
 *       and energy and better in one of them. So points with equal accuracy and equal energy never dominate
 *       each other, and a point with a NaN never dominates a point whose values are both known (it is worse
 *       than that point in its NaN objective). A known point dominates a point with a NaN when it is at least
 *       as good in the other objective.</li>
 *   <li><i>The front</i> ({@link #members}): the points whose accuracy and energy are both known (not NaN)
 *       that no point dominates. A point with a NaN is never on it, and adds or removes nothing (it dominates
 *       no known point). Points with equal accuracy and equal energy are all on the front or all off it.</li>
 *   <li><i>The staircase</i> ({@link #accuracyAt}): the best accuracy the front reaches at a given energy or
 *       less.</li>
 *   <li><i>The hypervolume</i> ({@link #hypervolume}): the area the front dominates inside a reference
 *       point's box; NaN points add nothing, as they are not on the front.</li>
 * </ul>
 * {@link Dominance} (NSGA-II's sorting into successive fronts) uses the same {@link #dominates}; it ranks every
 * point of a population, those with a NaN included, so its front 0 may hold a NaN point that this front
 * leaves out.
 *
 * @param <T> what a point is (a candidate, an evaluation, an {@code {accuracy, energy}} pair)
 */
public final class ParetoFront2D<T> {
    private final List<T> members;
    /** The members' positions in the input list. */
    private final int[] indices;
    /** The members' accuracies, ascending (equal only for equal points). */
    private final double[] accuracy;
    /** The members' energies, ascending (equal only for equal points). */
    private final double[] energy;

    private ParetoFront2D(List<T> members, int[] indices, double[] accuracy, double[] energy) {
        this.members = List.copyOf(members);
        this.indices = indices;
        this.accuracy = accuracy;
        this.energy = energy;
    }

    /**
     * The front of {@code points}.
     *
     * @param points   the points, in any order (the order only decides the order of equal members)
     * @param accuracy a point's accuracy (maximised; NaN = unknown)
     * @param energy   a point's relative energy (minimised; NaN = unknown)
     * @param <T>      what a point is
     * @return the front
     */
    public static <T> ParetoFront2D<T> of(List<? extends T> points, ToDoubleFunction<? super T> accuracy,
                                          ToDoubleFunction<? super T> energy) {
        int n = points.size();
        double[] a = new double[n];
        double[] e = new double[n];
        List<Integer> known = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            T p = points.get(i);
            a[i] = accuracy.applyAsDouble(p);
            e[i] = energy.applyAsDouble(p);
            if (!Double.isNaN(a[i]) && !Double.isNaN(e[i])) {
                known.add(i);
            }
        }
        // Cheapest first; within one energy the most accurate first, then input order.
        known.sort(Comparator.<Integer>comparingDouble(i -> plusZero(e[i])).thenComparingDouble(i -> -plusZero(a[i]))
                .thenComparingInt(i -> i));
        List<T> members = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        // Sweep the energies upwards: the most accurate points of one energy are on the front exactly when they
        // beat every cheaper point (an equally accurate cheaper point dominates them).
        double bestCheaper = Double.NEGATIVE_INFINITY;
        boolean anyCheaper = false;
        for (int g = 0; g < known.size(); ) {
            int end = g;
            while (end < known.size() && e[known.get(end)] == e[known.get(g)]) {
                end++;
            }
            double top = a[known.get(g)];
            if (!anyCheaper || top > bestCheaper) {
                for (int k = g; k < end && a[known.get(k)] == top; k++) {
                    members.add(points.get(known.get(k)));
                    at.add(known.get(k));
                }
                bestCheaper = top;
                anyCheaper = true;
            }
            g = end;
        }
        int[] indices = at.stream().mapToInt(Integer::intValue).toArray();
        return new ParetoFront2D<>(members, indices, Arrays.stream(indices).mapToDouble(i -> a[i]).toArray(),
                Arrays.stream(indices).mapToDouble(i -> e[i]).toArray());
    }

    /**
     * The front of {@code {accuracy, relativeEnergy}} pairs; its members are the given arrays (not copied).
     *
     * @param pairs {accuracy, relativeEnergy} pairs
     * @return the front
     * @throws InvalidInputException when an entry is not a pair
     */
    public static ParetoFront2D<double[]> ofPairs(List<double[]> pairs) {
        for (int i = 0; i < pairs.size(); i++) {
            double[] p = pairs.get(i);
            if (p == null || p.length != 2) {
                throw new InvalidInputException("pareto front point " + i + ": expected {accuracy, relativeEnergy}, got "
                        + (p == null ? "null" : p.length + " values"));
            }
        }
        return of(pairs, p -> p[0], p -> p[1]);
    }

    /**
     * The dominance rule (see the class documentation): {@code a} dominates {@code b} when it is at least as good
     * in accuracy (higher) and energy (lower) and better in one; NaN is worse than every number, equal to NaN.
     *
     * @param accuracyA accuracy of a
     * @param energyA   relative energy of a
     * @param accuracyB accuracy of b
     * @param energyB   relative energy of b
     * @return whether a dominates b
     */
    public static boolean dominates(double accuracyA, double energyA, double accuracyB, double energyB) {
        int acc = higher(accuracyA, accuracyB);
        int en = higher(-energyA, -energyB);
        return acc >= 0 && en >= 0 && (acc > 0 || en > 0);
    }

    /** @return 1 when x is higher than y, -1 when lower, 0 when equal; NaN is lower than every number, equal to NaN */
    private static int higher(double x, double y) {
        if (Double.isNaN(x) || Double.isNaN(y)) {
            return Double.isNaN(x) == Double.isNaN(y) ? 0 : Double.isNaN(x) ? -1 : 1;
        }
        return x > y ? 1 : x < y ? -1 : 0;
    }

    /** @return v with -0.0 read as 0.0, so sorting agrees with numeric equality */
    private static double plusZero(double v) {
        return v == 0 ? 0.0 : v;
    }

    /**
     * @return the front's points in ascending energy (so ascending accuracy too); equal points in input order
     */
    public List<T> members() {
        return members;
    }

    /** @return the members' positions in the list the front was built from, in the order of {@link #members} */
    public int[] indices() {
        return indices.clone();
    }

    /** @return how many points are on the front */
    public int size() {
        return members.size();
    }

    /** @return whether no point is on the front */
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * The staircase: the best accuracy of a front member with energy {@code energy} or less.
     *
     * @param energy a relative energy
     * @return that accuracy; -infinity when no member is that cheap (and for an empty front); NaN for a NaN energy
     */
    public double accuracyAt(double energy) {
        if (Double.isNaN(energy)) {
            return Double.NaN;
        }
        // The last member at or below the energy (members ascend in energy and accuracy).
        int lo = 0;
        int hi = this.energy.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (this.energy[mid] <= energy) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? Double.NEGATIVE_INFINITY : accuracy[lo - 1];
    }

    /**
     * The area of {(acc, e) : referenceAccuracy &lt;= acc &lt;= a_p and e_p &lt;= e &lt;= referenceEnergy for some
     * member p}: how close and how wide the front is, bounded by the reference point. Members with accuracy at
     * or below the reference accuracy, or with energy at or above the reference energy, add nothing; so do
     * the points with a NaN and the dominated ones. An infinite member value gives an infinite area.
     *
     * @param referenceAccuracy the worst accuracy counted
     * @param referenceEnergy   the worst energy counted
     * @return the area, 0 when no member lies inside the reference box
     * @throws InvalidInputException when a reference value is not finite
     */
    public double hypervolume(double referenceAccuracy, double referenceEnergy) {
        if (!Double.isFinite(referenceAccuracy) || !Double.isFinite(referenceEnergy)) {
            throw new InvalidInputException("hypervolume reference: expected finite accuracy and energy, got ("
                    + referenceAccuracy + ", " + referenceEnergy + ")");
        }
        // From the most accurate member down: each adds the strip between its energy and the next more accurate
        // member's (the reference energy for the first), as high as its accuracy above the reference.
        double area = 0;
        double upper = referenceEnergy;
        for (int i = accuracy.length - 1; i >= 0; i--) {
            if (accuracy[i] > referenceAccuracy && energy[i] < upper) {
                area += (accuracy[i] - referenceAccuracy) * (upper - energy[i]);
                upper = energy[i];
            }
        }
        return area;
    }

    /**
     * @param reference         the front to compare with (e.g. the exhaustive search's)
     * @param referenceAccuracy the worst accuracy counted
     * @param referenceEnergy   the worst energy counted
     * @return this front's hypervolume over the reference front's; NaN when the reference front's is 0
     * @throws InvalidInputException when a reference value is not finite
     */
    public double hypervolumeRatio(ParetoFront2D<?> reference, double referenceAccuracy, double referenceEnergy) {
        double whole = reference.hypervolume(referenceAccuracy, referenceEnergy);
        double part = hypervolume(referenceAccuracy, referenceEnergy);
        return whole == 0 ? Double.NaN : part / whole;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("ParetoFront2D[");
        for (int i = 0; i < accuracy.length; i++) {
            s.append(i == 0 ? "" : ", ").append('(').append(accuracy[i]).append(", ").append(energy[i]).append(')');
        }
        return s.append(']').toString();
    }
}
