package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.job.search.Candidate;
import org.axdse.job.stats.CorrectBits;
import org.axdse.job.stats.Interval;
import org.axdse.job.stats.Intervals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a finished search's front ({@code axdse.validate.images}): its members and the exact 8-bit baseline
 * are evaluated on the test images after the search's ones, which no strategy or race has seen, so a member's
 * validated accuracy carries no selection bias (the best of many noisy measurements overstates its accuracy).
 * Each member gets the Wilson interval of its validated accuracy, its drop against the baseline with the paired
 * interval on the same images, and whether its gain over the next cheaper member is significant.
 */
final class ValidationStage {
    private static final Logger LOG = LoggerFactory.getLogger(ValidationStage.class);

    private ValidationStage() {
    }

    /**
     * @param searchImages the search's images (the first ones of the test split)
     * @param validation   validation images
     * @param shardImages  images per shard
     * @return the validation shards: the {@code validation} test images right after the search's, never among them
     */
    static List<ShardSpec> shards(int searchImages, int validation, int shardImages) {
        List<ShardSpec> shards = new ArrayList<>();
        for (ShardSpec s : ShardSpec.split(validation, shardImages)) {
            shards.add(new ShardSpec(s.id(), searchImages + s.from(), searchImages + s.to()));
        }
        return shards;
    }

    /**
     * The validated front and what its validation cost.
     *
     * @param front       the front as {@code pareto} records, in ascending energy, validated when the run validates
     * @param wallSeconds wall seconds of the validation job (0 without validation)
     * @param taskSeconds task time of the validation, summed over its tasks
     */
    record Result(List<ParetoRecord> front, double wallSeconds, double taskSeconds) {
    }

    /**
     * @param run     the run
     * @param runner  evaluates on the cluster
     * @param records the run's evaluations (the front's are validated)
     * @return the front, validated when the run validates, and the validation's cost
     */
    static Result run(ResolvedRun run, TaskRunner runner, List<EvaluationRecord> records) {
        List<EvaluationRecord> front = new ArrayList<>(records.stream().filter(EvaluationRecord::onParetoFront).toList());
        front.sort(Comparator.comparingDouble(EvaluationRecord::relativeEnergy));
        int n = run.validationImages();
        if (n == 0 || front.isEmpty()) {
            return new Result(front.stream().map(r -> new ParetoRecord(r, null)).toList(), 0, 0);
        }
        long t0 = System.nanoTime();
        JobConfig cfg = run.config();
        double confidence = cfg.get(JobConfig.RACING_CONFIDENCE);
        List<ShardSpec> shards = shards(run.images(), n, cfg.get(JobConfig.SHARD_IMAGES));
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(run.baseline());
        for (EvaluationRecord r : front) {
            if (!r.candidateId().equals(run.baseline().id())) {
                candidates.add(new Candidate(r.candidateId(), r.generation(), r.assignment()));
            }
        }
        List<List<Candidate>> batches = TaskRunner.batches(candidates, cfg.get(JobConfig.BATCH_CANDIDATES));
        LOG.info("run {}: validating the front ({} candidates and the baseline) on test images {}..{}", run.runId(), front.size(),
                run.images(), run.images() + n - 1);
        List<EvaluationRow> rows = runner.evaluate(batches, shards);
        double wall = (System.nanoTime() - t0) / 1e9;
        double taskSeconds = rows.stream().mapToDouble(EvaluationRow::seconds).sum();
        Map<String, ShardTotals> totals = ShardTotals.sum(rows, shards.size());
        ShardTotals base = totals.get(run.baseline().id());
        List<ParetoRecord> validated = new ArrayList<>();
        ShardTotals cheaper = null;
        for (EvaluationRecord r : front) {
            ShardTotals t = totals.get(r.candidateId());
            Interval accuracy = Intervals.wilson(t.correct(), t.total(), confidence);
            Interval drop = Intervals.pairedDifference(CorrectBits.onlyFirst(base.correctBits(), t.correctBits(), n),
                    CorrectBits.onlyFirst(t.correctBits(), base.correctBits(), n), n, confidence);
            Boolean significant = null;
            if (cheaper != null) {
                Interval gain = Intervals.pairedDifference(CorrectBits.onlyFirst(t.correctBits(), cheaper.correctBits(), n),
                        CorrectBits.onlyFirst(cheaper.correctBits(), t.correctBits(), n), n, confidence);
                significant = gain.low() > 0;
            }
            validated.add(new ParetoRecord(r, new ParetoRecord.Validation(t.total(), t.correct(), accuracy.low(), accuracy.high(),
                    (double) (base.correct() - t.correct()) / n, drop.low(), drop.high(), significant)));
            cheaper = t;
        }
        return new Result(validated, wall, taskSeconds);
    }
}
