package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Non-dominated sorting and crowding distance on small, hand-worked sets (both objectives minimised). */
class DominanceTest {
    static final double INF = Double.POSITIVE_INFINITY;

    /*
     * 0 (1,5)   1 (2,3)   2 (4,1)   3 (2,3) = 1   4 (3,4)   5 (NaN,2) = (inf,2)   6 (5,5)
     *
     * Front 0: 0, 1, 2, 3 (nobody is <= them in both objectives with one strict; 1 and 3 are equal and so do
     *          not dominate each other).
     * Front 1: 4 (dominated by 1 and 3), 5 (its NaN is worst; dominated by 2 only: 4 <= inf, 1 < 2).
     * Front 2: 6 (dominated by 0, 1, 2, 3 and 4; not by 5, which is worse in objective 0).
     */
    static final double[][] POINTS = {{1, 5}, {2, 3}, {4, 1}, {2, 3}, {3, 4}, {Double.NaN, 2}, {5, 5}};

    @Test
    void frontsFollowDominanceWithDuplicatesTogetherAndNaNWorst() {
        List<int[]> fronts = Dominance.fronts(POINTS);
        assertEquals(3, fronts.size());
        assertArrayEquals(new int[] {0, 1, 2, 3}, fronts.get(0));
        assertArrayEquals(new int[] {4, 5}, fronts.get(1));
        assertArrayEquals(new int[] {6}, fronts.get(2));
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 2}, Dominance.ranks(POINTS));
    }

    @Test
    void frontsOfNothingAndOfOnePoint() {
        assertTrue(Dominance.fronts(new double[0][]).isEmpty());
        assertArrayEquals(new int[] {0}, Dominance.fronts(new double[][] {{Double.NaN, Double.NaN}}).get(0));
    }

    /*
     * Front 0 = {0 (1,5), 1 (2,3), 2 (4,1), 3 (2,3)}.
     * Objective 0 sorted: 0 (1), 1 (2), 3 (2), 2 (4); range 3. Ends 0 and 2 -> inf;
     *   1: (2 - 1) / 3 = 1/3;  3: (4 - 2) / 3 = 2/3.
     * Objective 1 sorted: 2 (1), 1 (3), 3 (3), 0 (5); range 4. Ends 2 and 0 -> inf;
     *   1: (3 - 1) / 4 = 1/2;  3: (5 - 3) / 4 = 1/2.
     * Totals: 0 inf, 1 5/6, 2 inf, 3 7/6 -- given in the members' order 3, 0, 2, 1.
     */
    @Test
    void crowdingOfAFrontIsAlignedWithItsMembers() {
        assertArrayEquals(new double[] {7.0 / 6, INF, INF, 5.0 / 6}, Dominance.crowding(POINTS, new int[] {3, 0, 2, 1}), 1e-12);
    }

    @Test
    void oneOrTwoMembersAreAllBoundaries() {
        assertArrayEquals(new double[] {INF, INF}, Dominance.crowding(POINTS, new int[] {4, 5}));
        assertArrayEquals(new double[] {INF}, Dominance.crowding(POINTS, new int[] {6}));
        assertArrayEquals(new double[0], Dominance.crowding(POINTS, new int[0]));
    }

    /*
     * 0 (0,3)   1 (1,2)   2 (NaN,0) = (inf,0)   3 (2,1): one front.
     * Objective 0 sorted: 0 (0), 1 (1), 3 (2), 2 (inf); finite range 0..2, inf clamped to 2.
     *   1: (2 - 0) / 2 = 1;  3: (2 - 1) / 2 = 1/2.
     * Objective 1 sorted: 2 (0), 3 (1), 1 (2), 0 (3); range 3.
     *   3: (2 - 0) / 3 = 2/3;  1: (3 - 1) / 3 = 2/3.
     * Totals: 0 inf, 1 5/3, 2 inf, 3 7/6.
     */
    @Test
    void aNaNSortsLastAndIsClampedSoNeighboursStayFinite() {
        double[][] p = {{0, 3}, {1, 2}, {Double.NaN, 0}, {2, 1}};
        assertArrayEquals(new int[] {0, 1, 2, 3}, Dominance.fronts(p).get(0));
        assertArrayEquals(new double[] {INF, 5.0 / 3, INF, 7.0 / 6}, Dominance.crowding(p, new int[] {0, 1, 2, 3}), 1e-12);
    }

    /* Three identical points: one front; ends by index (0 and 2) are boundaries; max == min adds nothing to 1. */
    @Test
    void identicalPointsShareAFrontAndOnlyTheEndsAreIsolated() {
        double[][] p = {{1, 1}, {1, 1}, {1, 1}};
        assertEquals(1, Dominance.fronts(p).size());
        assertArrayEquals(new double[] {INF, 0, INF}, Dominance.crowding(p, new int[] {0, 1, 2}));
    }

    @Test
    void pointsThatAreNotPairsAndBadMembersAreRefusedNamingThePoint() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Dominance.fronts(new double[][] {{1, 2}, {1}}));
        assertEquals("dominance: point 1: expected 2 objectives {-accuracy, relativeEnergy}, got 1", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Dominance.ranks(new double[][] {{1, 2, 3}}));
        assertEquals("dominance: point 0: expected 2 objectives {-accuracy, relativeEnergy}, got 3", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Dominance.crowding(POINTS, new int[] {0, 7}));
        assertEquals("crowding: member index expected in [0, 7), got 7", e.getMessage());
    }

    /** The sorting's dominance is ParetoFront2D's: on points with known values, front 0 is the 2-D front. */
    @Test
    void frontZeroOfTheKnownPointsIsTheParetoFront() {
        Random rng = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = rng.nextInt(12);
            List<double[]> pairs = new ArrayList<>();
            double[][] minimised = new double[n][];
            for (int i = 0; i < n; i++) {
                double a = rng.nextInt(8) == 0 ? Double.NaN : rng.nextInt(5);
                double en = rng.nextInt(8) == 0 ? Double.NaN : rng.nextInt(5);
                pairs.add(new double[] {a, en});
                minimised[i] = new double[] {-a, en};
            }
            int[] ranks = Dominance.ranks(minimised);
            Set<Integer> rankZeroKnown = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                if (ranks[i] == 0 && !Double.isNaN(pairs.get(i)[0]) && !Double.isNaN(pairs.get(i)[1])) {
                    rankZeroKnown.add(i);
                }
            }
            Set<Integer> front = new TreeSet<>();
            for (int i : ParetoFront2D.ofPairs(pairs).indices()) {
                front.add(i);
            }
            assertEquals(front, rankZeroKnown, "trial " + trial);
        }
    }
}
