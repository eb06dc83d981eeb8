package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.axdse.kernel.InvalidInputException;

/**
 * NSGA-II's non-dominated sorting and crowding distance over objective pairs, both minimised:
 * {@code points[i] = {-accuracy, relativeEnergy}} of point {@code i}. Whether one point dominates another is
 * {@link ParetoFront2D#dominates} on (accuracy, energy), the project's one rule: NaN is worse than every number
 * and equal to NaN, so a point whose evaluation failed never dominates one with known values, and equal points
 * never dominate each other. Unlike {@link ParetoFront2D}, which leaves points with a NaN off the front, the
 * sorting ranks every point, NaN ones included: each individual of a population needs a rank.
 */
public final class Dominance {
    private Dominance() {
    }

    /**
     * Fast non-dominated sorting (Deb et al., 2002). Point p dominates q when p is no worse in both objectives
     * and better in at least one; identical points do not dominate each other and share a front.
     *
     * @param points {-accuracy, relativeEnergy} pairs
     * @return the fronts, best first (front 0 is the non-dominated set); indices ascending within a front
     * @throws InvalidInputException when a point is not a pair
     */
    public static List<int[]> fronts(double[][] points) {
        double[][] v = checked(points);
        int n = v.length;
        // dominates[p]: the points p dominates; count[q]: how many points dominate q.
        List<List<Integer>> dominates = new ArrayList<>(n);
        int[] count = new int[n];
        for (int p = 0; p < n; p++) {
            dominates.add(new ArrayList<>());
        }
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                int c = compare(v[p], v[q]);
                if (c < 0) {
                    dominates.get(p).add(q);
                    count[q]++;
                } else if (c > 0) {
                    dominates.get(q).add(p);
                    count[p]++;
                }
            }
        }
        List<int[]> fronts = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            if (count[p] == 0) {
                current.add(p);
            }
        }
        while (!current.isEmpty()) {
            int[] front = current.stream().mapToInt(Integer::intValue).sorted().toArray();
            fronts.add(front);
            List<Integer> next = new ArrayList<>();
            for (int p : front) {
                for (int q : dominates.get(p)) {
                    if (--count[q] == 0) {
                        next.add(q);
                    }
                }
            }
            current = next;
        }
        return fronts;
    }

    /**
     * @param points {-accuracy, relativeEnergy} pairs
     * @return the front index of each point (0 = non-dominated)
     * @throws InvalidInputException when a point is not a pair
     */
    public static int[] ranks(double[][] points) {
        int[] rank = new int[points.length];
        List<int[]> fronts = fronts(points);
        for (int f = 0; f < fronts.size(); f++) {
            for (int p : fronts.get(f)) {
                rank[p] = f;
            }
        }
        return rank;
    }

    /**
     * NSGA-II crowding distance of the members of one front. Per objective the members are sorted by value
     * (ties by point index); the first and last get +infinity and each inner member adds
     * {@code (next - prev) / (max - min)}; an objective where {@code max == min} adds nothing to inner members.
     * Infinite values (NaN included) are clamped to the members' finite extremes for the differences, so a
     * failed evaluation sorts to the end without making its neighbours' distances infinite or NaN.
     *
     * @param points  {-accuracy, relativeEnergy} pairs
     * @param members indices into {@code points} of the front's members
     * @return the distance of each member, aligned with {@code members}
     * @throws InvalidInputException when a point is not a pair or a member index is out of range
     */
    public static double[] crowding(double[][] points, int[] members) {
        double[][] v = withNaNAsInfinity(checked(points));
        int k = members.length;
        for (int m : members) {
            if (m < 0 || m >= v.length) {
                throw new InvalidInputException("crowding: member index expected in [0, " + v.length + "), got " + m);
            }
        }
        double[] d = new double[k];
        if (k == 0) {
            return d;
        }
        Integer[] order = new Integer[k];
        for (int o = 0; o < 2; o++) {
            final int obj = o;
            for (int i = 0; i < k; i++) {
                order[i] = i;
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> v[members[i]][obj]).thenComparingInt(i -> members[i]));
            d[order[0]] = Double.POSITIVE_INFINITY;
            d[order[k - 1]] = Double.POSITIVE_INFINITY;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int m : members) {
                double x = v[m][obj];
                if (Double.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            if (!(hi > lo)) { // all equal, or no finite value: the objective tells the members apart by nothing
                continue;
            }
            for (int i = 1; i < k - 1; i++) {
                double prev = Math.max(lo, Math.min(hi, v[members[order[i - 1]]][obj]));
                double next = Math.max(lo, Math.min(hi, v[members[order[i + 1]]][obj]));
                d[order[i]] += (next - prev) / (hi - lo);
            }
        }
        return d;
    }

    /** @return negative when a dominates b, positive when b dominates a, 0 otherwise */
    private static int compare(double[] a, double[] b) {
        return ParetoFront2D.dominates(-a[0], a[1], -b[0], b[1]) ? -1 : ParetoFront2D.dominates(-b[0], b[1], -a[0], a[1]) ? 1 : 0;
    }

    /** @return {@code points}, after checking that each is a pair */
    private static double[][] checked(double[][] points) {
        for (int i = 0; i < points.length; i++) {
            if (points[i] == null || points[i].length != 2) {
                throw new InvalidInputException("dominance: point " + i + ": expected 2 objectives {-accuracy, relativeEnergy}, got "
                        + (points[i] == null ? "null" : String.valueOf(points[i].length)));
            }
        }
        return points;
    }

    /** Copies with NaN replaced by +infinity (for the crowding distance, where NaN sorts last and is clamped). */
    private static double[][] withNaNAsInfinity(double[][] points) {
        double[][] v = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            v[i] = points[i].clone();
            for (int j = 0; j < v[i].length; j++) {
                if (Double.isNaN(v[i][j])) {
                    v[i][j] = Double.POSITIVE_INFINITY;
                }
            }
        }
        return v;
    }
}
