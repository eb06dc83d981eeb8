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
