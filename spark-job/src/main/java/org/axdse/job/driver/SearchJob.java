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
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.exec.HadoopStorage;
import org.axdse.job.exec.JobInputs;
import org.axdse.job.exec.ShardEvaluator;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.SearchSpace;
import org.axdse.job.search.Strategies;
import org.axdse.job.search.Strategy;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.OnnxImporter;
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

    /** What a run did, for the console summary and tests. */
    public record Summary(String runId, String output, int candidates, int evaluatedNow, int shards, List<Row> front,
                          double seconds, long macs, double macsPerSecond) {
    }

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
        SearchSpace space = space(library, net);
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
        Strategy strategy = strategy(space, hadoop);
        Candidate baseline = baseline(library, net, space);

        // 2. Resume or refuse.
        TableWriter out = new TableWriter(spark, local(cfg.get(JobConfig.OUTPUT)));
        Map<String, Row> done = new LinkedHashMap<>();
        if (!overwrite) {
            for (Row r : out.readRun(Tables.RUNS, runId)) {
                String previous = r.getAs("fingerprint");
                String now = fingerprint(net, library, dataDir, images);
                if (!now.equals(previous)) {
                    throw new InvalidInputException("run " + runId + " exists in " + out.path(Tables.RUNS) + " with other settings"
                            + " that change results (was: " + previous + "; now: " + now + "); use --overwrite to replace it"
                            + " or choose another axdse.run-id");
                }
            }
            for (Row r : out.readRun(Tables.EVALUATIONS, runId)) {
                done.put(r.getAs("candidate_id"), r);
            }
        }

        // The run's row first, marked running: a crash leaves a run that resumes only with the same settings.
        writeRun(out, runId, started, null, "running", net, library, 0, List.of(), 0, 0, modelSource, dataDir, images);

        // 3. Calibrate on the driver (FP32), propose, plan.
        LayerRanges ranges = quant.ranges() == QuantConfig.RangeMode.STATIC
                ? ForwardPass.calibrate(net, calibration.pixels(), calibration.count(), cfg.get(JobConfig.BATCH_IMAGES)) : null;
        LayerRanges reportRanges = ranges != null ? ranges
                : ForwardPass.calibrate(net, calibration.pixels(), calibration.count(), cfg.get(JobConfig.BATCH_IMAGES));
        Map<String, Candidate> all = new LinkedHashMap<>();
        all.put(baseline.id(), baseline);
        List<ShardSpec> shards = ShardSpec.split(images, cfg.get(JobConfig.SHARD_IMAGES));
        List<EvaluationRow> rows = new ArrayList<>();
        List<Strategy.Evaluated> history = new ArrayList<>();
        int evaluatedNow = 0;
        // One Spark job per generation; one-shot strategies have one generation. Executors keep the model
        // and the shards cached between generations.
        for (int generation = 0; ; generation++) {
            List<Candidate> proposed = strategy.propose(generation, List.copyOf(history));
            if (proposed.isEmpty() && generation > 0) {
                break;
            }
            List<Candidate> pending = new ArrayList<>();
            if (generation == 0 && !done.containsKey(baseline.id())) {
                pending.add(baseline);
            }
            for (Candidate c : proposed) {
                if (all.putIfAbsent(c.id(), c) == null && !done.containsKey(c.id())) {
                    pending.add(c);
                }
            }
            if (pending.isEmpty() && generation > 0) {
                break; // an iterative strategy that proposes nothing new has converged
            }
            pending.sort(Comparator.comparing(c -> String.join("\u0000", c.names())));
            List<List<Candidate>> batches = new ArrayList<>();
            int per = cfg.get(JobConfig.BATCH_CANDIDATES);
            for (int i = 0; i < pending.size(); i += per) {
                batches.add(List.copyOf(pending.subList(i, Math.min(pending.size(), i + per))));
            }
            LOG.info("run {} generation {}: {} candidates ({} new), {} shards of up to {} images, {} tasks", runId, generation,
                    all.size(), pending.size(), shards.size(), cfg.get(JobConfig.SHARD_IMAGES), batches.size() * shards.size());

            // 4. Evaluate on the executors.
            List<EvaluationRow> newRows = evaluate(net, modelBytes, modelSource, library, ranges, quant, dataDir, batches, shards);
            rows.addAll(newRows);
            evaluatedNow += pending.size();
            Map<String, Row> generationResults = aggregate(newRows);
            for (Candidate c : pending) {
                Row r = generationResults.get(c.id());
                Assignment asg = Assignment.of(c.names().stream().map(n -> n.equals(Assignment.EXACT_FP32) ? null
                        : library.get(n).table()).toList());
                history.add(new Strategy.Evaluated(c, (double) r.<Long>getAs("correct") / r.<Long>getAs("total"),
                        Energy.relative(net, asg, library)));
            }
        }

        // 5. Aggregate with Spark SQL, add energy, front; write.
        Map<String, Row> aggregated = aggregate(rows);
        List<Row> evaluations = evaluations(runId, all, done, aggregated, baseline, net, library);
        long macs = (long) evaluatedNow * images * net.macsPerImage();
        double seconds = (System.nanoTime() - t0) / 1e9;
        write(out, runId, started, net, library, ranges != null ? ranges : reportRanges, quant, evaluations, rows, all.size(),
                seconds, macs, modelSource, dataDir, images);
        List<Row> front = evaluations.stream().filter(r -> r.<Boolean>getAs("on_pareto_front")).toList();
        writeReport(out, runId, net, library, evaluations, rows, seconds, macs, modelSource, dataDir, images);
        return new Summary(runId, out.path(""), all.size(), evaluatedNow, shards.size(), front, seconds, macs,
                macs / Math.max(1e-9, seconds));
    }

    /** Writes {@code <output>/reports/<run_id>.html} and {@code <output>/report.html} (the latest run). */
    private void writeReport(TableWriter out, String runId, Network net, MultiplierLibrary library, List<Row> evaluations,
                             List<EvaluationRow> rows, double seconds, long macs, String modelSource, String dataDir, int images) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", modelSource + " (sha256 " + net.sha256().substring(0, 16) + "...)");
        facts.put("library", library.location() + " (version " + library.version() + ", power unit "
                + (library.powerUnit().isEmpty() ? "unstated" : library.powerUnit()) + ")");
        facts.put("data", dataDir + ", first " + images + " test images");
        facts.put("strategy", cfg.get(JobConfig.STRATEGY) + ", " + evaluations.size() + " evaluations");
        facts.put("ranges", cfg.get(JobConfig.RANGES) + ", weights " + (cfg.get(JobConfig.PER_CHANNEL) ? "per channel" : "per tensor"));
        facts.put("time", String.format(Locale.ROOT, "%.1f s, %.2f G LUT-MAC/s (%,d LUT-MACs evaluated now)", seconds,
                macs / Math.max(1e-9, seconds) / 1e9, macs));
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
        String html = org.axdse.job.report.RunReport.html(runId, facts, net.layers().stream().map(ApproxLayer::name).toList(), points);
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

    private SearchSpace space(MultiplierLibrary library, Network net) {
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

    private Strategy strategy(SearchSpace space, Configuration hadoop) {
        return switch (cfg.get(JobConfig.STRATEGY)) {
            case "uniform" -> Strategies.uniform(space);
            case "exhaustive" -> Strategies.exhaustive(space, cfg.get(JobConfig.EXHAUSTIVE_MAX), JobConfig.EXHAUSTIVE_MAX.name());
            case "random" -> Strategies.random(space, cfg.get(JobConfig.RANDOM_SAMPLES), cfg.get(JobConfig.SEED));
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

    private List<EvaluationRow> evaluate(Network net, byte[] modelBytes, String modelSource, MultiplierLibrary library,
                                         LayerRanges ranges, QuantConfig quant, String dataDir, List<List<Candidate>> batches,
                                         List<ShardSpec> shards) {
        if (batches.isEmpty()) {
            return List.of();
        }
        Map<String, MultiplierTable> tables = new HashMap<>();
        for (List<Candidate> b : batches) {
            for (Candidate c : b) {
                for (String n : c.names()) {
                    if (!n.equals(Assignment.EXACT_FP32)) {
                        tables.put(n, library.get(n).table());
                    }
                }
            }
        }
        Map<String, String> hadoopConf = new HashMap<>();
        for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) {
            hadoopConf.put(e.getKey(), e.getValue());
        }
        JobInputs inputs = new JobInputs(modelBytes, modelSource, net.sha256(), tables, ranges, quant, dataDir,
                cfg.get(JobConfig.BATCH_IMAGES), batches, hadoopConf);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<JobInputs> bc = jsc.broadcast(inputs);
        List<int[]> tasks = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            for (ShardSpec s : shards) {
                tasks.add(new int[] {b, s.id()});
            }
        }
        List<ShardSpec> shardList = List.copyOf(shards);
        ProgressListener progress = new ProgressListener(tasks.size());
        spark.sparkContext().addSparkListener(progress);
        try {
            JavaRDD<EvaluationRow> rdd = jsc.parallelize(tasks, tasks.size())
                    .flatMap(t -> ShardEvaluator.evaluate(bc.value(), t[0], shardList.get(t[1])).iterator());
            return rdd.collect();
        } finally {
            spark.sparkContext().removeSparkListener(progress);
            bc.destroy();
        }
    }

    private static final StructType ROWS_SCHEMA = new StructType()
            .add("candidate_id", DataTypes.StringType).add("shard_id", DataTypes.IntegerType)
            .add("correct", DataTypes.LongType).add("total", DataTypes.LongType).add("seconds", DataTypes.DoubleType)
            .add("backend", DataTypes.StringType).add("executor", DataTypes.StringType);

    /** Sums each candidate's shards with Spark SQL. */
    private Map<String, Row> aggregate(List<EvaluationRow> rows) {
        List<Row> r = new ArrayList<>();
        for (EvaluationRow e : rows) {
            r.add(RowFactory.create(e.candidateId(), e.shardId(), e.correct(), e.total(), e.seconds(), e.backend(), e.executor()));
        }
        Dataset<Row> df = spark.createDataFrame(r, ROWS_SCHEMA);
        Map<String, Row> byCandidate = new HashMap<>();
        for (Row a : df.groupBy("candidate_id").agg(functions.sum("correct").as("correct"), functions.sum("total").as("total"),
                functions.sum("seconds").as("seconds"), functions.countDistinct("shard_id").as("shards"),
                functions.concat_ws(";", functions.array_sort(functions.collect_set("backend"))).as("backend"),
                functions.concat_ws(";", functions.array_sort(functions.collect_set("executor"))).as("executors")).collectAsList()) {
            byCandidate.put(a.getAs("candidate_id"), a);
        }
        return byCandidate;
    }

    private List<Row> evaluations(String runId, Map<String, Candidate> all, Map<String, Row> done, Map<String, Row> aggregated,
                                  Candidate baseline, Network net, MultiplierLibrary library) {
        record E(Candidate c, long correct, long total, double energy, double powerPerMac, String backend, String executors,
                 double seconds) {
            double accuracy() {
                return total == 0 ? 0 : (double) correct / total;
            }
        }
        List<E> list = new ArrayList<>();
        // Candidates evaluated by an earlier run of this run id but not proposed now are kept.
        Map<String, Candidate> everything = new LinkedHashMap<>(all);
        for (Row old : done.values()) {
            String id = old.getAs("candidate_id");
            if (!everything.containsKey(id)) {
                List<String> names = scala.jdk.javaapi.CollectionConverters.asJava(old.<scala.collection.Seq<String>>getAs("assignment"));
                everything.put(id, new Candidate(id, old.<Integer>getAs("generation"), List.copyOf(names)));
            }
        }
        for (Candidate c : everything.values()) {
            Row a = aggregated.get(c.id());
            Row old = done.get(c.id());
            Assignment asg = Assignment.of(c.names().stream().map(n -> n.equals(Assignment.EXACT_FP32) ? null
                    : library.get(n).table()).toList());
            double energy = Energy.relative(net, asg, library);
            double ppm = Energy.powerPerMac(net, asg, library);
            if (a != null) {
                list.add(new E(c, a.getAs("correct"), a.getAs("total"), energy, ppm, a.getAs("backend"), a.getAs("executors"),
                        a.<Double>getAs("seconds")));
            } else if (old != null) {
                list.add(new E(c, old.getAs("correct"), old.getAs("total"), energy, ppm, old.getAs("backend"),
                        old.getAs("executors"), old.<Double>getAs("seconds")));
            }
        }
        double baseAccuracy = list.stream().filter(e -> e.c().id().equals(baseline.id())).findFirst()
                .map(E::accuracy).orElse(Double.NaN);
        // Pareto front: maximise accuracy, minimise energy. Candidates with unknown energy are left off;
        // candidates with equal energy and accuracy are all on it (neither dominates the other).
        List<E> sorted = new ArrayList<>(list.stream().filter(e -> !Double.isNaN(e.energy())).toList());
        sorted.sort(Comparator.comparingDouble(E::energy).thenComparing(Comparator.comparingDouble(E::accuracy).reversed()));
        Set<String> front = new HashSet<>();
        double best = Double.NEGATIVE_INFINITY;
        E last = null;
        for (E e : sorted) {
            boolean tie = last != null && e.energy() == last.energy() && e.accuracy() == last.accuracy();
            if (e.accuracy() > best || tie) {
                front.add(e.c().id());
                best = Math.max(best, e.accuracy());
                last = e;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (E e : list) {
            boolean uniform = e.c().names().stream().filter(n -> !n.equals(Assignment.EXACT_FP32)).distinct().count() <= 1;
            rows.add(new GenericRowWithSchema(new Object[] {runId, e.c().id(), e.c().generation(),
                    scala.jdk.javaapi.CollectionConverters.asScala(e.c().names()).toSeq(), e.correct(), e.total(), e.accuracy(),
                    baseAccuracy - e.accuracy(), nan(e.energy()), nan(e.powerPerMac()), front.contains(e.c().id()), uniform,
                    e.backend(), e.executors(), e.seconds()}, Tables.EVALUATIONS_SCHEMA));
        }
        return rows;
    }

    private void write(TableWriter out, String runId, Timestamp started, Network net, MultiplierLibrary library, LayerRanges ranges,
                       QuantConfig quant, List<Row> evaluations, List<EvaluationRow> rows, int candidates, double seconds,
                       long macs, String modelSource, String dataDir, int images) {
        out.replaceRun(Tables.EVALUATIONS, Tables.EVALUATIONS_SCHEMA, evaluations);
        out.replaceRun(Tables.PARETO, Tables.EVALUATIONS_SCHEMA,
                evaluations.stream().filter(r -> r.<Boolean>getAs("on_pareto_front")).toList());
        List<Row> mult = new ArrayList<>();
        for (MultiplierLibrary.Entry e : library.entries()) {
            ErrorMetrics m = ErrorMetrics.of(e.table());
            mult.add(RowFactory.create(runId, e.name(), e.table().signedness() == Signedness.SIGNED, nan(e.info().power()),
                    nan(e.info().area()), nan(e.info().delay()), library.powerUnit(), m.mae(), m.wce(), m.mre(),
                    m.errorProbability(), m.mse(), m.meanError(), e.info().family(), e.info().parameters(), e.info().source(),
                    e.table().contentSha256()));
        }
        out.replaceRun(Tables.MULTIPLIERS, Tables.MULTIPLIERS_SCHEMA, mult);
        out.replaceRun(Tables.LAYERS, Tables.LAYERS_SCHEMA, layerRows(runId, net, ranges, quant,
                cfg.get(JobConfig.SIGNEDNESS).equals("signed") ? QuantScheme.SIGNED_SYMMETRIC : QuantScheme.UNSIGNED_AFFINE));
        writeRun(out, runId, started, new Timestamp(System.currentTimeMillis()), "finished", net, library, candidates, rows, seconds,
                macs, modelSource, dataDir, images);
    }

    private void writeRun(TableWriter out, String runId, Timestamp started, Timestamp finished, String status, Network net,
                          MultiplierLibrary library, int candidates, List<EvaluationRow> rows, double seconds, long macs,
                          String modelSource, String dataDir, int images) {
        Map<String, Integer> backends = new java.util.TreeMap<>();
        Set<String> executors = new HashSet<>();
        for (EvaluationRow r : rows) {
            backends.merge(r.backend(), 1, Integer::sum);
            executors.add(r.executor());
        }
        StringBuilder config = new StringBuilder("{");
        cfg.resolved().forEach((k, v) -> config.append(config.length() > 1 ? ", " : "").append('"').append(k).append("\": \"")
                .append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        config.append('}');
        out.replaceRun(Tables.RUNS, Tables.RUNS_SCHEMA, List.of(RowFactory.create(runId, started, finished, status, modelSource,
                net.sha256(), dataDir, images, cfg.get(JobConfig.STRATEGY), config.toString(), spark.sparkContext().master(),
                executors.size(), backends.toString(), library.location(), library.version(), candidates, macs, macs, seconds,
                fingerprint(net, library, dataDir, images))));
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
