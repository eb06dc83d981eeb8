package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.search.Candidate;
import org.junit.jupiter.api.Test;

/** A run's evaluations as a whole: drops against the baseline, the front, uniformity, without Spark. */
class EvaluationTableTest {
    private static Evaluation eval(String m1, String m2, long correct, double energy) {
        return new Evaluation(Candidate.of(0, List.of(m1, m2)), correct, 100, 0.5, "cpu", "e", energy, Double.NaN, null, -1);
    }

    @Test
    void recordsCarryTheDropAgainstTheBaselineTheFrontAndUniformity() {
        Evaluation base = eval("exact", "exact", 90, 1.0);
        Evaluation cheap = eval("t4", "t4", 85, 0.6);
        Evaluation mixed = eval("t4", "exact", 80, 0.8); // dominated by cheap
        Evaluation fp32 = eval("exact-fp32", "t4", 88, 0.7);
        List<EvaluationRecord> r = EvaluationTable.records("run", List.of(base, cheap, mixed, fp32), base.id(), 0.95, n -> "");
        assertEquals(List.of(base.id(), cheap.id(), mixed.id(), fp32.id()), r.stream().map(EvaluationRecord::candidateId).toList(),
                "input order kept");
        assertEquals(0.0, r.get(0).accuracyDrop());
        assertEquals(0.9 - 0.85, r.get(1).accuracyDrop(), 1e-15);
        assertEquals(List.of(true, true, false, true), r.stream().map(EvaluationRecord::onParetoFront).toList());
        assertEquals(List.of(true, true, false, true), r.stream().map(EvaluationRecord::isUniform).toList(),
                "exact-fp32 layers do not count against uniformity");
        assertEquals(List.of("t4", "exact"), r.get(2).assignment());
        assertEquals("run", r.get(3).runId());
    }

    @Test
    void withoutABaselineEvaluationTheDropIsUnknown() {
        List<EvaluationRecord> r = EvaluationTable.records("run", List.of(eval("a", "a", 5, 0.5)), "c-none", 0.95, n -> "");
        assertTrue(Double.isNaN(r.get(0).accuracyDrop()));
    }

    @Test
    void theFrontLeavesOutUnknownEnergyAndKeepsExactTies() {
        Evaluation a = eval("a", "a", 90, 0.5);
        Evaluation tie = eval("b", "b", 90, 0.5);
        Evaluation unknown = eval("c", "c", 99, Double.NaN);
        Evaluation worse = eval("d", "d", 90, 0.6);
        Set<String> front = EvaluationTable.front(List.of(a, tie, unknown, worse));
        assertEquals(Set.of(a.id(), tie.id()), front);
        assertFalse(front.contains(worse.id()), "same accuracy at more energy is dominated");
    }
}
