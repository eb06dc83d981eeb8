package org.axdse.job.driver;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.IntConsumer;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.job.output.SensitivityRecord;
import org.axdse.job.search.Strategy;
import org.axdse.kernel.estimate.ErrorModel;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.QuantConfig;

/**
 * The design-space exploration job (ARCHITECTURE.md section 1), as its list of stages: resolve and check
 * everything; open the run's output (resume or refuse); calibrate on the driver; evaluate the sensitivity
 * stage if asked; let the strategy propose generation after generation, each evaluated as one Spark job of
 * (candidate batch x shard) tasks, or raced over the shards ({@link RunLedger#stage}); validate the front on
 * further test images ({@link ValidationStage}); write the final tables and the report.
 * Re-running a run id resumes it (only missing candidates are evaluated) unless {@code overwrite} replaces it.
 */
public final class SearchJob {
    /** The generation number of the sensitivity stage's evaluations (before the strategy's generation 0). */
    public static final int SENSITIVITY_GENERATION = -1;

    private final SparkSession spark;
    private final JobConfig cfg;
    private final boolean overwrite;
    private final Path home;
    private IntConsumer afterStage = g -> { };
    private IntConsumer afterRound = r -> { };
    /** Set by {@link #run} once known; the error-model strategy reads them when it is built. */
    private ErrorModel errorModel;
    private RunLedger ledger;

    /**
     * @param spark     the session
     * @param cfg       validated configuration
     * @param overwrite replace an existing run instead of resuming it
     * @param home      project root for relative local paths
     */
    public SearchJob(SparkSession spark, JobConfig cfg, boolean overwrite, Path home) {
        this.spark = spark;
        this.cfg = cfg;
        this.overwrite = overwrite;
        this.home = home;
    }

    /**
     * @param hook called with the generation after each stage's rows are written
     * @return this job
     */
    SearchJob afterStage(IntConsumer hook) {
        this.afterStage = hook;
        return this;
    }

    /**
     * @param hook called with the round after each racing round's rows are written
     * @return this job
     */
    SearchJob afterRound(IntConsumer hook) {
        this.afterRound = hook;
        return this;
    }

    /**
     * What a run did, for the console summary and tests.
     *
     * @param runId          the run
     * @param output         output root
     * @param candidates     candidates of the run (proposed now or kept from before)
     * @param evaluatedNow   candidates evaluated by this invocation
     * @param shards         shards
     * @param front          the Pareto front, in ascending energy, with its validation when the run validates
     * @param seconds        wall time
     * @param macs           layer MACs a pass per candidate needs for the candidates evaluated now
     * @param macsPerSecond  {@code macs / seconds}
     * @param macsComputed   layer MACs actually computed (prefix sharing skips some)
     * @param generations    strategy generations run (0, 1, ...; the sensitivity stage not counted)
     * @param baselineId     the exact 8-bit baseline's candidate id
     * @param evaluationSeconds wall seconds inside the stages' evaluation jobs (the rest: loading, calibration,
     *                       tables, report)
     * @param imageEvaluations      images evaluated, summed over the run's candidates
     * @param naiveImageEvaluations candidates x images (what racing saves on)
     * @param confidence     level of the intervals
     * @param validationSeconds     wall seconds of the validation job (0 without validation)
     * @param validationTaskSeconds its task time, summed over its tasks
     * @param taskSeconds           task time attributed to the run's evaluations (resumed ones included), summed
     */
    public record Summary(String runId, String output, int candidates, int evaluatedNow, int shards,
                          List<ParetoRecord> front, double seconds, long macs, double macsPerSecond, long macsComputed,
                          int generations, String baselineId, double evaluationSeconds, long imageEvaluations,
                          long naiveImageEvaluations, double confidence, double validationSeconds,
                          double validationTaskSeconds, double taskSeconds) {
    }

    /** @return the run's summary */
    public Summary run() {
        long t0 = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ResolvedRun run = new RunResolver(spark, cfg, home).resolve();
        Strategy strategy = StrategyFactory.create(run, hadoop, () -> errorModel, () -> ledger);
        RunOutput out = RunOutput.open(spark, run, overwrite);
        out.runRow(null, "running", 0, List.of(), 0, 0); // a crash leaves a run that resumes only with the same settings

        LayerRanges calibrated = ForwardPass.calibrate(run.network(), run.calibration().pixels(), run.calibration().count(),
                run.imageBatch());
        out.describe(RunDescription.layers(run, calibrated), RunDescription.multipliers(run));
        errorModel = errorModel(run, calibrated);

        List<ShardSpec> shards = cfg.get(JobConfig.RACING)
                ? ShardSpec.split(run.images(), cfg.get(JobConfig.RACING_FIRST_IMAGES), cfg.get(JobConfig.SHARD_IMAGES))
                : ShardSpec.split(run.images(), cfg.get(JobConfig.SHARD_IMAGES));
        LayerRanges ranges = run.quant().ranges() == QuantConfig.RangeMode.STATIC ? calibrated : null;
        TaskRunner runner = new TaskRunner(spark, new TaskRunner.RunInputs(run.modelBytes(), run.modelSource(),
                run.network().sha256(), run.library(), ranges, run.quant(), run.dataDir(), run.imageBatch(), shards));
        ledger = new RunLedger(run, out, runner, shards, afterStage, afterRound);

        List<SensitivityRecord> sensitivity = List.of();
        if (cfg.get(JobConfig.SENSITIVITY)) {
            sensitivity = new SensitivityStage(run, errorModel).run(ledger);
            out.sensitivity(sensitivity);
        } else if (overwrite) { // an overwritten run must not keep the sensitivity rows of the run it replaces
            out.sensitivity(List.of());
        }
        int generations = generations(strategy);

        List<EvaluationRecord> records = ledger.records();
        ValidationStage.Result validation = ValidationStage.run(run, runner, records);
        List<ParetoRecord> front = validation.front();
        out.pareto(front);
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.runRow(new Timestamp(System.currentTimeMillis()), "finished", ledger.candidates(), ledger.rows(), seconds,
                ledger.imageEvaluations());
        out.report(RunReportWriter.html(run, spark.sparkContext().master(), ledger, records, front, sensitivity, seconds));
        return new Summary(run.runId(), out.root(), ledger.candidates(), ledger.evaluatedNow(), shards.size(),
                front, seconds, ledger.macsNaive(),
                ledger.macsNaive() / Math.max(1e-9, seconds), ledger.macsComputed(), generations, run.baseline().id(),
                ledger.evaluationSeconds(), ledger.imageEvaluations(), (long) ledger.candidates() * run.images(),
                cfg.get(JobConfig.RACING_CONFIDENCE), validation.wallSeconds(), validation.taskSeconds(),
                records.stream().mapToDouble(EvaluationRecord::seconds).sum());
    }

    /**
     * The strategy's generations, one stage each, until one proposes nothing new to this run. On a resume,
     * replayed generations propose candidates that are new to this invocation but already evaluated: they count
     * as new here (so the replay goes on) and are not computed again.
     *
     * @return generations run
     */
    private int generations(Strategy strategy) {
        int generations = 0;
        for (int generation = 0; ; generation++) {
            if (ledger.stage(generation, strategy.propose(generation, ledger.history())) == 0 && generation > 0) {
                return generations;
            }
            generations = generation + 1;
        }
    }

    /** The error model, estimated on the calibration images when the sensitivity stage or the strategy needs it. */
    private ErrorModel errorModel(ResolvedRun run, LayerRanges calibrated) {
        boolean needed = cfg.get(JobConfig.SENSITIVITY) || cfg.get(JobConfig.STRATEGY) == org.axdse.job.config.StrategyKind.ERROR_MODEL;
        if (!needed) {
            return null;
        }
        ErrorModel model = ErrorModel.estimate(run.network(), run.quant(), calibrated, run.calibration().pixels(),
                run.calibration().count(), run.imageBatch(), cfg.get(JobConfig.SEED), run.calibration().labels());
        // Simulate every (layer, multiplier) pair now, spread over the driver's cores (one FP32 pass over the
        // calibration images each; the model is thread-safe and caches the results).
        List<int[]> pairs = new java.util.ArrayList<>();
        for (int l = 0; l < run.space().layers(); l++) {
            for (int k = 0; run.space().approximable(l) && k < run.space().options().get(l).size(); k++) {
                pairs.add(new int[] {l, k});
            }
        }
        pairs.parallelStream().forEach(p -> model.predictedDisagreement(p[0],
                run.library().get(run.space().options().get(p[0]).get(p[1])).table()));
        return model;
    }
}
