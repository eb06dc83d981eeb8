package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The tolerance sweep of the error-model strategy on costs and energies worked out by hand. */
class ErrorModelStrategyTest {
    // Layer 0 and 2 approximable with options exact (e), cheap-but-bad (b), middle (m); layer 1 stays FP32.
    private static final SearchSpace SPACE = new SearchSpace(List.of(List.of("e", "m", "b"), List.of("exact-fp32"),
            List.of("e", "m", "b")));
    //                                     e     m     b
    private static final double[][] COST = {{0, 0.01, 0.5}, {0}, {0, 0.2, 0.3}};
    private static final double[][] ENERGY = {{10, 6, 2}, {0}, {100, 70, 40}};

    private static List<List<String>> names(Strategy s) {
        return s.propose(0, List.of()).stream().map(Candidate::names).toList();
    }

    @Test
    void eachLevelTakesTheCheapestMultiplierWithinItPerLayer() {
        ErrorModelStrategy s = new ErrorModelStrategy(SPACE, COST, ENERGY, 100);
        // Distinct costs of the approximable layers: 0, 0.01, 0.2, 0.3, 0.5.
        assertEquals(List.of(0.0, 0.01, 0.2, 0.3, 0.5), s.thresholds());
        assertEquals(List.of(
                List.of("e", "exact-fp32", "e"),   // t = 0: only the exact table qualifies
                List.of("m", "exact-fp32", "e"),   // t = 0.01: layer 0 takes m (6 < 10)
                List.of("m", "exact-fp32", "m"),   // t = 0.2: layer 2 takes m (70 < 100)
                List.of("m", "exact-fp32", "b"),   // t = 0.3: layer 2 takes b (40)
                List.of("b", "exact-fp32", "b")),  // t = 0.5: everything cheapest
                names(s));
        assertTrue(s.propose(1, List.of()).isEmpty(), "one generation");
    }

    @Test
    void levelsAreThinnedAtEvenRanksKeepingBothEnds() {
        assertEquals(List.of(0.0, 0.2, 0.5), ErrorModelStrategy.thin(List.of(0.0, 0.01, 0.2, 0.3, 0.5), 3));
        assertEquals(List.of(0.5), ErrorModelStrategy.thin(List.of(0.0, 0.01, 0.2, 0.3, 0.5), 1));
        ErrorModelStrategy s = new ErrorModelStrategy(SPACE, COST, ENERGY, 3);
        assertEquals(3, names(s).size());
    }

    @Test
    void unknownCostsAreNeverChosenWhileAnotherOptionQualifies() {
        double[][] cost = {{Double.NaN, 0.01, Double.NaN}, {0}, {0, 0.2, 0.3}};
        ErrorModelStrategy s = new ErrorModelStrategy(SPACE, cost, ENERGY, 100);
        // Layer 0 below 0.01: nothing qualifies, so the least damaging known option (m).
        assertTrue(names(s).stream().allMatch(n -> n.get(0).equals("m")), names(s).toString());
    }

    @Test
    void refinementProposesThePredictedNonDominatedOneLayerNeighboursOfTheFront() {
        // Two approximable layers with options exact (e), middle (m), bad (b); energies MACs x power.
        SearchSpace space = new SearchSpace(List.of(List.of("e", "m", "b"), List.of("e", "m", "b")));
        double[][] cost = {{0, 0.01, 0.3}, {0, 0.02, 0.05}};
        double[][] energy = {{10, 6, 2}, {100, 70, 40}}; // all exact: 110
        Candidate base = Candidate.of(0, List.of("e", "e"));
        List<Strategy.Evaluated> history = List.of(
                new Strategy.Evaluated(base, 0.90, 1.0),
                new Strategy.Evaluated(Candidate.of(0, List.of("m", "e")), 0.89, 106 / 110.0));
        // Front: (m,e) 0.89 @ 0.964 and (e,e) 0.90 @ 1.0. Neighbours, predicted accuracy = front member's minus the
        // switched layer's cost difference, energy rescaled by the weight change:
        //   (e,m) 0.90-0.02 = 0.88 @ 80/110    (m,m) 0.89-0.02 = 0.87 @ 76/110
        //   (e,b) 0.90-0.05 = 0.85 @ 50/110    (m,b) 0.89-0.05 = 0.84 @ 46/110
        //   (b,e) 0.89-0.29 = 0.60 @ 102/110 (also 0.90-0.30 from (e,e))
        // All are predicted above the front at their energy, so all qualify, best accuracy first, except what the
        // sweep proposed already: levels 0, 0.01, 0.02, 0.05, 0.3 gave (e,e) (m,e) (m,m) (m,b) (b,b).
        ErrorModelStrategy s = new ErrorModelStrategy(space, cost, energy, 8, 10, 2);
        assertEquals(List.of(List.of("e", "e"), List.of("m", "e"), List.of("m", "m"), List.of("m", "b"), List.of("b", "b")),
                s.propose(0, List.of()).stream().map(Candidate::names).toList());
        List<Candidate> refined = s.propose(1, history);
        assertEquals(List.of(List.of("e", "m"), List.of("e", "b"), List.of("b", "e")),
                refined.stream().map(Candidate::names).toList());
        assertTrue(refined.stream().allMatch(c -> c.generation() == 1));

        ErrorModelStrategy two = new ErrorModelStrategy(space, cost, energy, 8, 2, 2);
        two.propose(0, List.of());
        assertEquals(List.of(List.of("e", "m"), List.of("e", "b")), two.propose(1, history).stream().map(Candidate::names).toList(),
                "at most refineBatch per generation");

        // Region of interest: at most 0.1 below the baseline's 0.90, so (b,e), predicted 0.60, is left out.
        ErrorModelStrategy region = new ErrorModelStrategy(space, cost, energy, 8, 10, 2, new RegionOfInterest(base.id(), 0.1));
        region.propose(0, List.of());
        assertEquals(List.of(List.of("e", "m"), List.of("e", "b")), region.propose(1, history).stream().map(Candidate::names).toList());
        assertTrue(region.propose(3, history).isEmpty(), "2 refinement generations");
    }

    @Test
    void refinementUsesTheExactEnergyFunctionAndSkipsUnknownEnergies() {
        SearchSpace space = new SearchSpace(List.of(List.of("e", "m", "b"), List.of("e", "m", "b")));
        double[][] cost = {{0, 0.01, 0.3}, {0, 0.02, 0.05}};
        double[][] energy = {{10, 6, 2}, {100, 70, 40}};
        Candidate base = Candidate.of(0, List.of("e", "e"));
        List<Strategy.Evaluated> history = List.of(new Strategy.Evaluated(base, 0.90, 1.0),
                new Strategy.Evaluated(Candidate.of(0, List.of("m", "e")), 0.89, 106 / 110.0));
        // Power of b unknown: every assignment with b has no energy, so no neighbour with b is proposed.
        ErrorModelStrategy s = new ErrorModelStrategy(space, cost, energy, 1, 10, 1, RegionOfInterest.EVERYTHING,
                names -> names.contains("b") ? Double.NaN : 0.5);
        s.propose(0, List.of());
        assertEquals(List.of(List.of("e", "m"), List.of("m", "m")), s.propose(1, history).stream().map(Candidate::names).toList());
    }

    @Test
    void equalMeasuredPointsAreAllOnTheFrontSoTheNeighboursOfEachAreProposed() {
        SearchSpace space = new SearchSpace(List.of(List.of("e", "m", "b"), List.of("e", "m", "b")));
        double[][] cost = {{0, 0.01, 0.3}, {0, 0.02, 0.05}};
        double[][] energy = {{10, 6, 2}, {100, 70, 40}};
        // Relative energy 1 - 0.2 per m - 0.4 per b, so (m,e) and (e,m) cost the same; both measured at 0.88.
        java.util.function.ToDoubleFunction<List<String>> relative = n -> 1 - 0.2 * n.stream().filter("m"::equals).count()
                - 0.4 * n.stream().filter("b"::equals).count();
        List<Strategy.Evaluated> history = List.of(new Strategy.Evaluated(Candidate.of(0, List.of("e", "e")), 0.90, 1.0),
                new Strategy.Evaluated(Candidate.of(0, List.of("m", "e")), 0.88, 0.8),
                new Strategy.Evaluated(Candidate.of(0, List.of("e", "m")), 0.88, 0.8));
        // One level (0.3): the sweep proposes (b,b). Front: (m,e) and (e,m) at 0.8, (e,e) at 1.0. Predicted:
        //   (m,m) 0.88-0.01 = 0.87 (from (e,m))   (e,b) 0.85   (m,b) 0.88-0.05 = 0.83 (only from (m,e))
        //   (b,e) 0.90-0.30 = 0.60                 (b,m) 0.88-0.30 = 0.58 (only from (e,m))
        ErrorModelStrategy s = new ErrorModelStrategy(space, cost, energy, 1, 10, 1, RegionOfInterest.EVERYTHING, relative);
        assertEquals(List.of(List.of("b", "b")), names(s));
        assertEquals(List.of(List.of("m", "m"), List.of("e", "b"), List.of("m", "b"), List.of("b", "e"), List.of("b", "m")),
                s.propose(1, history).stream().map(Candidate::names).toList());
    }

    @Test
    void regionFloorComesFromTheBaselineInTheHistory() {
        Candidate base = Candidate.of(0, List.of("e"));
        RegionOfInterest r = new RegionOfInterest(base.id(), 0.05);
        assertEquals(Double.NEGATIVE_INFINITY, r.floor(List.of()), "baseline not evaluated yet");
        assertEquals(0.85, r.floor(List.of(new Strategy.Evaluated(base, 0.90, 1.0))), 1e-12);
        assertEquals(Double.NEGATIVE_INFINITY, RegionOfInterest.EVERYTHING.floor(List.of(new Strategy.Evaluated(base, 0.9, 1))));
    }

    @Test
    void shapesAreChecked() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ErrorModelStrategy(SPACE, new double[][] {{0, 0, 0}, {0}}, ENERGY, 4));
        assertEquals("error-model: expected costs and energies for 3 layers, got 2 and 3", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> new ErrorModelStrategy(SPACE, new double[][] {{0, 0}, {0}, {0, 0, 0}}, ENERGY, 4));
        assertEquals("error-model: layer 0 has 3 options, got 2 costs and 3 energies", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new ErrorModelStrategy(SPACE, COST, ENERGY, 0));
        assertEquals("error-model: expected at least 1 level, got 0", e.getMessage());
    }
}
