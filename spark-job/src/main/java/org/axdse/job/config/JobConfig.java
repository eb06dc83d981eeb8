package org.axdse.job.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.model.QuantConfig;

/**
 * The typed configuration of a search job: the only place job keys are read. Sources, later ones
 * overriding earlier ones: the defaults below, a properties file ({@code conf/*.properties}), then
 * {@code --conf axdse.key=value} overrides. Unknown {@code axdse.*} keys and bad values fail here, before
 * any Spark job, naming the key.
 */
public final class JobConfig {
    /** Every key, in documentation order. */
    public static final List<ConfigKey<?>> KEYS = new ArrayList<>();

    /** The model: {@code lenet5} (bundled) or an .onnx path (local or Hadoop). */
    public static final ConfigKey<String> MODEL = key("axdse.model", "lenet5",
            "the model: lenet5, resnet8, resnet20 or mobilenet (bundled) or an .onnx file (local path, hdfs://, s3a://)", ConfigKey.nonEmpty());
    /** The multiplier library directory. */
    public static final ConfigKey<String> LIBRARY = key("axdse.library", "luts",
            "multiplier library directory (local, hdfs://, s3a://); relative paths from the project root", ConfigKey.nonEmpty());
    /** The data set. */
    public static final ConfigKey<String> DATA = key("axdse.data", "fashion-mnist",
            "data set: fashion-mnist (Debian's dataset-fashion-mnist) or an IDX / CIFAR-10 binary directory", ConfigKey.nonEmpty());
    /** Images evaluated. */
    public static final ConfigKey<Integer> IMAGES = key("axdse.images", "2000",
            "evaluate the first N test images", ConfigKey.positiveInt());
    /** Images per shard. */
    public static final ConfigKey<Integer> SHARD_IMAGES = key("axdse.shard.images", "500",
            "images per shard (tasks are candidate batch x shard)", ConfigKey.positiveInt());
    /** Candidates per task. */
    public static final ConfigKey<Integer> BATCH_CANDIDATES = key("axdse.batch.candidates", "8",
            "candidates per task, sorted so neighbours share layer prefixes; lowered before any Spark job to the largest batch whose"
                    + " concurrent tasks fit the executor heap (task memory, conf/README.md)", ConfigKey.positiveInt());
    /** Forward-pass batch. */
    public static final ConfigKey<Integer> BATCH_IMAGES = key("axdse.batch.images", "250",
            "images per forward-pass batch inside a task", ConfigKey.positiveInt());
    /** Calibration images. */
    public static final ConfigKey<Integer> CALIBRATION_IMAGES = key("axdse.calibration.images", "512",
            "static ranges: calibrate on the first N training images", ConfigKey.positiveInt());
    /** Range mode. */
    public static final ConfigKey<QuantConfig.RangeMode> RANGES = key("axdse.ranges", "static",
            "activation ranges: static (calibrated once) or per-batch (TFApprox)",
            ConfigKey.choice(QuantConfig.RangeMode.values(), JobConfig::spelling));
    /** Per-channel weights. */
    public static final ConfigKey<Boolean> PER_CHANNEL = key("axdse.weights.per-channel", "false",
            "quantize weights per output channel instead of per tensor", ConfigKey.bool());
    /** Which tables are candidates. */
    public static final ConfigKey<SignednessFilter> SIGNEDNESS = key("axdse.multipliers.signedness", "unsigned",
            "library tables the search may use: unsigned, signed or any", ConfigKey.choice(SignednessFilter.values()));
    /** Allowed multipliers. */
    public static final ConfigKey<Selection<String>> MULTIPLIERS = key("axdse.multipliers", "all",
            "comma-separated multiplier names every layer may take, or all", ConfigKey.allOrList(name -> name));
    /** Approximable layers. */
    public static final ConfigKey<Selection<Integer>> LAYERS = key("axdse.layers", "all",
            "comma-separated indices of the layers to approximate (others stay exact-fp32), or all",
            ConfigKey.allOrList(ConfigKey.atLeast(0, "all or comma-separated layer indices (integers >= 0)")));
    /** Search strategy. */
    public static final ConfigKey<StrategyKind> STRATEGY = key("axdse.strategy", "uniform",
            "search strategy: uniform, exhaustive, random, list, nsga2 or error-model", ConfigKey.choice(StrategyKind.values()));
    /** Random samples. */
    public static final ConfigKey<Integer> RANDOM_SAMPLES = key("axdse.strategy.random.samples", "50",
            "random: number of seeded assignments", ConfigKey.positiveInt());
    /** Exhaustive limit. */
    public static final ConfigKey<Integer> EXHAUSTIVE_MAX = key("axdse.strategy.exhaustive.max", "10000",
            "exhaustive: refuse when the space has more assignments than this", ConfigKey.positiveInt());
    /** Assignment list file. */
    public static final ConfigKey<String> LIST_FILE = key("axdse.strategy.list.file", "",
            "list: CSV file with one assignment per line (multiplier names in layer order)", s -> s);
    /** NSGA-II population. */
    public static final ConfigKey<Integer> NSGA2_POPULATION = key("axdse.strategy.nsga2.population", "24",
            "nsga2: population size (parents kept and children proposed per generation), at least 2",
            ConfigKey.atLeast(2, "an integer >= 2"));
    /** NSGA-II generations. */
    public static final ConfigKey<Integer> NSGA2_GENERATIONS = key("axdse.strategy.nsga2.generations", "10",
            "nsga2: generations after the initial population (one Spark job each; 0: the initial population only)",
            ConfigKey.nonNegativeInt());
    /** NSGA-II crossover rate. */
    public static final ConfigKey<Double> NSGA2_CROSSOVER = key("axdse.strategy.nsga2.crossover", "0.9",
            "nsga2: probability that a child is a uniform crossover of its two parents", ConfigKey.fraction());
    /** NSGA-II mutation rate. */
    public static final ConfigKey<Double> NSGA2_MUTATION = key("axdse.strategy.nsga2.mutation", "auto",
            "nsga2: per-gene mutation probability; auto = 1 / genome length", ConfigKey.probabilityOrAuto());
    /** ALWANN tiles. */
    public static final ConfigKey<Integer> NSGA2_TILES = key("axdse.strategy.nsga2.tiles", "0",
            "nsga2: 0 = one multiplier gene per layer; T > 0 = ALWANN's tiled genome (T multipliers and a layer-to-tile map)",
            ConfigKey.nonNegativeInt());
    /** NSGA-II's uniform seeds. */
    public static final ConfigKey<UniformSeeding> NSGA2_SEED_UNIFORM = key("axdse.strategy.nsga2.seed-uniform", "on",
            "nsga2: uniform assignments (one multiplier on every layer) in the initial population: on = every allowed multiplier's,"
                    + " or when they outnumber the population one per evenly spaced relative-energy level up to exact's (then"
                    + " random genomes); all = every one even beyond the population (generation 0 grows); off = random genomes only",
            ConfigKey.choice(UniformSeeding.values()));
    /** Error-model levels. */
    public static final ConfigKey<Integer> ERROR_MODEL_LEVELS = key("axdse.strategy.error-model.levels", "32",
            "error-model: number of tolerance levels in the sweep (one candidate each, duplicates dropped)", ConfigKey.positiveInt());
    /** Error-model refinement batch. */
    public static final ConfigKey<Integer> ERROR_MODEL_REFINE = key("axdse.strategy.error-model.refine", "32",
            "error-model: candidates per refinement generation (one-layer neighbours of the measured front)", ConfigKey.nonNegativeInt());
    /** Error-model refinement generations. */
    public static final ConfigKey<Integer> ERROR_MODEL_REFINE_GENERATIONS = key("axdse.strategy.error-model.refine-generations",
            "8", "error-model: refinement generations after the tolerance sweep (0: the sweep only)", ConfigKey.nonNegativeInt());
    /** Error-model cost source. */
    public static final ConfigKey<CostSource> ERROR_MODEL_COST = key("axdse.strategy.error-model.cost", "auto",
            "error-model: per-layer cost of a multiplier: predicted (error model), measured (sensitivity stage) or auto"
                    + " (measured when axdse.sensitivity is on)", ConfigKey.choice(CostSource.values()));
    /** Region of interest. */
    public static final ConfigKey<Double> MAX_DROP = key("axdse.max-drop", "1",
            "accuracy drop of interest against the exact 8-bit baseline: nsga2 ranks candidates that lose more below all"
                    + " others, the error-model refinement does not explore towards them; 1 = no limit", ConfigKey.fraction());
    /** Sensitivity stage. */
    public static final ConfigKey<Boolean> SENSITIVITY = key("axdse.sensitivity", "false",
            "first evaluate each layer alone with each multiplier (others exact); writes the sensitivity table", ConfigKey.bool());
    /** Racing. */
    public static final ConfigKey<Boolean> RACING = key("axdse.racing", "false",
            "race the candidates of each stage over the shards: after each shard, drop those significantly worse (exact paired"
                    + " McNemar test) than a candidate of lower or equal energy; the baseline and uniform assignments are never dropped",
            ConfigKey.bool());
    /** Racing's first shard. */
    public static final ConfigKey<Integer> RACING_FIRST_IMAGES = key("axdse.racing.first-images", "100",
            "racing: images of the first shard (the first round); later rounds add shards of axdse.shard.images",
            ConfigKey.positiveInt());
    /** Racing's confidence. */
    public static final ConfigKey<Double> RACING_CONFIDENCE = key("axdse.racing.confidence", "0.95",
            "racing: probability that a given candidate is never wrongly dropped during a race (Simes over its comparisons,"
                    + " Bonferroni over rounds); also the level of the accuracy intervals", ConfigKey.openFraction());
    /** Racing's correction for multiple comparisons. */
    public static final ConfigKey<RacingCorrection> RACING_CORRECTION = key("axdse.racing.correction", "simes",
            "racing: simes (a front candidate is wrongly dropped with probability at most 1 - confidence) or none (each"
                    + " comparison on its own at the confidence: more early drops, a weaker per-comparison bound)",
            ConfigKey.choice(RacingCorrection.values()));
    /** Validation images. */
    public static final ConfigKey<String> VALIDATE_IMAGES = key("axdse.validate.images", "auto",
            "validate the front and the baseline on N further test images the search never saw (those after the first"
                    + " axdse.images); 0 = off; auto = 2000 when the test split has them, else off", s -> {
                if (!s.equals("auto")) {
                    ConfigKey.nonNegativeInt().apply(s);
                }
                return s;
            });
    /** AxTune. */
    public static final ConfigKey<Boolean> TUNE = key("axdse.tune", "false",
            "also offer ALWANN's AxTune-d table (weight remapping, same hardware) of every allowed approximate multiplier,"
                    + " named <name>+tune", ConfigKey.bool());
    /** Seed. */
    public static final ConfigKey<Long> SEED = key("axdse.seed", "1", "seed of the random and nsga2 strategies and of the error model's noise injection", ConfigKey.anyLong());
    /** Output root. */
    public static final ConfigKey<String> OUTPUT = key("axdse.output", "axdse-out",
            "output root of the Parquet tables (local, hdfs://, s3a://)", ConfigKey.nonEmpty());
    /**
     * Longest run id: it names folders ({@code run_id=ID}, Spark's staging copies) and files ({@code .ID.html.tmp}),
     * and common file systems refuse names over 255 bytes.
     */
    public static final int MAX_RUN_ID = 200;
    /** Run id. */
    public static final ConfigKey<String> RUN_ID = key("axdse.run-id", "",
            "run id (letters, digits, - and _; at most " + MAX_RUN_ID + "); empty: a new one from the start time", s -> {
                if (!s.matches("[A-Za-z0-9_-]*")) {
                    throw new IllegalArgumentException("expected letters, digits, - and _ only");
                }
                if (s.length() > MAX_RUN_ID) {
                    throw new IllegalArgumentException("expected at most " + MAX_RUN_ID + " characters (file systems refuse"
                            + " longer folder names), got " + s.length());
                }
                return s;
            });

    private static <T> ConfigKey<T> key(String name, String def, String doc, java.util.function.Function<String, T> parser) {
        ConfigKey<T> k = new ConfigKey<>(name, def, doc, parser);
        KEYS.add(k);
        return k;
    }

    private final Map<String, String> values;

    private JobConfig(Map<String, String> values) {
        this.values = values;
        for (ConfigKey<?> k : KEYS) {
            k.parse(values.get(k.name()));
        }
        if (get(STRATEGY) == StrategyKind.LIST && get(LIST_FILE).isEmpty()) {
            throw new InvalidInputException(LIST_FILE.name() + ": required by axdse.strategy=list");
        }
        if (get(ERROR_MODEL_COST) == CostSource.MEASURED && !get(SENSITIVITY)) {
            throw new InvalidInputException(ERROR_MODEL_COST.name() + "=measured needs " + SENSITIVITY.name() + "=true");
        }
        if (get(RUN_ID).isEmpty()) {
            values.put(RUN_ID.name(), "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
    }

    /**
     * @param file      a properties file, or null
     * @param overrides {@code axdse.key=value} strings from {@code --conf}
     * @return the validated configuration
     */
    public static JobConfig load(Path file, List<String> overrides) {
        Map<String, String> v = new LinkedHashMap<>();
        for (ConfigKey<?> k : KEYS) {
            v.put(k.name(), k.defaultValue());
        }
        if (file != null) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (NoSuchFileException e) {
                throw new InvalidInputException(file + ": configuration file does not exist", e);
            } catch (IOException | IllegalArgumentException e) {
                throw new InvalidInputException(file + ": cannot read the configuration (" + e.getMessage() + ")", e);
            }
            for (String name : new TreeMap<>(p).keySet().stream().map(Object::toString).toList()) {
                put(v, name, p.getProperty(name), file.toString());
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInputException("--conf " + o + ": expected axdse.key=value");
            }
            String name = o.substring(0, eq).trim();
            if (!name.startsWith("axdse.")) {
                throw new InvalidInputException("--conf " + name + ": only axdse.* keys are job keys (Spark settings go to"
                        + " spark-submit or spark-defaults.conf)");
            }
            put(v, name, o.substring(eq + 1), "--conf");
        }
        return new JobConfig(v);
    }

    private static void put(Map<String, String> v, String name, String value, String source) {
        if (!name.startsWith("axdse.")) {
            return; // Spark and other keys may share the file; they are not ours to check
        }
        if (!v.containsKey(name)) {
            throw new InvalidInputException(source + ": unknown key " + name + " (keys: see conf/README.md)");
        }
        v.put(name, value);
    }

    /**
     * @param key a key
     * @param <T> its type
     * @return its value
     */
    public <T> T get(ConfigKey<T> key) {
        return key.parse(values.get(key.name()));
    }

    /** @return the quantization settings: {@link #RANGES} and {@link #PER_CHANNEL} */
    public QuantConfig quantConfig() {
        return new QuantConfig(get(RANGES), get(PER_CHANNEL));
    }

    /**
     * @param mode a range mode
     * @return how {@link #RANGES} spells it ({@code static}, {@code per-batch})
     */
    public static String spelling(QuantConfig.RangeMode mode) {
        return mode.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** @return the defaults of every key (with a generated run id) */
    public static JobConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param key   a key
     * @param value its new value
     * @param <T>   its type
     * @return a copy of this configuration with the key set, validated as if written in a file
     */
    public <T> JobConfig with(ConfigKey<T> key, T value) {
        return withText(key, key.format(value));
    }

    /**
     * @param key   a key
     * @param value its new value, as written in a configuration (e.g. a command-line option's text)
     * @return a copy of this configuration with the key set (validated like {@code --conf key=value})
     */
    public JobConfig withText(ConfigKey<?> key, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        put(v, key.name(), value, "with");
        return new JobConfig(v);
    }

    /** @return every key and its resolved value, in documentation order (for the runs table) */
    public Map<String, String> resolved() {
        return new LinkedHashMap<>(values);
    }
}
