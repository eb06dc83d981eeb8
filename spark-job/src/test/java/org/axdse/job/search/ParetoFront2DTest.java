package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * The accuracy (maximised) / relative energy (minimised) Pareto front: its dominance rule with ties and NaN, the
 * members, the staircase and the hypervolume; then the same against brute force on random small integer points.
 */
class ParetoFront2DTest {
    static final double NAN = Double.NaN;
    static final double INF = Double.POSITIVE_INFINITY;

    /** A named point, as callers have them (a candidate, an evaluation). */
    record P(String id, double accuracy, double energy) {
    }

    static ParetoFront2D<P> front(P... points) {
        return ParetoFront2D.of(List.of(points), P::accuracy, P::energy);
    }

    static List<String> ids(ParetoFront2D<P> f) {
        return f.members().stream().map(P::id).toList();
    }

    // ---- dominance ----

    @Test
    void aPointDominatesWhenAtLeastAsGoodInBothAndBetterInOne() {
        assertTrue(ParetoFront2D.dominates(0.9, 0.5, 0.8, 0.5), "more accurate, same energy");
        assertTrue(ParetoFront2D.dominates(0.9, 0.5, 0.9, 0.6), "same accuracy, cheaper");
        assertTrue(ParetoFront2D.dominates(0.9, 0.5, 0.8, 0.6), "better in both");
        assertFalse(ParetoFront2D.dominates(0.9, 0.5, 0.95, 0.6), "a trade-off: neither dominates");
        assertFalse(ParetoFront2D.dominates(0.95, 0.6, 0.9, 0.5));
        assertFalse(ParetoFront2D.dominates(0.8, 0.6, 0.9, 0.5), "worse in both");
    }

    @Test
    void equalPointsNeverDominateEachOtherAndMinusZeroEqualsZero() {
        assertFalse(ParetoFront2D.dominates(0.9, 0.5, 0.9, 0.5));
        assertFalse(ParetoFront2D.dominates(0.9, -0.0, 0.9, 0.0));
        assertFalse(ParetoFront2D.dominates(0.9, 0.0, 0.9, -0.0));
        assertTrue(ParetoFront2D.dominates(0.9, 0.0, 0.8, -0.0));
    }

    @Test
    void nanIsWorseThanEveryNumberAndEqualToNaN() {
        // A point with a NaN never dominates a point with known values, however good its other value is.
        assertFalse(ParetoFront2D.dominates(NAN, 0.1, 0.9, 0.5));
        assertFalse(ParetoFront2D.dominates(0.99, NAN, 0.9, 0.5));
        assertFalse(ParetoFront2D.dominates(NAN, 0.1, Double.NEGATIVE_INFINITY, 0.5), "NaN is below even -infinity");
        assertFalse(ParetoFront2D.dominates(0.99, NAN, 0.1, INF), "NaN is above even +infinity");
        // A known point dominates one with a NaN when it is at least as good in the other objective.
        assertTrue(ParetoFront2D.dominates(0.9, 0.5, NAN, 0.5));
        assertTrue(ParetoFront2D.dominates(0.9, 0.5, 0.9, NAN));
        assertTrue(ParetoFront2D.dominates(0.1, 0.9, NAN, NAN));
        assertFalse(ParetoFront2D.dominates(0.9, 0.5, NAN, 0.4), "the NaN point is cheaper");
        // NaN ties with NaN: the other objective decides.
        assertTrue(ParetoFront2D.dominates(NAN, 0.4, NAN, 0.5));
        assertFalse(ParetoFront2D.dominates(NAN, 0.5, NAN, 0.5));
        assertFalse(ParetoFront2D.dominates(NAN, NAN, NAN, NAN));
    }

    // ---- members ----

    @Test
    void equalPointsAreAllOnTheFrontInInputOrderAndDominatedOnesAreNot() {
        ParetoFront2D<P> f = front(new P("a", 0.8, 0.5), new P("b", 0.9, 0.7), new P("a2", 0.8, 0.5),
                new P("sameAccuracyDearer", 0.8, 0.6), new P("sameEnergyWorse", 0.7, 0.5), new P("b2", 0.9, 0.7),
                new P("cheap", 0.6, 0.3), new P("dominated", 0.65, 0.55));
        assertEquals(List.of("cheap", "a", "a2", "b", "b2"), ids(f), "ascending energy; equal points in input order");
        assertArrayEquals(new int[] {6, 0, 2, 1, 5}, f.indices());
        assertEquals(5, f.size());
        assertEquals(List.of("x", "y", "z"), ids(front(new P("x", 0.5, 0.5), new P("y", 0.5, 0.5), new P("z", 0.5, 0.5))),
                "identical points: all on the front");
        assertEquals(List.of("m", "z"), ids(front(new P("m", 0.5, -0.0), new P("z", 0.5, 0.0))), "-0.0 and 0.0 are equal");
    }

    @Test
    void pointsWithANaNAreNeverOnTheFrontAndChangeNothing() {
        P cheap = new P("cheap", 0.6, 0.3);
        P a = new P("a", 0.8, 0.5);
        P b = new P("b", 0.9, 0.7);
        List<String> without = ids(front(cheap, a, b));
        assertEquals(List.of("cheap", "a", "b"), without);
        // The most accurate (energy unknown), the cheapest (accuracy unknown), neither known: all left off, and
        // none of them pushes a known point off.
        ParetoFront2D<P> f = front(new P("bestAccuracy", 0.99, NAN), cheap, new P("cheapest", NAN, 0.01), a,
                new P("unknown", NAN, NAN), b, new P("sameEnergyAsA", NAN, 0.5));
        assertEquals(without, ids(f));
        assertArrayEquals(new int[] {1, 3, 5}, f.indices());
        assertTrue(front(new P("x", NAN, 0.1), new P("y", 0.5, NAN)).isEmpty(), "nothing known, no front");
    }

    @Test
    void onePointIsTheFrontAndNoPointsGiveAnEmptyOne() {
        ParetoFront2D<P> one = front(new P("only", 0.5, 0.5));
        assertEquals(List.of("only"), ids(one));
        assertEquals(0.5, one.accuracyAt(0.5));
        assertEquals(Double.NEGATIVE_INFINITY, one.accuracyAt(0.4));
        assertEquals(0.1 * 0.5, one.hypervolume(0.4, 1.0), 1e-15);

        ParetoFront2D<P> none = front();
        assertTrue(none.isEmpty());
        assertEquals(0, none.indices().length);
        assertEquals(Double.NEGATIVE_INFINITY, none.accuracyAt(INF));
        assertEquals(0.0, none.hypervolume(0.0, 1.0));
    }

    @Test
    void infinitiesAreOrdinaryValues() {
        ParetoFront2D<P> f = front(new P("useless", Double.NEGATIVE_INFINITY, 0.1), new P("a", 0.5, 0.2),
                new P("free", 0.4, Double.NEGATIVE_INFINITY), new P("dear", 0.6, INF));
        assertEquals(List.of("free", "a", "dear"), ids(f), "useless is dominated by free (cheaper and more accurate)");
        assertEquals(INF, front(new P("perfect", INF, 0.5)).hypervolume(0.0, 1.0));
    }

    @Test
    void theFrontIsImmutable() {
        List<P> points = new ArrayList<>(List.of(new P("a", 0.8, 0.5)));
        ParetoFront2D<P> f = ParetoFront2D.of(points, P::accuracy, P::energy);
        points.add(new P("b", 0.9, 0.1));
        assertEquals(List.of("a"), ids(f));
        assertThrows(UnsupportedOperationException.class, () -> f.members().add(new P("c", 1, 0)));
        f.indices()[0] = 5;
        assertArrayEquals(new int[] {0}, f.indices());
    }

    // ---- staircase ----

    @Test
    void theStaircaseGivesTheBestAccuracyAtThatEnergyOrLess() {
        ParetoFront2D<P> f = front(new P("b", 0.9, 0.7), new P("cheap", 0.6, 0.3), new P("a", 0.8, 0.5),
                new P("dominated", 0.7, 0.6));
        assertEquals(Double.NEGATIVE_INFINITY, f.accuracyAt(0.2), "below the cheapest member");
        assertEquals(Double.NEGATIVE_INFINITY, f.accuracyAt(Double.NEGATIVE_INFINITY));
        assertEquals(0.6, f.accuracyAt(0.3), "at a member");
        assertEquals(0.6, f.accuracyAt(0.4), "between members: the cheaper one");
        assertEquals(0.8, f.accuracyAt(0.5));
        assertEquals(0.8, f.accuracyAt(0.65), "a dominated point is no step");
        assertEquals(0.9, f.accuracyAt(0.7));
        assertEquals(0.9, f.accuracyAt(5), "above the dearest member");
        assertEquals(0.9, f.accuracyAt(INF));
        assertTrue(Double.isNaN(f.accuracyAt(NAN)), "an unknown energy: unknown");
        assertEquals(0.5, front(new P("z", 0.5, 0.0)).accuracyAt(-0.0), "-0.0 is at 0.0");
    }

    // ---- hypervolume ----

    static final double[] A = {0.9, 0.5};
    static final double[] B = {0.8, 0.3};

    static double hv(List<double[]> points, double refAccuracy, double refEnergy) {
        return ParetoFront2D.ofPairs(points).hypervolume(refAccuracy, refEnergy);
    }

    /* Reference (0.7, 1.0): A covers (0.9-0.7) x (1-0.5) = 0.10; B adds the strip below A: (0.8-0.7) x (0.5-0.3) = 0.02. */
    @Test
    void theHypervolumeOfTwoPointsIsTheAreaUnderTheirStaircase() {
        assertEquals(0.12, hv(List.of(A, B), 0.7, 1.0), 1e-12);
        assertEquals(0.12, hv(List.of(B, A), 0.7, 1.0), 1e-12, "order does not matter");
        assertEquals(0.10, hv(List.of(A), 0.7, 1.0), 1e-12);
        assertEquals(0.0, hv(List.of(), 0.7, 1.0));
    }

    @Test
    void dominatedAndDuplicatePointsAddNothing() {
        double[] dominated = {0.75, 0.6}; // A is more accurate and cheaper
        double[] sameAccuracyWorseEnergy = {0.9, 0.7};
        assertEquals(0.12, hv(List.of(A, dominated, B, A, sameAccuracyWorseEnergy), 0.7, 1.0), 1e-12);
    }

    @Test
    void pointsOutsideTheReferenceBoxOrWithNaNAddNothing() {
        // At the reference accuracy, below it, at the reference energy, above it, and unknown values.
        List<double[]> outside = List.of(new double[] {0.7, 0.1}, new double[] {0.65, 0.1}, new double[] {0.95, 1.0},
                new double[] {0.95, 1.2}, new double[] {NAN, 0.1}, new double[] {0.99, NAN});
        assertEquals(0.0, hv(outside, 0.7, 1.0));
        List<double[]> mixed = new ArrayList<>(outside);
        mixed.add(A);
        assertEquals(0.10, hv(mixed, 0.7, 1.0), 1e-12);
        // (0.95, 1.2) is on the front but outside the box: it neither adds nor hides anything.
        assertEquals(0.12, hv(List.of(new double[] {0.95, 1.2}, A, B), 0.7, 1.0), 1e-12);
        // A point cheaper than 0 is inside: (0.8 - 0.7) x (1 - -0.5).
        assertEquals(0.15, hv(List.of(new double[] {0.8, -0.5}), 0.7, 1.0), 1e-12);
    }

    @Test
    void theRatioComparesWithAReferenceFront() {
        ParetoFront2D<double[]> both = ParetoFront2D.ofPairs(List.of(A, B));
        assertEquals(1.0, both.hypervolumeRatio(both, 0.7, 1.0), 1e-12);
        assertEquals(0.10 / 0.12, ParetoFront2D.ofPairs(List.of(A)).hypervolumeRatio(both, 0.7, 1.0), 1e-12);
        assertTrue(Double.isNaN(ParetoFront2D.ofPairs(List.of(A)).hypervolumeRatio(ParetoFront2D.ofPairs(
                List.<double[]>of(new double[] {0.6, 0.5})), 0.7, 1.0)), "a reference front with no area gives NaN");
    }

    /* Bad input is an InvalidInputException (an AxdseException: the CLI prints its message as one line). */
    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        AxdseException e = assertThrows(InvalidInputException.class, () -> ParetoFront2D.ofPairs(List.of(A, new double[] {0.9})));
        assertEquals("pareto front point 1: expected {accuracy, relativeEnergy}, got 1 values", e.getMessage());
        List<double[]> withNull = new ArrayList<>(List.of(A));
        withNull.add(null);
        e = assertThrows(InvalidInputException.class, () -> ParetoFront2D.ofPairs(withNull));
        assertEquals("pareto front point 1: expected {accuracy, relativeEnergy}, got null", e.getMessage());
        ParetoFront2D<double[]> f = ParetoFront2D.ofPairs(List.of(A));
        e = assertThrows(InvalidInputException.class, () -> f.hypervolume(NAN, 1.0));
        assertEquals("hypervolume reference: expected finite accuracy and energy, got (NaN, 1.0)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> f.hypervolume(0.7, INF));
        assertEquals("hypervolume reference: expected finite accuracy and energy, got (0.7, Infinity)", e.getMessage());
    }

    // ---- against brute force ----

    /**
     * Random sets of up to 11 points with accuracy and energy in 0..5 (many ties) and some NaN: the members,
     * the dominance rule, the staircase and the hypervolume equal their definitions computed the slow way.
     */
    @Test
    void everythingMatchesBruteForceOnRandomSmallIntegerPoints() {
        Random rng = new Random(2024);
        for (int trial = 0; trial < 3000; trial++) {
            int n = rng.nextInt(12);
            List<double[]> points = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                points.add(new double[] {rng.nextInt(8) == 0 ? NAN : rng.nextInt(6), rng.nextInt(8) == 0 ? NAN : rng.nextInt(6)});
            }
            String where = "trial " + trial + ": " + points.stream().map(java.util.Arrays::toString).toList();
            ParetoFront2D<double[]> f = ParetoFront2D.ofPairs(points);

            // dominates: NaN is worse than every value here, so read it as -100 (accuracy) and 100 (energy).
            for (double[] p : points) {
                for (double[] q : points) {
                    double pa = Double.isNaN(p[0]) ? -100 : p[0];
                    double pe = Double.isNaN(p[1]) ? 100 : p[1];
                    double qa = Double.isNaN(q[0]) ? -100 : q[0];
                    double qe = Double.isNaN(q[1]) ? 100 : q[1];
                    boolean expected = pa >= qa && pe <= qe && (pa > qa || pe < qe);
                    assertEquals(expected, ParetoFront2D.dominates(p[0], p[1], q[0], q[1]), where);
                }
            }

            // Members: the known points that no known point dominates (O(n^2)).
            Set<Integer> expected = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                double[] p = points.get(i);
                if (Double.isNaN(p[0]) || Double.isNaN(p[1])) {
                    continue;
                }
                boolean dominated = false;
                for (double[] q : points) {
                    dominated |= !Double.isNaN(q[0]) && !Double.isNaN(q[1]) && q[0] >= p[0] && q[1] <= p[1]
                            && (q[0] > p[0] || q[1] < p[1]);
                }
                if (!dominated) {
                    expected.add(i);
                }
            }
            Set<Integer> actual = new TreeSet<>();
            int[] indices = f.indices();
            for (int k = 0; k < indices.length; k++) {
                actual.add(indices[k]);
                assertTrue(f.members().get(k) == points.get(indices[k]), where);
                if (k > 0) {
                    double[] prev = points.get(indices[k - 1]);
                    double[] cur = points.get(indices[k]);
                    assertTrue(prev[1] <= cur[1] && prev[0] <= cur[0], "ascending energy and accuracy: " + where);
                    assertTrue(prev[1] < cur[1] || indices[k - 1] < indices[k], "equal members in input order: " + where);
                }
            }
            assertEquals(expected, actual, where);
            assertEquals(indices.length, f.size());

            // Staircase: the best known accuracy at or below each energy, -infinity when none.
            for (double x = -1; x <= 6; x += 0.5) {
                double best = Double.NEGATIVE_INFINITY;
                for (double[] p : points) {
                    if (!Double.isNaN(p[0]) && p[1] <= x) {
                        best = Math.max(best, p[0]);
                    }
                }
                assertEquals(best, f.accuracyAt(x), where + " at energy " + x);
            }

            // Hypervolume: count the unit cells [A, A+1] x [E, E+1] inside the reference box that some known point
            // covers (a_p >= A + 1 and e_p <= E); with integer values the count is the area exactly.
            for (int refA = -1; refA <= 4; refA++) {
                for (int refE = 1; refE <= 6; refE++) {
                    int cells = 0;
                    for (int a = refA; a < 6; a++) {
                        for (int e = -1; e < refE; e++) {
                            boolean covered = false;
                            for (double[] p : points) {
                                covered |= p[0] >= a + 1 && p[1] <= e; // false for NaN
                            }
                            cells += covered ? 1 : 0;
                        }
                    }
                    assertEquals(cells, f.hypervolume(refA, refE), where + " reference (" + refA + ", " + refE + ")");
                }
            }
        }
    }
}
