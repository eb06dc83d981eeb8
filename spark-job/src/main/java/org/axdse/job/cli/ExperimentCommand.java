package org.axdse.job.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.BundledModels;
import org.axdse.job.experiment.AlwannExperiment;
import org.axdse.kernel.AxdseException;

/**
 * {@code axdse experiment alwann [--model NAME|FILE] [--library DIR] [--budget-minutes M] [--id ID] [--config FILE]
 * [--conf axdse.key=value ...] [--overwrite] [--master URL]}: ALWANN's experiment ({@link AlwannExperiment}).
 * The settings come from {@code conf/experiments/alwann-<model>.properties} (for a model file: the ResNet-20 one) or
 * the file {@code --config} names instead, then {@code --model}/{@code --library}, then {@code --conf}.
 */
final class ExperimentCommand {
    static final String USAGE = """
            usage: axdse experiment alwann [--model resnet20|mobilenet|FILE.onnx] [--library DIR] [--budget-minutes M]
                                           [--id ID] [--config FILE] [--conf axdse.key=value ...] [--overwrite] [--master URL]
                   runs <id>-uniform, <id>-tiled and <id>-per-layer and writes the summary per accuracy-drop budget
                   (table experiments, reports/<id>.experiment.{md,csv,html}); settings: conf/experiments/""";

    private final PrintStream out;

    ExperimentCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        if (args.isEmpty() || !args.get(0).equals("alwann")) {
            throw new AxdseException("experiment: expected 'alwann'" + (args.isEmpty() ? "" : ", got '" + args.get(0) + "'")
                    + "\n" + USAGE);
        }
        String model = "resnet20";
        String library = null;
        String id = null;
        Double budget = null;
        Path config = null;
        List<String> overrides = new ArrayList<>();
        boolean overwrite = false;
        String master = null;
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--model" -> model = Sessions.value("experiment", args, ++i, a);
                case "--library" -> library = Sessions.value("experiment", args, ++i, a);
                case "--id" -> id = Sessions.value("experiment", args, ++i, a);
                case "--budget-minutes" -> budget = minutes(Sessions.value("experiment", args, ++i, a));
                case "--config" -> config = Path.of(Sessions.value("experiment", args, ++i, a));
                case "--conf" -> overrides.add(Sessions.value("experiment", args, ++i, a));
                case "--overwrite" -> overwrite = true;
                case "--master" -> master = Sessions.value("experiment", args, ++i, a);
                default -> throw new AxdseException("experiment: unknown option " + a + "\n" + USAGE);
            }
        }
        List<String> settings = new ArrayList<>();
        settings.add(JobConfig.MODEL.name() + "=" + model);
        if (library != null) {
            settings.add(JobConfig.LIBRARY.name() + "=" + library);
        }
        settings.addAll(overrides);
        JobConfig cfg = JobConfig.load(config == null ? defaults(model) : config, settings);
        if (id == null) {
            id = defaultId(cfg.get(JobConfig.MODEL), cfg.get(JobConfig.LIBRARY));
        }
        SparkSession spark = Sessions.start("axdse experiment " + id, master);
        try {
            AlwannExperiment.Result r = new AlwannExperiment(spark, cfg, id, budget, overwrite, AxdseCli.HOME, out::println).run();
            out.println();
            out.print(r.markdown());
            out.println("\nsummary: " + r.output() + "; table experiments/run_id=" + r.id());
        } catch (RuntimeException e) {
            throw Sessions.explainStopped(spark, e);
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** The experiment's own settings file for a bundled model, the ResNet-20 one for a model file. */
    static Path defaults(String model) {
        String name = BundledModels.isBundled(model) && Files.exists(file(model)) ? model : "resnet20";
        return file(name);
    }

    private static Path file(String model) {
        return AxdseCli.HOME.resolve("conf/experiments/alwann-" + model + ".properties");
    }

    /** {@code alwann-<model>-<library folder>}, reduced to the characters a run id may hold. */
    static String defaultId(String model, String library) {
        String m = Path.of(model).getFileName().toString().replaceFirst("\\\\.onnx$", "");
        String l = Path.of(library.replaceFirst("/+$", "")).getFileName().toString();
        return ("alwann-" + m + "-" + l).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static double minutes(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new AxdseException("--budget-minutes: expected a number of minutes, got '" + text + "'");
        }
    }

}
