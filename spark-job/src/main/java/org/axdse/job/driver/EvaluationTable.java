package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.search.ParetoFront2D;
import org.axdse.job.stats.Interval;
import org.axdse.job.stats.Intervals;

/**
 * A run's evaluations as a whole: the accuracy drop of each against the exact 8-bit baseline and the
 * accuracy/energy Pareto front, turned into {@code evaluations} records.
 */
final class EvaluationTable {
    private EvaluationTable() {
    }

    /**
     * @param runId       the run
     * @param evaluations the run's evaluations, in output order
     * @param baselineId  the exact 8-bit baseline (for accuracy_drop; NaN drops while it has no evaluation)
     * @param confidence  level of the accuracy intervals (Wilson score)
     * @param tableSha256 a multiplier name's table hash (empty for {@code exact-fp32}): recorded per layer
     * @return the records, in the same order
     */
    static List<EvaluationRecord> records(String runId, Collection<Evaluation> evaluations, String baselineId, double confidence,
                                          Function<String, String> tableSha256) {
        double baseAccuracy = evaluations.stream().filter(e -> e.id().equals(baselineId)).mapToDouble(Evaluation::accuracy)
                .findFirst().orElse(Double.NaN);
        Set<String> front = front(evaluations);
        List<EvaluationRecord> records = new ArrayList<>();
        for (Evaluation e : evaluations) {
            Interval ci = Intervals.wilson(e.correct(), e.total(), confidence);
            records.add(new EvaluationRecord(runId, e.id(), e.candidate().generation(), e.names(), e.correct(), e.total(),
                    e.accuracy(), baseAccuracy - e.accuracy(), e.relativeEnergy(), e.powerPerMac(), front.contains(e.id()),
                    e.isUniform(), e.backend(), e.executors(), e.seconds(), e.racedOutRound(), ci.low(), ci.high(),
                    e.correctBits(), e.names().stream().map(tableSha256).toList()));
        }
        return records;
    }

    /**
     * The accuracy (max) / energy (min) Pareto front, by {@link ParetoFront2D}'s rule: evaluations with unknown
     * energy are left off; ones with equal energy and accuracy are all on it (neither dominates the other).
     * Raced-out evaluations are left off: racing found another one significantly better at no more energy.
     *
     * @param evaluations evaluations
     * @return the ids on the front
     */
    static Set<String> front(Collection<Evaluation> evaluations) {
        return ParetoFront2D.of(evaluations.stream().filter(e -> !e.racedOut()).toList(), Evaluation::accuracy, Evaluation::relativeEnergy).members().stream()
                .map(Evaluation::id).collect(Collectors.toSet());
    }
}
