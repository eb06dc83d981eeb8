package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.axdse.job.exec.EvaluationRow;
import org.axdse.kernel.AxdseException;
import org.junit.jupiter.api.Test;

/** Summing a stage's task rows per candidate, on the driver without Spark. */
class ShardTotalsTest {
    private static EvaluationRow row(String id, int shard, long correct, long total, double seconds, String backend, String exec) {
        return new EvaluationRow(id, shard, correct, total, seconds, backend, exec, 10, 20);
    }

    @Test
    void eachCandidateSumsItsShardsWithSortedDistinctBackendsAndExecutors() {
        Map<String, ShardTotals> t = ShardTotals.sum(List.of(
                row("a", 1, 40, 50, 0.5, "cuda:0", "2@h"), row("b", 0, 3, 50, 1.0, "cpu", "1@h"),
                row("a", 0, 45, 50, 0.25, "cpu", "1@h"), row("b", 1, 7, 50, 2.0, "cpu", "1@h"),
                row("a", 2, 10, 20, 0.25, "cpu", "1@h"), row("b", 2, 0, 20, 0.0, "cpu", "1@h")), 3);
        assertEquals(List.of(95L, 120L, 1.0, "cpu;cuda:0", "1@h;2@h"), fields(t.get("a")));
        assertEquals(List.of(10L, 120L, 3.0, "cpu", "1@h"), fields(t.get("b")));
        assertEquals(2, t.size());
        assertTrue(ShardTotals.sum(List.of(), 3).isEmpty(), "nothing evaluated, nothing summed");
    }

    private static List<Object> fields(ShardTotals t) {
        return List.of(t.correct(), t.total(), t.seconds(), t.backend(), t.executors());
    }

    @Test
    void perImageResultsAreConcatenatedInShardOrder() {
        // Shard 0: 3 images (right, wrong, right); shard 1: 2 images (wrong, right), listed first.
        Map<String, ShardTotals> t = ShardTotals.sum(List.of(
                new EvaluationRow("a", 1, 1, 2, 0, "cpu", "e", 0, 0, new long[] {0b10}),
                new EvaluationRow("a", 0, 2, 3, 0, "cpu", "e", 0, 0, new long[] {0b101})), 2);
        assertEquals(0b10101L, t.get("a").correctBits()[0]);
        assertEquals(1, t.get("a").correctBits().length);
    }

    @Test
    void aMissingOrRepeatedShardIsAFaultNotAResult() {
        AxdseException missing = assertThrows(AxdseException.class, () -> ShardTotals.sum(List.of(
                row("a", 0, 1, 2, 0, "cpu", "e"), row("a", 2, 1, 2, 0, "cpu", "e")), 3));
        assertEquals("candidate a has 2 results for 2 of 3 shards", missing.getMessage());
        AxdseException twice = assertThrows(AxdseException.class, () -> ShardTotals.sum(List.of(
                row("a", 0, 1, 2, 0, "cpu", "e"), row("a", 0, 1, 2, 0, "cpu", "e"), row("a", 1, 1, 2, 0, "cpu", "e")), 2));
        assertEquals("candidate a has 3 results for 2 of 2 shards", twice.getMessage());
    }
}
