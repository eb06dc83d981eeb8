package org.axdse.job.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ParetoRecord;
import org.junit.jupiter.api.Test;

/** Which front member each method gets per budget, and the time plan of the searches. */
class BudgetChoiceTest {
    private static final double TOLERANCE = 1e-12;

    /** A front member with search drop {@code searchDrop} and, when {@code validatedDrop} is a number, that validated drop. */
    static ParetoRecord member(String id, double energy, double searchDrop, double validatedDrop) {
        EvaluationRecord e = new EvaluationRecord("r", id, 0, List.of(id, id), 900, 1000, 0.9 - searchDrop, searchDrop, energy,
                Double.NaN, true, true, "cpu", "driver", 1.0, -1, 0.88, 0.92, null, List.of());
        ParetoRecord.Validation v = Double.isNaN(validatedDrop) ? null
                : new ParetoRecord.Validation(2000, Math.round(2000 * (0.9 - validatedDrop)), 0.88, 0.92, validatedDrop,
                validatedDrop - 0.004, validatedDrop + 0.004, null);
        return new ParetoRecord(e, v);
    }

    static MethodRun run(Method m, ParetoRecord... front) {
        return new MethodRun(m, "x-" + m.spelling(), front.length, 0, 1000L * front.length, 1000L * front.length, 10, 8, 14,
                List.of(front));
    }

    @Test
    void eachBudgetTakesTheCheapestValidatedMemberWithinIt() {
        MethodRun uniform = run(Method.UNIFORM, member("u-exact", 1.0, 0, 0), member("u-a", 0.8, 0.003, 0.004),
                member("u-b", 0.6, 0.008, 0.015));
        // The search looked better on its own images than on the validation images: t-b's validated drop (0.012) is
        // over 1 pp although its search drop (0.006) is not, so the 1 pp budget must take t-a.
        MethodRun tiled = run(Method.TILED, member("t-exact", 1.0, 0, 0), member("t-a", 0.7, 0.002, 0.005),
                member("t-b", 0.5, 0.006, 0.012), member("t-c", 0.4, 0.01, Double.NaN));
        List<BudgetChoice> table = BudgetChoice.table(List.of(uniform, tiled), List.of(0.005, 0.01, 0.02));
        assertEquals(6, table.size());
        assertEquals("u-a", table.get(0).choice().evaluation().candidateId());
        assertEquals("t-a", table.get(1).choice().evaluation().candidateId(), "0.005 is within 0.5 pp (decimal slack)");
        assertEquals(1 - 0.7 / 0.8, table.get(1).savingOverUniform(), TOLERANCE);
        assertEquals(0.0, table.get(0).savingOverUniform(), TOLERANCE);
        assertEquals("t-a", table.get(3).choice().evaluation().candidateId(), "t-b's validated drop is over 1 pp");
        assertEquals("u-b", table.get(4).choice().evaluation().candidateId());
        assertEquals("t-b", table.get(5).choice().evaluation().candidateId(), "t-c was not validated: never eligible");
        assertEquals(1 - 0.5 / 0.6, table.get(5).savingOverUniform(), TOLERANCE);
        assertTrue(table.get(5).validated());
        assertEquals(0.012, table.get(5).drop(), TOLERANCE);
    }

    @Test
    void withoutValidationTheSearchDropDecidesAndAMethodMayHaveNoChoice() {
        MethodRun uniform = run(Method.UNIFORM, member("u-a", 0.9, 0.004, Double.NaN));
        MethodRun perLayer = run(Method.PER_LAYER, member("p-a", 0.3, 0.03, Double.NaN), member("p-b", 0.2, 0.05, Double.NaN));
        List<BudgetChoice> table = BudgetChoice.table(List.of(uniform, perLayer), List.of(0.005));
        assertFalse(table.get(0).validated());
        assertEquals("u-a", table.get(0).choice().evaluation().candidateId());
        assertNull(table.get(1).choice(), "nothing of the per-layer front is within 0.5 pp (its baseline was dominated)");
        assertTrue(Double.isNaN(table.get(1).savingOverUniform()));
        assertTrue(Double.isNaN(table.get(1).relativeEnergy()));
    }

    @Test
    void theMultiplierColumnCountsLayers() {
        assertEquals("m1 (all 3 layers)", ExperimentSummary.multipliers(List.of("m1", "m1", "m1")));
        assertEquals("m2 x2, m1 x1", ExperimentSummary.multipliers(List.of("m1", "m2", "m2")));
    }

    @Test
    void generationsFitTheTimeLeft() {
        // 600 s left for two searches: 240 s each after the 20 % reserve; a generation of 10 x 100 images at 10 ms costs
        // 10 s, so 24 generations are affordable, the initial population among them.
        assertEquals(23, GenerationPlan.generations(600, 2, 0.01, 10, 10, 100));
        assertEquals(47, GenerationPlan.generations(600, 1, 0.01, 10, 10, 100));
        assertEquals(44, GenerationPlan.generations(600, 1, 0.01, 10, 40, 100), "a generation 0 of 40 (every uniform seed)");
        assertEquals(0, GenerationPlan.generations(5, 2, 0.01, 10, 10, 100), "too little time: the initial population only");
        assertEquals(0, GenerationPlan.generations(-30, 1, 0.01, 10, 10, 100), "over budget already");
        assertThrows(IllegalArgumentException.class, () -> GenerationPlan.generations(600, 2, Double.NaN, 10, 10, 100));
    }

    @Test
    void theClusterProjectionSpreadsTaskTimeOnly() {
        MethodRun r = new MethodRun(Method.TILED, "x", 10, 2, 100, 100, 100, 80, 160, List.of());
        assertEquals(20 + 10, r.projectedSeconds(16), TOLERANCE);
    }
}
