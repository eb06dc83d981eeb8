package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

import org.axdse.job.config.JobConfig;
import org.axdse.job.config.RacingCorrection;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.Strategy;
import org.axdse.job.stats.RacingRule;
import org.axdse.kernel.model.Assignment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run has evaluated, and the one way to evaluate more ({@link #stage}). It holds every candidate of the
 * run (proposed by this invocation, or kept from an earlier invocation of the run id) with its
 * {@link Evaluation}, the strategies' history, and this invocation's rows and MAC counts.
 *
 * <p>Rules: the exact 8-bit baseline is evaluated with the first stage (it is added in front of that stage's
 * proposals); a candidate keeps the generation that first proposed it, also across a resume; a candidate with
 * an evaluation from an earlier invocation is never computed again; after each stage that changed something,
 * the run's {@code evaluations}, {@code pareto} and {@code runs} rows are written, so a killed run resumes from
 * its last finished stage.
 */
final class RunLedger {
    private static final Logger LOG = LoggerFactory.getLogger(RunLedger.class);

    private final ResolvedRun run;
    private final RunOutput out;
    private final TaskRunner runner;
    private final List<ShardSpec> shards;
    private final boolean racing;
    private final double confidence;
    private final IntConsumer afterStage;
    private final IntConsumer afterRound;
    /** Candidates proposed in this invocation, by id, in proposal order. */
    private final Map<String, Candidate> proposed = new LinkedHashMap<>();
    /** Candidates of an earlier invocation of this run id, by id (kept even if not proposed again). */
    private final Map<String, Candidate> earlier = new LinkedHashMap<>();
    private final Map<String, Evaluation> evaluations = new HashMap<>();
    private final Map<String, Strategy.Evaluated> history = new LinkedHashMap<>();
    private final Map<String, double[]> energy = new HashMap<>();
    private final List<EvaluationRow> rows = new ArrayList<>();
    private boolean baselineProposed;
    private int evaluatedNow;
    private long evaluationNanos;
    private long macsComputed;
    private long macsNaive;

    /**
     * @param run        the run
     * @param out        its output (with the earlier invocation's evaluations)
     * @param runner     evaluates candidate batches on the cluster
     * @param shards     the run's shards (with racing, each is one round)
     * @param afterStage called with the stage's generation after its rows are written (tests stop a run here)
     * @param afterRound called with the round after each racing round's rows are written (idem)
     */
    RunLedger(ResolvedRun run, RunOutput out, TaskRunner runner, List<ShardSpec> shards, IntConsumer afterStage,
              IntConsumer afterRound) {
        this.afterRound = afterRound;
        this.run = run;
        this.out = out;
        this.runner = runner;
        this.shards = List.copyOf(shards);
        this.racing = run.config().get(JobConfig.RACING);
        this.confidence = run.config().get(JobConfig.RACING_CONFIDENCE);
        this.afterStage = afterStage;
        for (EvaluationRecord old : out.earlier()) {
            Candidate c = new Candidate(old.candidateId(), old.generation(), old.assignment());
            earlier.put(c.id(), c);
            double[] e = energy(c);
            evaluations.put(c.id(), new Evaluation(c, old.correct(), old.total(), old.seconds(), old.backend(), old.executors(),
                    e[0], e[1], old.correctBits(), old.racedOutRound()));
        }
    }

    /**
     * Evaluates what a stage proposes and has no evaluation yet (the baseline first, if no stage had it), then
     * writes the run's evaluations.
     *
     * @param generation the stage's generation ({@link SearchJob#SENSITIVITY_GENERATION} for the sensitivity stage)
     * @param candidates the stage's proposals
     * @return how many of the proposals (baseline included) are new to this invocation
     */
    int stage(int generation, List<Candidate> candidates) {
        List<Candidate> proposals = new ArrayList<>();
        if (!baselineProposed) {
            proposals.add(run.baseline().withGeneration(generation));
            baselineProposed = true;
        }
        proposals.addAll(candidates);
        if (proposals.isEmpty()) { // the strategy is done
            return 0;
        }
        List<Candidate> fresh = new ArrayList<>();
        for (Candidate c : proposals) {
            if (proposed.containsKey(c.id())) {
                continue;
            }
            Candidate before = earlier.get(c.id());
            Candidate kept = before != null ? c.withGeneration(before.generation()) : c; // keep the first generation
            proposed.put(c.id(), kept);
            fresh.add(kept);
        }
        // With racing, a candidate an earlier invocation left mid-race goes on racing.
        List<Candidate> pending = new ArrayList<>(fresh.stream().filter(c -> !evaluations.containsKey(c.id())
                || (racing && !evaluations.get(c.id()).racedOut() && evaluations.get(c.id()).total() < run.images())).toList());
        pending.sort(Comparator.comparing(c -> String.join("\u0000", c.names())));
        LOG.info("run {} {}: {} proposed, {} new to the run, {} to evaluate on {} shards{}", run.runId(),
                generation == SearchJob.SENSITIVITY_GENERATION ? "sensitivity stage" : "generation " + generation,
                proposals.size(), fresh.size(), pending.size(), shards.size(), racing ? " (racing)" : "");
        if (racing && generation != SearchJob.SENSITIVITY_GENERATION) { // the sensitivity table measures every pair whole
            race(pending);
        } else {
            evaluate(pending, shards);
        }
        evaluatedNow += pending.size();
        for (Candidate c : proposals) {
            Evaluation e = evaluation(c.id());
            history.putIfAbsent(c.id(), new Strategy.Evaluated(proposed.get(c.id()), e.accuracy(), e.relativeEnergy(),
                    e.racedOut()));
        }
        if (!pending.isEmpty() || fresh.stream().anyMatch(c -> !earlier.containsKey(c.id()))) {
            out.evaluations(records());
            out.runRow(null, "running", candidates(), rows, 0, imageEvaluations());
        }
        afterStage.accept(generation);
        return fresh.size();
    }

    /** Evaluates candidates on shards (one Spark job) and adds the results to their evaluations. */
    private void evaluate(List<Candidate> candidates, List<ShardSpec> on) {
        List<List<Candidate>> batches = TaskRunner.batches(candidates, run.config().get(JobConfig.BATCH_CANDIDATES));
        long t0 = System.nanoTime();
        List<EvaluationRow> newRows = runner.evaluate(batches, on);
        evaluationNanos += System.nanoTime() - t0;
        rows.addAll(newRows);
        for (EvaluationRow r : newRows) {
            macsComputed += r.macsComputed();
            macsNaive += r.macsNaive();
        }
        ShardTotals.sum(newRows, on.size()).forEach((id, t) -> {
            Evaluation before = evaluations.get(id);
            if (before != null && before.total() > 0) {
                evaluations.put(id, before.plus(t));
            } else {
                Candidate c = proposed.get(id);
                double[] e = energy(c);
                evaluations.put(id, new Evaluation(c, t.correct(), t.total(), t.seconds(), t.backend(), t.executors(), e[0], e[1],
                        t.correctBits(), -1));
            }
        });
    }

    /**
     * Races candidates over the shards, one round per shard: each round evaluates the survivors that lack the
     * round's shard, then drops those that {@link RacingRule} finds significantly worse, on the same images, than
     * a candidate of lower or equal energy (any evaluation of the run that covers those images, raced-out or
     * not, may be the better one). The baseline and uniform assignments are never dropped. The run's
     * evaluations are written after each round, so a killed run resumes mid-race.
     */
    private void race(List<Candidate> candidates) {
        List<Candidate> alive = new ArrayList<>(candidates);
        for (int round = 0; round < shards.size() && !alive.isEmpty(); round++) {
            ShardSpec shard = shards.get(round);
            List<Candidate> lacking = alive.stream().filter(c -> !evaluations.containsKey(c.id())
                    || evaluations.get(c.id()).total() < shard.to()).toList();
            if (!lacking.isEmpty()) {
                evaluate(lacking, List.of(shard));
            }
            if (round == shards.size() - 1) {
                break; // survivors of the last round are complete evaluations
            }
            List<Evaluation> covering = new ArrayList<>();
            for (Evaluation e : evaluations.values()) {
                if (e.total() >= shard.to() && e.correctBits() != null) {
                    covering.add(e);
                }
            }
            List<RacingRule.Entry> entries = new ArrayList<>();
            for (Evaluation e : covering) {
                boolean keep = e.id().equals(run.baseline().id()) || e.isUniform() || e.racedOut()
                        || alive.stream().noneMatch(c -> c.id().equals(e.id()));
                boolean reference = e.id().equals(run.baseline().id()) || e.isUniform(); // fixed before any image
                entries.add(new RacingRule.Entry(e.relativeEnergy(), e.correctBits(), shard.to(), keep, reference));
            }
            java.util.Set<String> dropped = new java.util.HashSet<>();
            boolean perComparison = run.config().get(JobConfig.RACING_CORRECTION) == RacingCorrection.NONE;
            for (int i : RacingRule.dropped(entries, confidence, shards.size(), perComparison)) {
                Evaluation e = covering.get(i);
                evaluations.put(e.id(), e.racedOutAfter(round));
                dropped.add(e.id());
            }
            alive.removeIf(c -> dropped.contains(c.id()));
            LOG.info("run {} racing round {} ({} images): {} dropped, {} go on", run.runId(), round, shard.to(), dropped.size(),
                    alive.size());
            out.evaluations(records());
            out.runRow(null, "running", candidates(), rows, 0, imageEvaluations());
            afterRound.accept(round);
        }
    }

    /** @return what every stage so far proposed, with its accuracy and energy, in proposal order */
    List<Strategy.Evaluated> history() {
        return List.copyOf(history.values());
    }

    /**
     * @param candidateId a candidate of the run
     * @return its evaluation, null when it has none
     */
    Evaluation evaluation(String candidateId) {
        Evaluation e = evaluations.get(candidateId);
        if (e == null) {
            return null;
        }
        // Reported under the generation this invocation keeps for it.
        Candidate c = proposed.getOrDefault(candidateId, earlier.get(candidateId));
        return c == null || c.equals(e.candidate()) ? e : e.withCandidate(c);
    }

    /** @return every evaluation of the run: this invocation's proposals in order, then the earlier ones */
    Collection<Evaluation> all() {
        Map<String, Candidate> all = new LinkedHashMap<>(proposed);
        earlier.forEach(all::putIfAbsent);
        List<Evaluation> list = new ArrayList<>();
        for (String id : all.keySet()) {
            Evaluation e = evaluation(id);
            if (e != null) {
                list.add(e);
            }
        }
        return list;
    }

    /** @return the run's {@code evaluations} records */
    List<EvaluationRecord> records() {
        return EvaluationTable.records(run.runId(), all(), run.baseline().id(), confidence, run::tableSha256);
    }

    /** @return candidates of the run (proposed now or kept from before) */
    int candidates() {
        Map<String, Candidate> all = new LinkedHashMap<>(proposed);
        earlier.forEach(all::putIfAbsent);
        return all.size();
    }

    /**
     * @param c a candidate
     * @return {relative energy, power per MAC} (NaN when unknown), computed once per candidate
     */
    double[] energy(Candidate c) {
        return energy.computeIfAbsent(c.id(), id -> {
            Assignment a = Assignment.ofNames(c.names(), n -> run.library().get(n).table());
            return new double[] {Energy.relative(run.network(), a, run.library()),
                    Energy.powerPerMac(run.network(), a, run.library())};
        });
    }

    /** @return images evaluated, summed over the run's evaluations */
    long imageEvaluations() {
        return all().stream().mapToLong(Evaluation::total).sum();
    }

    /** @return this invocation's evaluation rows */
    List<EvaluationRow> rows() {
        return rows;
    }

    /** @return candidates evaluated by this invocation */
    int evaluatedNow() {
        return evaluatedNow;
    }

    /** @return wall seconds inside the stages' evaluation jobs */
    double evaluationSeconds() {
        return evaluationNanos / 1e9;
    }

    /** @return layer MACs computed by this invocation (prefix sharing skips some) */
    long macsComputed() {
        return macsComputed;
    }

    /** @return layer MACs the candidates evaluated now need one by one */
    long macsNaive() {
        return macsNaive;
    }
}
