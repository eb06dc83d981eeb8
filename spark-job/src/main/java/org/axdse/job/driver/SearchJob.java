package org.axdse.job.driver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.exec.HadoopStorage;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.ErrorModelStrategy;
import org.axdse.job.search.Nsga2Settings;
import org.axdse.job.search.Nsga2Strategy;
import org.axdse.job.search.RegionOfInterest;
import org.axdse.job.search.SearchSpace;
import org.axdse.job.search.Strategies;
import org.axdse.job.search.Strategy;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.lut.AxTune;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierInfo;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.estimate.ErrorModel;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The design-space exploration job (ARCHITECTURE.md section 1): on the driver, load and check everything,
 * calibrate, let the strategy propose candidates, plan (candidate batch x shard) tasks; on the executors,
 * evaluate; on the driver, aggregate with Spark SQL, compute relative energy and the Pareto front, and
 * write the five tables for the run. Re-running a run id resumes it (only missing candidates are
 * evaluated) unless {@code overwrite} replaces it.
 */
public final class SearchJob {
    private static final Logger LOG = LoggerFactory.getLogger(SearchJob.class);
    /** Class-path resource of the bundled model. */
    public static final String BUNDLED_MODEL = "/models/lenet5-fashion-mnist.onnx";

    private final SparkSession spark;
    private final JobConfig cfg;
    private final boolean overwrite;
    private final Path home;
    /** Called with the stage's generation after each stage's rows are written (tests stop a run here). */
    private java.util.function.IntConsumer afterStage = g -> { };

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
    SearchJob afterStage(java.util.function.IntConsumer hook) {
        this.afterStage = hook;
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
     * @param front          the Pareto front's evaluation rows
     * @param seconds        wall time
     * @param macs           layer MACs a pass per candidate needs for the candidates evaluated now
     * @param macsPerSecond  {@code macs / seconds}
     * @param macsComputed   layer MACs actually computed (prefix sharing skips some)
     * @param generations    strategy generations run (0, 1, ...; the sensitivity stage not counted)
     * @param baselineId     the exact 8-bit baseline's candidate id
     * @param evaluationSeconds wall seconds inside the stages' evaluation jobs (the rest: loading, calibration,
     *                       tables, report)
     */
    public record Summary(String runId, String output, int candidates, int evaluatedNow, int shards, List<Row> front,
                          double seconds, long macs, double macsPerSecond, long macsComputed, int generations,
                          String baselineId, double evaluationSeconds) {
    }

    /** The generation number of the sensitivity stage's evaluations (before the strategy's generation 0). */
    public static final int SENSITIVITY_GENERATION = -1;

    private String local(String spec) {
        if (spec.contains("://") || Path.of(spec).isAbsolute()) {
            return spec;
        }
        return home.resolve(spec).normalize().toString();
    }

    /** @return the run's summary */
    public Summary run() {
        long t0 = System.nanoTime();
        Timestamp started = new Timestamp(System.currentTimeMillis());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        String runId = cfg.get(JobConfig.RUN_ID);

        // 1. Load and check everything before any Spark job.
        org.axdse.job.exec.GpuSelection.tasksPerDevice(spark.sparkContext().getConf()); // a bad value fails here, named
        MultiplierLibrary library;
        byte[] modelBytes;
        String modelSource;
        try {
            library = MultiplierLibraries.load(new HadoopStorage(local(cfg.get(JobConfig.LIBRARY)), hadoop));
            String model = cfg.get(JobConfig.MODEL);
            if (model.equals("lenet5") || model.equals("resnet8")) {
                String resource = BUNDLED_MODEL.replace("lenet5", model);
                try (InputStream in = SearchJob.class.getResourceAsStream(resource)) {
                    if (in == null) {
                        throw new AxdseException("the bundled model " + resource + " is missing from the class path");
                    }
                    modelBytes = in.readAllBytes();
                }
                modelSource = "bundled:" + resource.substring(1);
            } else {
                modelSource = local(model);
                modelBytes = HadoopStorage.readAll(modelSource, hadoop);
            }
        } catch (IOException e) {
            throw new InvalidInputException("cannot read the library or the model (" + e + ")", e);
        }
        Network net = OnnxImporter.load(modelBytes, modelSource);
        List<String> allowed = allowedMultipliers(library);
        if (cfg.get(JobConfig.TUNE)) {
            List<MultiplierLibrary.Entry> tuned = new ArrayList<>();
            for (String name : List.copyOf(allowed)) {
                MultiplierLibrary.Entry e = library.get(name);
                String tunedName = name + AxTune.SUFFIX;
                if (e.table().isExact() || allowed.contains(tunedName)) {
                    continue;
                }
                if (!library.contains(tunedName)) { // a library may ship its own tuned tables: those are used as they are
                    MultiplierInfo i = e.info();
                    tuned.add(new MultiplierLibrary.Entry(new MultiplierInfo(tunedName, i.file(), i.signedness(),
                            i.power(), i.area(), i.delay(), i.source() + " + AxTune", i.family(), i.parameters()),
                            AxTune.tune(e.table())));
                }
                allowed.add(tunedName);
            }
            library = library.with(tuned);
        }
        SearchSpace space = space(allowed, net);
        String data = cfg.get(JobConfig.DATA);
        String dataDir = data.equals("fashion-mnist") ? DataSets.FASHION_MNIST : local(data);
        int images = cfg.get(JobConfig.IMAGES);
        ImageSet check;
        ImageSet calibration;
        try {
            HadoopStorage dataFiles = new HadoopStorage(dataDir, hadoop);
            check = DataSets.read(dataFiles, DataSets.Split.TEST, images, Normalization.UNIT);
            calibration = DataSets.read(dataFiles, DataSets.Split.TRAIN, cfg.get(JobConfig.CALIBRATION_IMAGES), Normalization.UNIT);
        } catch (IOException e) {
            throw new InvalidInputException(dataDir + ": cannot open the data set (" + e + ")", e);
        }
        if (check.channels() * check.height() * check.width() != net.inputSize()) {
            throw new InvalidInputException(net.source() + " expects " + java.util.Arrays.toString(net.inputShape()) + " images, "
                    + dataDir + " has " + check.channels() + "x" + check.height() + "x" + check.width());
        }
        QuantConfig quant = new QuantConfig(cfg.get(JobConfig.RANGES).equals("static") ? QuantConfig.RangeMode.STATIC
                : QuantConfig.RangeMode.PER_BATCH, cfg.get(JobConfig.PER_CHANNEL));
        boolean errorModelStrategy = cfg.get(JobConfig.STRATEGY).equals("error-model");
        Candidate baseline = baseline(library, net, space);
        // error-model: built once its costs are known
        Strategy strategy = errorModelStrategy ? null : strategy(space, hadoop, baseline);

        // 2. Resume or refuse.
        TableWriter out = new TableWriter(spark, local(cfg.get(JobConfig.OUTPUT)));
        String fingerprint = fingerprint(net, library, dataDir, images);
        List<Row> done = new ArrayList<>();
        if (!overwrite) {
            for (Row r : out.readRun(Tables.RUNS, runId)) {
                String previous = r.getAs("fingerprint");
                if (!fingerprint.equals(previous)) {
                    throw new InvalidInputException("run " + runId + " exists in " + out.path(Tables.RUNS) + " with other settings"
                            + " that change results (was: " + previous + "; now: " + fingerprint + "); use --overwrite to replace"
                            + " it or choose another axdse.run-id");
                }
            }
            done.addAll(out.readRun(Tables.EVALUATIONS, runId));
        }
        RunFacts facts = new RunFacts(runId, started, net, library, modelSource, dataDir, images, fingerprint);

        // The run's row first, marked running: a crash leaves a run that resumes only with the same settings.
        writeRun(out, facts, null, "running", 0, List.of(), 0);

        // 3. Calibrate on the driver (FP32); the layers and multipliers tables do not change during the run.
        LayerRanges calibrated = ForwardPass.calibrate(net, calibration.pixels(), calibration.count(), cfg.get(JobConfig.BATCH_IMAGES));
        LayerRanges ranges = quant.ranges() == QuantConfig.RangeMode.STATIC ? calibrated : null;
        out.replaceRun(Tables.MULTIPLIERS, Tables.MULTIPLIERS_SCHEMA, multiplierRows(runId, library));
        out.replaceRun(Tables.LAYERS, Tables.LAYERS_SCHEMA, layerRows(runId, net, calibrated, quant,
                cfg.get(JobConfig.SIGNEDNESS).equals("signed") ? QuantScheme.SIGNED_SYMMETRIC : QuantScheme.UNSIGNED_AFFINE));
        boolean sensitivity = cfg.get(JobConfig.SENSITIVITY);
        ErrorModel errorModel = sensitivity || errorModelStrategy
                ? ErrorModel.estimate(net, quant, calibrated, calibration.pixels(), calibration.count(), cfg.get(JobConfig.BATCH_IMAGES),
                cfg.get(JobConfig.SEED), calibration.labels()) : null;
        if (errorModel != null) {
            simulateAll(space, library, errorModel);
        }

        // 4. Stages: the sensitivity stage, then the strategy's generations, one Spark job each; executors keep
        // the model and the shards cached between them.
        List<ShardSpec> shards = ShardSpec.split(images, cfg.get(JobConfig.SHARD_IMAGES));
        TaskRunner runner = new TaskRunner(spark, new TaskRunner.RunInputs(modelBytes, modelSource, net.sha256(), library, ranges,
                quant, dataDir, cfg.get(JobConfig.BATCH_IMAGES), shards));
        Progress progress = new Progress(out, facts, runner, done, baseline);
        List<Row> sensitivityRows = List.of();
        boolean baselinePending = true;
        if (sensitivity) {
            List<Candidate> singles = new ArrayList<>(List.of(baseline.withGeneration(SENSITIVITY_GENERATION)));
            singles.addAll(sensitivityCandidates(space, baseline));
            progress.stage(SENSITIVITY_GENERATION, singles);
            baselinePending = false;
            sensitivityRows = sensitivityRows(runId, net, library, space, baseline, progress, errorModel);
            out.replaceRun(Tables.SENSITIVITY, runId, Tables.SENSITIVITY_SCHEMA, sensitivityRows);
        } else if (overwrite) { // an overwritten run must not keep the sensitivity rows of the run it replaces
            out.deleteRun(Tables.SENSITIVITY, runId);
        }
        if (errorModelStrategy) {
            strategy = errorModelStrategy(space, net, library, errorModel, sensitivity, baseline, progress);
        }
        int generations = 0;
        for (int generation = 0; ; generation++) {
            List<Candidate> proposed = new ArrayList<>();
            if (baselinePending) {
                proposed.add(baseline);
                baselinePending = false;
            }
            proposed.addAll(strategy.propose(generation, progress.history()));
            // Stop when nothing new to this run is proposed. On a resume, replayed generations propose candidates
            // that are new to this invocation but already evaluated: they are not computed again.
            if (progress.stage(generation, proposed) == 0 && generation > 0) {
                break;
            }
            generations = generation + 1;
        }

        // 5. Final tables, the run row and the report.
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Row> evaluations = progress.evaluationRows();
        writeRun(out, facts, new Timestamp(System.currentTimeMillis()), "finished", progress.candidates(), progress.rows, seconds);
        writeReport(out, runId, net, library, evaluations, progress.rows, seconds, progress.macsNaive, progress.macsComputed,
                modelSource, dataDir, images, sensitivityRows);
        List<Row> front = evaluations.stream().filter(r -> r.<Boolean>getAs("on_pareto_front")).toList();
        return new Summary(runId, out.path(""), progress.candidates(), progress.evaluatedNow, shards.size(), front, seconds,
                progress.macsNaive, progress.macsNaive / Math.max(1e-9, seconds), progress.macsComputed, generations,
                baseline.id(), progress.evaluationNanos / 1e9);
    }

    /** What identifies a run in its rows. */
    private record RunFacts(String runId, Timestamp started, Network net, MultiplierLibrary library, String modelSource,
                            String dataDir, int images, String fingerprint) {
    }

    /**
     * The evaluation state of a run: every candidate proposed so far, their totals (from this invocation or
     * kept from an earlier one), the strategies' history, and the MAC counts. After each stage the run's
     * evaluations are written, so a killed run resumes from its last finished stage.
     */
    private final class Progress {
        private final TableWriter out;
        private final RunFacts facts;
        private final TaskRunner runner;
        private final Candidate baseline;
        /** Candidates proposed in this invocation, by id, in proposal order. */
        private final Map<String, Candidate> proposed = new LinkedHashMap<>();
        /** Candidates of an earlier invocation of this run id, by id (kept even if not proposed again). */
        private final Map<String, Candidate> earlier = new LinkedHashMap<>();
        private final Map<String, TaskRunner.Totals> totals = new HashMap<>();
        private final Map<String, EvaluationTable.EnergyFigures> energy = new HashMap<>();
        private final Map<String, Strategy.Evaluated> history = new LinkedHashMap<>();
        private final List<EvaluationRow> rows = new ArrayList<>();
        private int evaluatedNow;
        /** Wall time inside the evaluation jobs (the Spark jobs of the stages), for the run's throughput line. */
        private long evaluationNanos;
        private long macsComputed;
        private long macsNaive;

        Progress(TableWriter out, RunFacts facts, TaskRunner runner, List<Row> done, Candidate baseline) {
            this.out = out;
            this.facts = facts;
            this.runner = runner;
            this.baseline = baseline;
            for (Row old : done) {
                String id = old.getAs("candidate_id");
                List<String> names = scala.jdk.javaapi.CollectionConverters.asJava(old.<scala.collection.Seq<String>>getAs("assignment"));
                earlier.put(id, new Candidate(id, old.<Integer>getAs("generation"), List.copyOf(names)));
                totals.put(id, new TaskRunner.Totals(old.getAs("correct"), old.getAs("total"), old.<Double>getAs("seconds"),
                        old.getAs("backend"), old.getAs("executors")));
            }
        }

        /**
         * Evaluates what a stage proposes and has no totals yet, then writes the run's evaluations.
         *
         * @return how many of the proposed candidates are new to this invocation
         */
        int stage(int generation, List<Candidate> candidates) {
            if (candidates.isEmpty()) { // the strategy is done
                return 0;
            }
            List<Candidate> fresh = new ArrayList<>();
            for (Candidate c : candidates) {
                if (proposed.containsKey(c.id())) {
                    continue;
                }
                Candidate before = earlier.get(c.id());
                Candidate kept = before != null ? c.withGeneration(before.generation()) : c; // keep the first generation
                proposed.put(c.id(), kept);
                fresh.add(kept);
            }
            List<Candidate> pending = new ArrayList<>(fresh.stream().filter(c -> !totals.containsKey(c.id())).toList());
            pending.sort(Comparator.comparing(c -> String.join("\u0000", c.names())));
            List<List<Candidate>> batches = new ArrayList<>();
            int per = cfg.get(JobConfig.BATCH_CANDIDATES);
            for (int i = 0; i < pending.size(); i += per) {
                batches.add(List.copyOf(pending.subList(i, Math.min(pending.size(), i + per))));
            }
            LOG.info("run {} {}: {} proposed, {} new to the run, {} to evaluate in {}", facts.runId(),
                    generation == SENSITIVITY_GENERATION ? "sensitivity stage" : "generation " + generation, candidates.size(),
                    fresh.size(), pending.size(), batches.size() + " batches x shards");
            long t0 = System.nanoTime();
            List<EvaluationRow> newRows = runner.evaluate(batches);
            evaluationNanos += System.nanoTime() - t0;
            rows.addAll(newRows);
            for (EvaluationRow r : newRows) {
                macsComputed += r.macsComputed();
                macsNaive += r.macsNaive();
            }
            totals.putAll(runner.aggregate(newRows));
            evaluatedNow += pending.size();
            for (Candidate c : candidates) {
                Candidate k = proposed.get(c.id());
                history.putIfAbsent(c.id(), new Strategy.Evaluated(k, totals.get(c.id()).accuracy(), energy(k).relative()));
            }
            if (!pending.isEmpty() || fresh.stream().anyMatch(c -> !earlier.containsKey(c.id()))) {
                List<Row> evaluations = evaluationRows();
                out.replaceRun(Tables.EVALUATIONS, Tables.EVALUATIONS_SCHEMA, evaluations);
                out.replaceRun(Tables.PARETO, facts.runId(), Tables.EVALUATIONS_SCHEMA,
                        evaluations.stream().filter(r -> r.<Boolean>getAs("on_pareto_front")).toList());
                writeRun(out, facts, null, "running", candidates(), rows, 0);
            }
            afterStage.accept(generation);
            return fresh.size();
        }

        List<Strategy.Evaluated> history() {
            return List.copyOf(history.values());
        }

        TaskRunner.Totals totals(String candidateId) {
            return totals.get(candidateId);
        }

        int candidates() {
            return all().size();
        }

        private Map<String, Candidate> all() {
            Map<String, Candidate> all = new LinkedHashMap<>(proposed);
            earlier.forEach(all::putIfAbsent);
            return all;
        }

        EvaluationTable.EnergyFigures energy(Candidate c) {
            return energy.computeIfAbsent(c.id(), id -> {
                Assignment asg = Assignment.of(c.names().stream().map(n -> n.equals(Assignment.EXACT_FP32) ? null
                        : facts.library().get(n).table()).toList());
                return new EvaluationTable.EnergyFigures(Energy.relative(facts.net(), asg, facts.library()),
                        Energy.powerPerMac(facts.net(), asg, facts.library()));
            });
        }

        List<Row> evaluationRows() {
            Map<String, Candidate> all = all();
            all.values().forEach(this::energy);
            return EvaluationTable.rows(facts.runId(), all.values(), totals, baseline.id(), energy);
        }
    }

    /** Each approximable layer alone with each of its multipliers, the other layers as in the baseline. */
    private static List<Candidate> sensitivityCandidates(SearchSpace space, Candidate baseline) {
        List<Candidate> list = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            if (!space.approximable(l)) {
                continue;
            }
            for (String m : space.options().get(l)) {
                if (!m.equals(baseline.names().get(l))) {
                    List<String> names = new ArrayList<>(baseline.names());
                    names.set(l, m);
                    list.add(Candidate.of(SENSITIVITY_GENERATION, names));
                }
            }
        }
        return list;
    }

    private List<Row> sensitivityRows(String runId, Network net, MultiplierLibrary library, SearchSpace space, Candidate baseline,
                                      Progress progress, ErrorModel model) {
        double base = progress.totals(baseline.id()).accuracy();
        List<Row> rows = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            if (!space.approximable(l)) {
                continue;
            }
            for (String m : space.options().get(l)) {
                List<String> names = new ArrayList<>(baseline.names());
                names.set(l, m);
                Candidate c = Candidate.of(SENSITIVITY_GENERATION, names);
                TaskRunner.Totals t = progress.totals(c.id());
                MultiplierTable table = library.get(m).table();
                rows.add(new GenericRowWithSchema(new Object[] {runId, l, net.layers().get(l).name(), m, c.id(), t.accuracy(),
                        base - t.accuracy(), EvaluationTable.nan(progress.energy(c).relative()), model.relativeError(l, table),
                        model.predictedLogitNoise(l, table), model.predictedDisagreement(l, table),
                        model.predictedAccuracyDrop(l, table), model.tolerance(l)},
                        Tables.SENSITIVITY_SCHEMA));
            }
        }
        return rows;
    }

    /**
     * Runs the error model's simulation of every (layer, multiplier) pair now, spread over the driver's cores
     * (one FP32 pass over the calibration images each; the model is thread-safe and caches the results).
     */
    private static void simulateAll(SearchSpace space, MultiplierLibrary library, ErrorModel model) {
        List<int[]> pairs = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            for (int k = 0; space.approximable(l) && k < space.options().get(l).size(); k++) {
                pairs.add(new int[] {l, k});
            }
        }
        pairs.parallelStream().forEach(p -> model.predictedDisagreement(p[0], library.get(space.options().get(p[0]).get(p[1])).table()));
    }

    /** The error-model strategy with predicted or measured costs (see {@link ErrorModelStrategy}). */
    private Strategy errorModelStrategy(SearchSpace space, Network net, MultiplierLibrary library, ErrorModel model,
                                        boolean sensitivity, Candidate baseline, Progress progress) {
        String source = cfg.get(JobConfig.ERROR_MODEL_COST);
        boolean measured = source.equals("measured") || (source.equals("auto") && sensitivity);
        int n = space.layers();
        double[][] cost = new double[n][];
        double[][] energy = new double[n][];
        double base = measured ? progress.totals(baseline.id()).accuracy() : Double.NaN;
        for (int l = 0; l < n; l++) {
            List<String> options = space.options().get(l);
            cost[l] = new double[options.size()];
            energy[l] = new double[options.size()];
            for (int k = 0; k < options.size(); k++) {
                String m = options.get(k);
                if (!space.approximable(l)) {
                    continue;
                }
                MultiplierLibrary.Entry e = library.get(m);
                energy[l][k] = net.layers().get(l).macsPerImage() * e.info().power();
                if (measured) {
                    List<String> names = new ArrayList<>(baseline.names());
                    names.set(l, m);
                    cost[l][k] = Math.max(0, base - progress.totals(Candidate.of(0, names).id()).accuracy());
                } else {
                    cost[l][k] = Math.max(0, model.predictedAccuracyDrop(l, e.table()));
                }
            }
        }
        ErrorModelStrategy s = new ErrorModelStrategy(space, cost, energy, cfg.get(JobConfig.ERROR_MODEL_LEVELS),
                cfg.get(JobConfig.ERROR_MODEL_REFINE), cfg.get(JobConfig.ERROR_MODEL_REFINE_GENERATIONS), region(baseline),
                names -> Energy.relative(net, Assignment.of(names.stream().map(m -> m.equals(Assignment.EXACT_FP32) ? null
                        : library.get(m).table()).toList()), library));
        LOG.info("error-model strategy ({} costs): {}", measured ? "measured" : "predicted", s);
        return s;
    }

    /** Writes {@code <output>/reports/<run_id>.html} and {@code <output>/report.html} (the latest run). */
    private void writeReport(TableWriter out, String runId, Network net, MultiplierLibrary library, List<Row> evaluations,
                             List<EvaluationRow> rows, double seconds, long macs, long macsComputed, String modelSource,
                             String dataDir, int images, List<Row> sensitivity) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", modelSource + " (sha256 " + net.sha256().substring(0, 16) + "...)");
        facts.put("library", library.location() + " (version " + library.version() + ", power unit "
                + (library.powerUnit().isEmpty() ? "unstated" : library.powerUnit()) + ")");
        facts.put("data", dataDir + ", first " + images + " test images");
        facts.put("strategy", cfg.get(JobConfig.STRATEGY) + ", " + evaluations.size() + " evaluations");
        facts.put("ranges", cfg.get(JobConfig.RANGES) + ", weights " + (cfg.get(JobConfig.PER_CHANNEL) ? "per channel" : "per tensor"));
        facts.put("time", String.format(Locale.ROOT, "%.1f s, %.2f G LUT-MAC/s (%,d LUT-MACs evaluated now; %,d computed,"
                        + " the rest shared between candidates with equal layer prefixes)", seconds,
                macs / Math.max(1e-9, seconds) / 1e9, macs, macsComputed));
        Map<String, Integer> backends = new java.util.TreeMap<>();
        Set<String> executors = new HashSet<>();
        for (EvaluationRow r : rows) {
            backends.merge(r.backend(), 1, Integer::sum);
            executors.add(r.executor());
        }
        facts.put("spark", spark.sparkContext().master() + ", " + executors.size() + " executor(s), backends " + backends);
        List<org.axdse.job.report.RunReport.Point> points = new ArrayList<>();
        for (Row r : evaluations) {
            Double energy = r.getAs("relative_energy");
            points.add(new org.axdse.job.report.RunReport.Point(r.getAs("candidate_id"),
                    scala.jdk.javaapi.CollectionConverters.asJava(r.<scala.collection.Seq<String>>getAs("assignment")),
                    r.getAs("accuracy"), energy == null ? Double.NaN : energy, r.getAs("on_pareto_front"), r.getAs("is_uniform")));
        }
        List<org.axdse.job.report.RunReport.Sensitivity> cells = new ArrayList<>();
        for (Row r : sensitivity) {
            cells.add(new org.axdse.job.report.RunReport.Sensitivity(r.getAs("layer_index"), r.getAs("layer_name"),
                    r.getAs("multiplier"), r.getAs("accuracy_drop"), r.getAs("predicted_accuracy_drop")));
        }
        String html = org.axdse.job.report.RunReport.html(runId, facts, net.layers().stream().map(ApproxLayer::name).toList(), points,
                cells);
        out.writeText("reports/" + runId + ".html", html);
        out.writeText("report.html", html);
    }

    /** The settings that change results: a resumed run must have the same ones. */
    private String fingerprint(Network net, MultiplierLibrary library, String dataDir, int images) {
        return "model=" + net.sha256() + ";library=" + library.version() + ";data=" + dataDir + ";images=" + images
                + ";calibration=" + cfg.get(JobConfig.CALIBRATION_IMAGES) + ";ranges=" + cfg.get(JobConfig.RANGES)
                + (cfg.get(JobConfig.RANGES).equals("per-batch") ? ";batch=" + cfg.get(JobConfig.BATCH_IMAGES) : "")
                + ";per-channel=" + cfg.get(JobConfig.PER_CHANNEL) + ";signedness=" + cfg.get(JobConfig.SIGNEDNESS);
    }

    /** The multipliers every approximable layer may take (axdse.multipliers within axdse.multipliers.signedness). */
    private List<String> allowedMultipliers(MultiplierLibrary library) {
        String signedness = cfg.get(JobConfig.SIGNEDNESS);
        List<String> allowed = new ArrayList<>();
        String spec = cfg.get(JobConfig.MULTIPLIERS);
        if (spec.equals("all")) {
            for (MultiplierLibrary.Entry e : library.entries()) {
                Signedness s = e.table().signedness();
                if (signedness.equals("any") || s.name().toLowerCase(Locale.ROOT).equals(signedness)) {
                    allowed.add(e.name());
                }
            }
        } else {
            for (String n : spec.split(",")) {
                if (!library.contains(n.trim())) {
                    try {
                        library.get(n.trim());
                    } catch (InvalidInputException e) {
                        throw new InvalidInputException(JobConfig.MULTIPLIERS.name() + ": " + e.getMessage(), e);
                    }
                }
                MultiplierLibrary.Entry e = library.get(n.trim());
                String s = e.table().signedness().name().toLowerCase(Locale.ROOT);
                if (!signedness.equals("any") && !s.equals(signedness)) {
                    throw new InvalidInputException(JobConfig.MULTIPLIERS.name() + ": " + e.name() + " is " + s + " but "
                            + JobConfig.SIGNEDNESS.name() + " is " + signedness);
                }
                allowed.add(e.name());
            }
        }
        if (allowed.isEmpty()) {
            throw new InvalidInputException(JobConfig.SIGNEDNESS.name() + "=" + signedness + ": library " + library.location()
                    + " has no such multipliers");
        }
        return allowed;
    }

    private SearchSpace space(List<String> allowed, Network net) {
        Set<Integer> layers = new HashSet<>();
        String layerSpec = cfg.get(JobConfig.LAYERS);
        int n = net.layers().size();
        if (layerSpec.equals("all")) {
            for (int i = 0; i < n; i++) {
                layers.add(i);
            }
        } else {
            for (String s : layerSpec.split(",")) {
                int i;
                try {
                    i = Integer.parseInt(s.trim());
                } catch (NumberFormatException e) {
                    throw new InvalidInputException(JobConfig.LAYERS.name() + ": expected layer indices 0.." + (n - 1) + " or all, got '" + s + "'");
                }
                if (i < 0 || i >= n) {
                    throw new InvalidInputException(JobConfig.LAYERS.name() + ": layer " + i + " does not exist; "
                            + net.source() + " has layers 0.." + (n - 1));
                }
                layers.add(i);
            }
        }
        List<List<String>> options = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            options.add(layers.contains(i) ? allowed : List.of(Assignment.EXACT_FP32));
        }
        return new SearchSpace(options);
    }

    private Strategy strategy(SearchSpace space, Configuration hadoop, Candidate baseline) {
        return switch (cfg.get(JobConfig.STRATEGY)) {
            case "uniform" -> Strategies.uniform(space);
            case "exhaustive" -> Strategies.exhaustive(space, cfg.get(JobConfig.EXHAUSTIVE_MAX), JobConfig.EXHAUSTIVE_MAX.name());
            case "random" -> Strategies.random(space, cfg.get(JobConfig.RANDOM_SAMPLES), cfg.get(JobConfig.SEED));
            case "nsga2" -> new Nsga2Strategy(space, new Nsga2Settings(cfg.get(JobConfig.NSGA2_POPULATION),
                    cfg.get(JobConfig.NSGA2_GENERATIONS), cfg.get(JobConfig.NSGA2_CROSSOVER), cfg.get(JobConfig.NSGA2_MUTATION),
                    cfg.get(JobConfig.NSGA2_TILES), cfg.get(JobConfig.SEED)), region(baseline));
            default -> {
                String file = local(cfg.get(JobConfig.LIST_FILE));
                try {
                    yield Strategies.list(new String(HadoopStorage.readAll(file, hadoop), java.nio.charset.StandardCharsets.UTF_8)
                            .lines().toList(), file, space);
                } catch (IOException e) {
                    throw new InvalidInputException(JobConfig.LIST_FILE.name() + ": cannot read " + file + " (" + e + ")", e);
                }
            }
        };
    }

    private RegionOfInterest region(Candidate baseline) {
        return new RegionOfInterest(baseline.id(), cfg.get(JobConfig.MAX_DROP));
    }

    /** The exact 8-bit baseline: the library's exact table on every approximable layer. */
    private Candidate baseline(MultiplierLibrary library, Network net, SearchSpace space) {
        Signedness s = cfg.get(JobConfig.SIGNEDNESS).equals("signed") ? Signedness.SIGNED : Signedness.UNSIGNED;
        MultiplierLibrary.Entry exact = library.exact(s).orElseThrow(() -> new InvalidInputException("library "
                + library.location() + " has no exact " + s.name().toLowerCase(Locale.ROOT)
                + " multiplier, needed for the exact 8-bit baseline"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            names.add(space.approximable(i) ? exact.name() : Assignment.EXACT_FP32);
        }
        return Candidate.of(0, names);
    }

    private static List<Row> multiplierRows(String runId, MultiplierLibrary library) {
        List<Row> mult = new ArrayList<>();
        for (MultiplierLibrary.Entry e : library.entries()) {
            ErrorMetrics m = ErrorMetrics.of(e.table());
            mult.add(RowFactory.create(runId, e.name(), e.table().signedness() == Signedness.SIGNED, nan(e.info().power()),
                    nan(e.info().area()), nan(e.info().delay()), library.powerUnit(), m.mae(), m.wce(), m.mre(),
                    m.errorProbability(), m.mse(), m.meanError(), e.info().family(), e.info().parameters(), e.info().source(),
                    e.table().contentSha256()));
        }
        return mult;
    }

    private void writeRun(TableWriter out, RunFacts f, Timestamp finished, String status, int candidates, List<EvaluationRow> rows,
                          double seconds) {
        Map<String, Integer> backends = new java.util.TreeMap<>();
        Set<String> executors = new HashSet<>();
        long computed = 0;
        long naive = 0;
        for (EvaluationRow r : rows) {
            backends.merge(r.backend(), 1, Integer::sum);
            executors.add(r.executor());
            computed += r.macsComputed();
            naive += r.macsNaive();
        }
        StringBuilder config = new StringBuilder("{");
        cfg.resolved().forEach((k, v) -> config.append(config.length() > 1 ? ", " : "").append('"').append(k).append("\": \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        config.append('}');
        out.replaceRun(Tables.RUNS, Tables.RUNS_SCHEMA, List.of(RowFactory.create(f.runId(), f.started(), finished, status,
                f.modelSource(), f.net().sha256(), f.dataDir(), f.images(), cfg.get(JobConfig.STRATEGY), config.toString(),
                spark.sparkContext().master(), executors.size(), backends.toString(), f.library().location(),
                f.library().version(), candidates, computed, naive, seconds, f.fingerprint())));
    }

    private static List<Row> layerRows(String runId, Network net, LayerRanges ranges, QuantConfig quant, QuantScheme scheme) {
        List<Row> rows = new ArrayList<>();
        ForwardPass fp = new ForwardPass(net, quant, ranges);
        for (ApproxLayer l : net.layers()) {
            float wMin = Float.POSITIVE_INFINITY;
            float wMax = Float.NEGATIVE_INFINITY;
            for (float w : l.weights()) {
                wMin = Math.min(wMin, w);
                wMax = Math.max(wMax, w);
            }
            QuantParams in = QuantParams.fromRange(scheme, ranges.min(l.index()), ranges.max(l.index()));
            QuantizedWeights w = fp.weightQuantization(l, scheme);
            rows.add(RowFactory.create(runId, l.index(), l.name(), l.op(), l.opType(), l.macsPerImage(),
                    scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.stream(l.inputShape()).boxed().toList()).toSeq(),
                    scala.jdk.javaapi.CollectionConverters.asScala(java.util.Arrays.stream(l.outputShape()).boxed().toList()).toSeq(),
                    true, (double) ranges.min(l.index()), (double) ranges.max(l.index()), (double) wMin, (double) wMax,
                    scheme.name().toLowerCase(Locale.ROOT).replace('_', '-'), (double) in.scale(), in.zeroPoint(),
                    (double) w.scale(0), w.zeroPoint(0)));
        }
        return rows;
    }

    private static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
