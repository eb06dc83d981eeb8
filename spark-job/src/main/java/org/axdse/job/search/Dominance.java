package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto utilities over objective vectors that are all minimised: {@code points[i]} holds the objectives of
 * point {@code i}. NaN counts as +infinity (the worst value), so a point whose evaluation failed never
 * dominates a real one.
 */
public final class Dominance {
    private Dominance() {
    }

    /**
     * Fast non-dominated sorting (Deb et al., 2002). Point p dominates q when p is no worse in every objective
     * and better in at least one; identical points do not dominate each other and share a front.
     *
     * @param points objective vectors, all of the same length
     * @return the fronts, best first (front 0 is the non-dominated set); indices ascending within a front
     * @throws IllegalArgumentException when the vectors differ in length
     */
    public static List<int[]> fronts(double[][] points) {
        double[][] v = clean(points);
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
     * @param points objective vectors, all of the same length
     * @return the front index of each point (0 = non-dominated)
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
     * @param points  objective vectors, all of the same length
     * @param members indices into {@code points} of the front's members
     * @return the distance of each member, aligned with {@code members}
     * @throws IllegalArgumentException when the vectors differ in length or a member index is out of range
     */
    public static double[] crowding(double[][] points, int[] members) {
        double[][] v = clean(points);
        int k = members.length;
        for (int m : members) {
            if (m < 0 || m >= v.length) {
                throw new IllegalArgumentException("crowding: member index expected in [0, " + v.length + "), got " + m);
            }
        }
        double[] d = new double[k];
        if (k == 0) {
            return d;
        }
        int objectives = v[members[0]].length;
        Integer[] order = new Integer[k];
        for (int o = 0; o < objectives; o++) {
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
        boolean aBetter = false;
        boolean bBetter = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] < b[i]) {
                aBetter = true;
            } else if (b[i] < a[i]) {
                bBetter = true;
            }
        }
        return aBetter == bBetter ? 0 : aBetter ? -1 : 1;
    }

    /** Copies with NaN replaced by +infinity, checking that every vector has the same length. */
    private static double[][] clean(double[][] points) {
        double[][] v = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != points[0].length) {
                throw new IllegalArgumentException("point " + i + ": expected " + points[0].length + " objectives (as point 0),"
                        + " got " + points[i].length);
            }
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
