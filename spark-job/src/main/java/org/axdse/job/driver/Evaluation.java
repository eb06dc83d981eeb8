package org.axdse.job.driver;

import java.util.List;

import org.axdse.job.search.Candidate;
import org.axdse.kernel.model.Assignment;

/**
 * One candidate's result in a run, the single form it has on the driver from aggregation to the tables and the
 * report: its shards' totals and its energy. The run-level facts (accuracy drop against the baseline, front
 * membership) are derived by {@link EvaluationTable} from the whole set.
 *
 * @param candidate      the candidate (its generation is the stage that first proposed it)
 * @param correct        correct top-1 predictions over all shards
 * @param total          images over all shards
 * @param seconds        evaluation time attributed to it, summed over shards
 * @param backend        backends that evaluated it, sorted, {@code ;}-separated
 * @param executors      executors that evaluated it, sorted, {@code ;}-separated
 * @param relativeEnergy relative multiplier energy ({@link Energy#relative}), NaN when unknown
 * @param powerPerMac    power per MAC in the library's unit, NaN when unknown
 * @param correctBits    which of the {@code total} images (the run's first ones, in order) it got right; null when
 *                       unknown (rows written before per-image results were kept)
 * @param racedOutRound  the racing round after which it was dropped (0 = after the first shard), -1 when it was not
 */
public record Evaluation(Candidate candidate, long correct, long total, double seconds, String backend, String executors,
                         double relativeEnergy, double powerPerMac, long[] correctBits, int racedOutRound) {
    /** @return the candidate's id */
    public String id() {
        return candidate.id();
    }

    /** @return multiplier per layer */
    public List<String> names() {
        return candidate.names();
    }

    /** @return {@code correct / total} (0 with no images) */
    public double accuracy() {
        return total == 0 ? 0 : (double) correct / total;
    }

    /** @return whether every approximated layer has the same multiplier */
    public boolean isUniform() {
        return candidate.names().stream().filter(n -> !n.equals(Assignment.EXACT_FP32)).distinct().count() <= 1;
    }

    /**
     * @param c the same assignment under another generation
     * @return this evaluation recorded for {@code c}
     */
    Evaluation withCandidate(Candidate c) {
        return new Evaluation(c, correct, total, seconds, backend, executors, relativeEnergy, powerPerMac, correctBits,
                racedOutRound);
    }

    /** @return whether racing dropped it before it saw every image */
    public boolean racedOut() {
        return racedOutRound >= 0;
    }

    /**
     * @param round the round after which racing drops it
     * @return this evaluation marked as raced out
     */
    Evaluation racedOutAfter(int round) {
        return new Evaluation(candidate, correct, total, seconds, backend, executors, relativeEnergy, powerPerMac, correctBits,
                round);
    }

    /**
     * @param more the sums of further shards (the images after this evaluation's)
     * @return this evaluation extended by them
     */
    Evaluation plus(ShardTotals more) {
        java.util.TreeSet<String> b = new java.util.TreeSet<>(List.of(backend.split(";")));
        b.addAll(List.of(more.backend().split(";")));
        java.util.TreeSet<String> e = new java.util.TreeSet<>(List.of(executors.split(";")));
        e.addAll(List.of(more.executors().split(";")));
        long[] bits = correctBits == null ? null
                : org.axdse.job.stats.CorrectBits.concat(correctBits, (int) total, more.correctBits(), (int) more.total());
        return new Evaluation(candidate, correct + more.correct(), total + more.total(), seconds + more.seconds(),
                String.join(";", b), String.join(";", e), relativeEnergy, powerPerMac, bits, racedOutRound);
    }
}
