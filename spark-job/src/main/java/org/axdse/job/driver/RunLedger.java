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
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.Strategy;
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
    private final int shards;
    private final IntConsumer afterStage;
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
     * @param shards     the run's shard count
     * @param afterStage called with the stage's generation after its rows are written (tests stop a run here)
     */
    RunLedger(ResolvedRun run, RunOutput out, TaskRunner runner, int shards, IntConsumer afterStage) {
        this.run = run;
        this.out = out;
        this.runner = runner;
        this.shards = shards;
        this.afterStage = afterStage;
        for (EvaluationRecord old : out.earlier()) {
            Candidate c = new Candidate(old.candidateId(), old.generation(), old.assignment());
            earlier.put(c.id(), c);
            double[] e = energy(c);
            evaluations.put(c.id(), new Evaluation(c, old.correct(), old.total(), old.seconds(), old.backend(), old.executors(),
                    e[0], e[1]));
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
        List<Candidate> pending = new ArrayList<>(fresh.stream().filter(c -> !evaluations.containsKey(c.id())).toList());
        pending.sort(Comparator.comparing(c -> String.join("\u0000", c.names())));
        List<List<Candidate>> batches = new ArrayList<>();
        int per = run.config().get(JobConfig.BATCH_CANDIDATES);
        for (int i = 0; i < pending.size(); i += per) {
            batches.add(List.copyOf(pending.subList(i, Math.min(pending.size(), i + per))));
        }
        LOG.info("run {} {}: {} proposed, {} new to the run, {} to evaluate in {}", run.runId(),
                generation == SearchJob.SENSITIVITY_GENERATION ? "sensitivity stage" : "generation " + generation,
                proposals.size(), fresh.size(), pending.size(), batches.size() + " batches x shards");
        long t0 = System.nanoTime();
        List<EvaluationRow> newRows = runner.evaluate(batches);
        evaluationNanos += System.nanoTime() - t0;
        rows.addAll(newRows);
        for (EvaluationRow r : newRows) {
            macsComputed += r.macsComputed();
            macsNaive += r.macsNaive();
        }
        ShardTotals.sum(newRows, shards).forEach((id, t) -> {
            Candidate c = proposed.get(id);
            double[] e = energy(c);
            evaluations.put(id, new Evaluation(c, t.correct(), t.total(), t.seconds(), t.backend(), t.executors(), e[0], e[1]));
        });
        evaluatedNow += pending.size();
        for (Candidate c : proposals) {
            Evaluation e = evaluation(c.id());
            history.putIfAbsent(c.id(), new Strategy.Evaluated(proposed.get(c.id()), e.accuracy(), e.relativeEnergy()));
        }
        if (!pending.isEmpty() || fresh.stream().anyMatch(c -> !earlier.containsKey(c.id()))) {
            out.evaluations(records());
            out.runRow(null, "running", candidates(), rows, 0);
        }
        afterStage.accept(generation);
        return fresh.size();
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
        return EvaluationTable.records(run.runId(), all(), run.baseline().id());
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
