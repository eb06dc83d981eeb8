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
 */
public record Evaluation(Candidate candidate, long correct, long total, double seconds, String backend, String executors,
                         double relativeEnergy, double powerPerMac) {
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
        return new Evaluation(c, correct, total, seconds, backend, executors, relativeEnergy, powerPerMac);
    }
}
