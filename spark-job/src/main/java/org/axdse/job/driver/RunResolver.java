package org.axdse.job.driver;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.config.Selection;
import org.axdse.job.config.SignednessFilter;
import org.axdse.job.config.SparkSettings;
import org.axdse.job.exec.HadoopStorage;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.SearchSpace;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.lut.AxTune;
import org.axdse.kernel.lut.MultiplierInfo;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;

/**
 * Turns validated settings into a {@link ResolvedRun}: reads the library, the model and the data (local or
 * Hadoop paths, relative ones from the project root), adds AxTune's tables, and checks everything that can
 * only be checked against them (multiplier names and signedness, layer indices, the image shape), naming the
 * key or file, before any Spark job.
 */
final class RunResolver {
    /** Validation images of {@code axdse.validate.images=auto}, when the test split has them. */
    static final int AUTO_VALIDATION_IMAGES = 2000;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunResolver.class);

    private final SparkSession spark;
    private final JobConfig cfg;
    private final Path home;

    RunResolver(SparkSession spark, JobConfig cfg, Path home) {
        this.spark = spark;
        this.cfg = cfg;
        this.home = home;
    }

    /** @return the resolved run */
    ResolvedRun resolve() {
        Timestamp started = new Timestamp(System.currentTimeMillis());
        SparkSettings.validate(spark.sparkContext().getConf()); // a bad spark.axdse.* value fails here, named
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        MultiplierLibrary library;
        byte[] modelBytes;
        String modelSource;
        String model = cfg.get(JobConfig.MODEL);
        try {
            library = MultiplierLibraries.load(directory(JobConfig.LIBRARY.name(), local(cfg.get(JobConfig.LIBRARY)), hadoop));
            if (BundledModels.isBundled(model)) {
                modelBytes = BundledModels.bytes(model);
                modelSource = BundledModels.source(model);
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
            library = withTunedTables(library, allowed);
        }
        SearchSpace space = space(allowed, net);
        String data = cfg.get(JobConfig.DATA);
        String dataDir = data.equals("fashion-mnist") ? DataSets.FASHION_MNIST : local(data);
        int images = cfg.get(JobConfig.IMAGES);
        String validate = cfg.get(JobConfig.VALIDATE_IMAGES);
        int validation = validate.equals("auto") ? AUTO_VALIDATION_IMAGES : Integer.parseInt(validate);
        ImageSet check;
        ImageSet calibration;
        try {
            HadoopStorage dataFiles = directory(JobConfig.DATA.name(), dataDir, hadoop);
            // The whole test split: its size decides whether the front can be validated.
            check = DataSets.read(dataFiles, DataSets.Split.TEST, -1, Normalization.UNIT);
            if (check.count() < images) {
                DataSets.read(dataFiles, DataSets.Split.TEST, images, Normalization.UNIT); // fails, saying how many there are
            }
            calibration = DataSets.read(dataFiles, DataSets.Split.TRAIN, cfg.get(JobConfig.CALIBRATION_IMAGES), Normalization.UNIT);
        } catch (IOException e) {
            throw new InvalidInputException(dataDir + ": cannot open the data set (" + e + ")", e);
        }
        if (check.channels() * check.height() * check.width() != net.inputSize()) {
            throw new InvalidInputException(net.source() + " expects " + Arrays.toString(net.inputShape()) + " images, "
                    + dataDir + " has " + check.channels() + "x" + check.height() + "x" + check.width());
        }
        int batch = cfg.get(JobConfig.BATCH_IMAGES);
        if (net.fixedBatch() > 0 && batch != net.fixedBatch()) { // before any Spark job, not in every task
            throw new InvalidInputException(JobConfig.BATCH_IMAGES.name() + "=" + batch + ": " + net.source()
                    + " runs only on batches of " + net.fixedBatch() + " (" + String.join("; ", net.importNotes()) + ")");
        }
        if (check.count() < images + validation) {
            if (validate.equals("auto")) {
                LOG.info("{}: the test split has {} images, not the {} + {} that validating the front needs; no validation",
                        dataDir, check.count(), images, validation);
                validation = 0;
            } else {
                throw new InvalidInputException(JobConfig.VALIDATE_IMAGES.name() + "=" + validation + ": " + dataDir + " has "
                        + check.count() + " test images; the search uses the first " + images + " (" + JobConfig.IMAGES.name()
                        + "), so at most " + Math.max(0, check.count() - images) + " are left to validate on");
            }
        }
        // A forward batch never holds more images than a shard.
        JobConfig fitted = fitCandidateBatch(net, space, Math.min(batch, Math.min(cfg.get(JobConfig.SHARD_IMAGES), images)));
        return new ResolvedRun(fitted, cfg.get(JobConfig.RUN_ID), started, net, modelBytes, modelSource, library, space,
                baseline(library, net, space), dataDir, images, calibration, cfg.quantConfig(), local(cfg.get(JobConfig.OUTPUT)),
                cfg.get(JobConfig.LIST_FILE).isEmpty() ? "" : local(cfg.get(JobConfig.LIST_FILE)), validation,
                ResolvedRun.fingerprint(cfg, net, library, dataDir, ImageDigest.of(check.first(images), calibration), images));
    }

    /**
     * The settings with {@code axdse.batch.candidates} lowered, when needed, to the largest batch whose concurrent tasks
     * fit the executors' heap ({@link TaskMemory}); the batch does not change results, so the fingerprint stays.
     *
     * @throws InvalidInputException when not even one candidate per task fits
     */
    private JobConfig fitCandidateBatch(Network net, SearchSpace space, int imageBatch) {
        TaskMemory.Executors executors = TaskMemory.Executors.of(spark.sparkContext().getConf(), spark.sparkContext().master(),
                Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors());
        int requested = cfg.get(JobConfig.BATCH_CANDIDATES);
        TaskMemory.Plan plan = TaskMemory.plan(net, space, imageBatch, requested, executors);
        int fitted = TaskMemory.candidatesPerTask(plan);
        if (fitted == requested) {
            return cfg;
        }
        LOG.warn("{}={} lowered to {} (task memory): {} concurrent task(s) of {} candidates would need about {}, of {} about {};"
                        + " usable: about {} of the {} heap ({})", JobConfig.BATCH_CANDIDATES.name(), requested, fitted,
                executors.concurrentTasks(), requested, TaskMemory.mib(plan.executorBytes(requested)), fitted,
                TaskMemory.mib(plan.executorBytes(fitted)), TaskMemory.mib(executors.usableBytes()),
                TaskMemory.mib(executors.heapBytes()), executors.source());
        return cfg.with(JobConfig.BATCH_CANDIDATES, fitted);
    }

    /**
     * @return the directory a key names, as storage
     * @throws InvalidInputException naming the key when it is a file or does not exist
     */
    private static HadoopStorage directory(String key, String dir, Configuration hadoop) throws IOException {
        HadoopStorage storage = new HadoopStorage(dir, hadoop);
        String why = storage.notADirectory();
        if (why != null) {
            throw new InvalidInputException(key + ": " + dir + ": " + why + " (expected a directory)");
        }
        return storage;
    }

    /** A local path relative to the project root; absolute paths and URIs as they are. */
    private String local(String spec) {
        if (spec.contains("://") || Path.of(spec).isAbsolute()) {
            return spec;
        }
        return home.resolve(spec).normalize().toString();
    }

    /** The multipliers every approximable layer may take (axdse.multipliers within axdse.multipliers.signedness). */
    private List<String> allowedMultipliers(MultiplierLibrary library) {
        SignednessFilter signedness = cfg.get(JobConfig.SIGNEDNESS);
        Selection<String> names = cfg.get(JobConfig.MULTIPLIERS);
        List<String> allowed = new ArrayList<>();
        if (names.isAll()) {
            for (MultiplierLibrary.Entry e : library.entries()) {
                if (signedness.admits(e.table().signedness())) {
                    allowed.add(e.name());
                }
            }
        } else {
            for (String n : names.items()) {
                MultiplierLibrary.Entry e;
                try {
                    e = library.get(n);
                } catch (InvalidInputException unknown) {
                    throw new InvalidInputException(JobConfig.MULTIPLIERS.name() + ": " + unknown.getMessage(), unknown);
                }
                if (!signedness.admits(e.table().signedness())) {
                    throw new InvalidInputException(JobConfig.MULTIPLIERS.name() + ": " + e.name() + " is "
                            + e.table().signedness().name().toLowerCase(Locale.ROOT) + " but " + JobConfig.SIGNEDNESS.name()
                            + " is " + signedness.spelling());
                }
                allowed.add(e.name());
            }
        }
        if (allowed.isEmpty()) {
            throw new InvalidInputException(JobConfig.SIGNEDNESS.name() + "=" + signedness.spelling() + ": library "
                    + library.location() + " has no such multipliers");
        }
        return allowed;
    }

    /**
     * Adds ALWANN's AxTune-d table of every allowed approximate multiplier to the library and to {@code allowed}
     * (named {@code <name>+tune}; a library that ships its own tuned table keeps it as it is).
     */
    private static MultiplierLibrary withTunedTables(MultiplierLibrary library, List<String> allowed) {
        List<MultiplierLibrary.Entry> tuned = new ArrayList<>();
        for (String name : List.copyOf(allowed)) {
            MultiplierLibrary.Entry e = library.get(name);
            String tunedName = name + AxTune.SUFFIX;
            if (e.table().isExact() || allowed.contains(tunedName)) {
                continue;
            }
            if (!library.contains(tunedName)) {
                MultiplierInfo i = e.info();
                tuned.add(new MultiplierLibrary.Entry(new MultiplierInfo(tunedName, i.file(), i.signedness(), i.power(), i.area(),
                        i.delay(), i.source() + " + AxTune", i.family(), i.parameters()), AxTune.tune(e.table())));
            }
            allowed.add(tunedName);
        }
        return library.with(tuned);
    }

    /** The search space: the allowed multipliers on the layers of axdse.layers, exact FP32 on the others. */
    private SearchSpace space(List<String> allowed, Network net) {
        int n = net.layers().size();
        Selection<Integer> selected = cfg.get(JobConfig.LAYERS);
        Set<Integer> layers = new HashSet<>();
        if (selected.isAll()) {
            for (int i = 0; i < n; i++) {
                layers.add(i);
            }
        } else {
            for (int i : selected.items()) {
                if (i >= n) {
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

    /** The exact 8-bit baseline: the library's exact table on every approximable layer. */
    private Candidate baseline(MultiplierLibrary library, Network net, SearchSpace space) {
        var s = cfg.get(JobConfig.SIGNEDNESS).baseline();
        MultiplierLibrary.Entry exact = library.exact(s).orElseThrow(() -> new InvalidInputException("library "
                + library.location() + " has no exact " + s.name().toLowerCase(Locale.ROOT)
                + " multiplier, needed for the exact 8-bit baseline"));
        List<String> names = new ArrayList<>();
        for (int i = 0; i < net.layers().size(); i++) {
            names.add(space.approximable(i) ? exact.name() : Assignment.EXACT_FP32);
        }
        return Candidate.of(0, names);
    }
}
