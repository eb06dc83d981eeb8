package org.axdse.job.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.CostSource;
import org.axdse.job.config.JobConfig;
import org.axdse.job.config.RacingCorrection;
import org.axdse.job.config.StrategyKind;
import org.axdse.job.driver.SearchJob;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.axdse.job.report.SearchQualityReport;
import org.axdse.job.search.ParetoFront2D;
import org.axdse.kernel.AxdseException;

/**
 * {@code axdse bench search}: search quality on a space small enough for exhaustive search. Runs the
 * exhaustive search once (a real run, resumed when it exists), then nsga2 and the error-model strategy (with
 * predicted costs, and with measured costs after the sensitivity stage), and reports each one's hypervolume
 * relative to the exhaustive front's against its number of evaluations, generation by generation.
 *
 * <p>Hypervolume: the area between the front and the reference point (accuracy = exact 8-bit baseline
 * accuracy minus {@code --reference-drop}, relative energy = 1.0), i.e. the useful trade-offs, cheaper than
 * exact and not much worse. Evaluations count every candidate a run evaluated, the baseline and the
 * sensitivity stage included; image-evaluations count the images each evaluated candidate saw (racing stops
 * some early; the front of a raced run is that of its survivors, measured on all their images). The last lines
 * are one JSON object per strategy.
 */
final class BenchCommand {
    static final String USAGE = """
            usage: axdse bench search [--images N] [--multipliers A,B,...] [--layers all|I,J,...] [--model lenet5|FILE.onnx]
                                      [--population P] [--generations G] [--levels L] [--refine R] [--refine-generations G]
                                      [--seed S] [--reference-drop D] [--max-drop D] [--library DIR] [--out ROOT]
                                      [--master URL]
              defaults: 500 images; mul8u_exact, trunc_k4c, perf_s0n2, trunc_k6c, drum_k4, trunc_k8c on the bundled
              LeNet-5's 5 layers (7,776 assignments); nsga2 population 24 x 14 generations; error-model 32 levels,
              then 8 refinement generations of 32; reference drop 0.05; max drop (axdse.max-drop of the searches) =
              reference drop; output axdse-out/bench-search (the exhaustive run is resumed from there).
              Then exhaustive search and every strategy again with racing (axdse.racing, correction none, a first
              round of 50 images, then rounds of 100);
              the JSON lines add image_evaluations and exhaustive_image_evaluations, and for a racing variant of a
              strategy image_evaluations_to_reach_plain_ratio (when its curve first reaches the plain run's ratio).""";
    static final String DEFAULT_MULTIPLIERS =
            "mul8u_exact,mul8u_trunc_k4c,mul8u_perf_s0n2,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_trunc_k8c";

    /** Images per racing round in the racing variants. */
    static final int RACING_ROUND_IMAGES = 100;
    /** Images of the first racing round in the racing variants. */
    static final int RACING_FIRST_IMAGES = 50;

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    /** One strategy's figures after some evaluations. */
    record Step(int evaluations, double hypervolumeRatio, long imageEvaluations) {
    }

    int run(List<String> args) {
        if (!args.isEmpty() && args.get(0).equals("eval")) {
            return new BenchEvalCommand(out).run(args.subList(1, args.size()));
        }
        Options o = new Options("bench", args, Set.of("--images", "--multipliers", "--layers", "--model", "--population",
                "--generations", "--levels", "--refine", "--refine-generations", "--seed", "--reference-drop", "--max-drop",
                "--library", "--out", "--master"), Set.of());
        if (!o.positional("search").get(0).equals("search")) {
            throw new AxdseException("bench: expected 'search' or 'eval', got " + o.positional("search").get(0) + "\n" + USAGE);
        }
        String root = o.get("--out", AxdseCli.HOME.resolve("axdse-out/bench-search").toString());
        double referenceDrop = number("--reference-drop", o.get("--reference-drop", "0.05"));
        if (!(referenceDrop > 0)) {
            throw new AxdseException("bench: --reference-drop: expected a number > 0, got " + referenceDrop);
        }
        if (Double.isInfinite(referenceDrop)) { // the hypervolume's reference point must be finite
            throw new AxdseException("bench: --reference-drop: expected a finite number, got " + referenceDrop);
        }
        double maxDrop = number("--max-drop", o.get("--max-drop", String.valueOf(referenceDrop)));
        JobConfig base = JobConfig.defaults().withText(JobConfig.OUTPUT, root)
                .withText(JobConfig.MODEL, o.get("--model", "lenet5")).withText(JobConfig.LIBRARY, o.get("--library", "luts"))
                .withText(JobConfig.IMAGES, o.get("--images", "500"))
                .withText(JobConfig.MULTIPLIERS, o.get("--multipliers", DEFAULT_MULTIPLIERS))
                .withText(JobConfig.LAYERS, o.get("--layers", "all")).withText(JobConfig.SEED, o.get("--seed", "1"))
                .withText(JobConfig.SHARD_IMAGES, o.get("--images", "500")).with(JobConfig.BATCH_CANDIDATES, 36)
                .with(JobConfig.MAX_DROP, maxDrop);
        // The options of each strategy's run, checked before the first run starts.
        JobConfig nsga2 = base.with(JobConfig.STRATEGY, StrategyKind.NSGA2)
                .withText(JobConfig.NSGA2_POPULATION, o.get("--population", "24"))
                .withText(JobConfig.NSGA2_GENERATIONS, o.get("--generations", "14"));
        JobConfig errorModel = base.with(JobConfig.STRATEGY, StrategyKind.ERROR_MODEL)
                .withText(JobConfig.ERROR_MODEL_LEVELS, o.get("--levels", "32"))
                .withText(JobConfig.ERROR_MODEL_REFINE, o.get("--refine", "32"))
                .withText(JobConfig.ERROR_MODEL_REFINE_GENERATIONS, o.get("--refine-generations", "8"));
        SparkSession.Builder b = SparkSession.builder().appName("axdse bench search").config("spark.ui.enabled", "false");
        String master = o.get("--master", System.getProperty("spark.master", "local[*]"));
        SparkSession spark = Launch.session(b.master(master), master);
        try {
            return bench(spark, root, base, nsga2, errorModel, referenceDrop);
        } finally {
            spark.stop();
        }
    }

    private int bench(SparkSession spark, String root, JobConfig base, JobConfig nsga2, JobConfig errorModel,
                      double referenceDrop) {
        TableWriter tables = new TableWriter(spark, root);
        long t0 = System.nanoTime();
        // The exhaustive run is resumed when it exists: its id names the settings it depends on, so other
        // settings never mix with it (a resume would keep the other space's candidates).
        String space = String.join(";", java.util.stream.Stream.of(JobConfig.MODEL, JobConfig.LIBRARY, JobConfig.IMAGES,
                JobConfig.MULTIPLIERS, JobConfig.LAYERS).map(k -> k.name() + "=" + base.resolved().get(k.name())).toList());
        String exhaustiveId = "bench-exhaustive-" + Integer.toHexString(space.hashCode());
        SearchJob.Summary ex = run(spark, base.with(JobConfig.STRATEGY, StrategyKind.EXHAUSTIVE)
                .with(JobConfig.EXHAUSTIVE_MAX, 2_000_000), false, exhaustiveId);
        double exhaustiveSeconds = (System.nanoTime() - t0) / 1e9;
        List<EvaluationRecord> exhaustive = evaluations(tables, exhaustiveId);
        double baseline = exhaustive.stream().filter(r -> r.candidateId().equals(ex.baselineId())).findFirst()
                .map(EvaluationRecord::accuracy).orElseThrow(() -> new AxdseException("bench: the exhaustive run "
                        + exhaustiveId + " has no row for the exact 8-bit baseline " + ex.baselineId()));
        double refAccuracy = baseline - referenceDrop;
        List<double[]> exhaustivePoints = points(exhaustive, Integer.MAX_VALUE);
        double exhaustiveVolume = ParetoFront2D.ofPairs(exhaustivePoints).hypervolume(refAccuracy, 1.0);
        if (!(exhaustiveVolume > 0)) {
            throw new AxdseException("bench: no assignment of the space is cheaper than exact and within --reference-drop "
                    + referenceDrop + " of the baseline's accuracy " + baseline + ": the exhaustive front has no hypervolume"
                    + " to compare with; raise --reference-drop or change --multipliers");
        }

        Map<String, List<Step>> curves = new LinkedHashMap<>();
        Map<String, List<double[]>> evaluations = new LinkedHashMap<>();
        t0 = System.nanoTime();
        Map<String, JobConfig> strategies = new LinkedHashMap<>();
        strategies.put("nsga2", nsga2);
        strategies.put("error-model", errorModel.with(JobConfig.ERROR_MODEL_COST, CostSource.PREDICTED));
        strategies.put("error-model-measured", errorModel.with(JobConfig.SENSITIVITY, true)
                .with(JobConfig.ERROR_MODEL_COST, CostSource.MEASURED));
        double nsgaSeconds = 0;
        // Every strategy without and with racing; exhaustive search with racing too (the same space).
        for (boolean racing : new boolean[] {false, true}) {
            Map<String, JobConfig> runs = new LinkedHashMap<>();
            if (racing) {
                runs.put("exhaustive", base.with(JobConfig.STRATEGY, StrategyKind.EXHAUSTIVE).with(JobConfig.EXHAUSTIVE_MAX, 2_000_000));
            }
            runs.putAll(strategies);
            for (Map.Entry<String, JobConfig> r : runs.entrySet()) {
                String name = r.getKey() + (racing ? "+racing" : "");
                String runId = "bench-" + name.replace('+', '-');
                long t1 = System.nanoTime();
                // Racing runs race per comparison, a first round of 50 images, then rounds of 100.
                JobConfig c = racing ? r.getValue().with(JobConfig.RACING, true).with(JobConfig.SHARD_IMAGES, RACING_ROUND_IMAGES)
                        .with(JobConfig.RACING_FIRST_IMAGES, RACING_FIRST_IMAGES)
                        .with(JobConfig.RACING_CORRECTION, RacingCorrection.NONE) : r.getValue();
                run(spark, c, true, runId);
                if (name.equals("nsga2")) {
                    nsgaSeconds = (System.nanoTime() - t1) / 1e9;
                }
                List<EvaluationRecord> rows = evaluations(tables, runId);
                curves.put(name, curve(rows, refAccuracy, exhaustiveVolume));
                evaluations.put(name, points(rows, Integer.MAX_VALUE));
            }
        }
        long exhaustiveImages = exhaustive.stream().mapToLong(EvaluationRecord::total).sum();

        out.printf(Locale.ROOT, "search quality on %d assignments (exhaustive run: %.0f s; nsga2 run: %.0f s)%n",
                exhaustive.size(), exhaustiveSeconds, nsgaSeconds);
        out.printf(Locale.ROOT, "hypervolume reference: accuracy %.4f (baseline %.4f - %.3f), relative energy 1.0%n",
                refAccuracy, baseline, referenceDrop);
        out.printf(Locale.ROOT, "  %-28s %11s %12s %17s %s%n", "strategy", "evaluations", "% exhaustive", "hypervolume ratio",
                "% exhaustive image-evaluations");
        curves.forEach((name, steps) -> steps.forEach(s -> out.printf(Locale.ROOT, "  %-28s %11d %11.2f%% %17.4f %.2f%%%n", name,
                s.evaluations(), 100.0 * s.evaluations() / exhaustive.size(), s.hypervolumeRatio(),
                100.0 * s.imageEvaluations() / exhaustiveImages)));
        String html = SearchQualityReport.html(exhaustive.size(), refAccuracy, exhaustivePoints, curvesForReport(curves), evaluations);
        tables.writeText("reports/bench-search.html", html);
        out.println("report: " + tables.path("reports/bench-search.html"));
        curves.forEach((name, steps) -> {
            Step s = steps.get(steps.size() - 1);
            // A racing variant against its plain strategy: the image-evaluations at which it first reaches the plain
            // run's final ratio (-1: never).
            List<Step> plain = name.endsWith("+racing") ? curves.get(name.substring(0, name.length() - 7)) : null;
            String reach = "";
            if (plain != null) {
                double target = plain.get(plain.size() - 1).hypervolumeRatio();
                long at = steps.stream().filter(t -> t.hypervolumeRatio() >= target).mapToLong(Step::imageEvaluations)
                        .findFirst().orElse(-1);
                reach = String.format(Locale.ROOT, ", \"image_evaluations_to_reach_plain_ratio\": %d", at);
            }
            out.printf(Locale.ROOT, "{\"strategy\": \"%s\", \"evaluations\": %d, \"exhaustive_evaluations\": %d,"
                    + " \"hypervolume_ratio\": %.6f, \"image_evaluations\": %d, \"exhaustive_image_evaluations\": %d%s}%n", name,
                    s.evaluations(), exhaustive.size(), s.hypervolumeRatio(), s.imageEvaluations(), exhaustiveImages, reach);
        });
        return 0;
    }

    /** Hypervolume ratio after each generation (the sensitivity stage, -1, counts as the first). */
    private static List<Step> curve(List<EvaluationRecord> rows, double refAccuracy, double exhaustiveVolume) {
        int first = rows.stream().mapToInt(EvaluationRecord::generation).min().orElse(0);
        int last = rows.stream().mapToInt(EvaluationRecord::generation).max().orElse(0);
        List<Step> steps = new ArrayList<>();
        for (int g = first; g <= last; g++) {
            int upTo = g;
            List<double[]> p = points(rows, g);
            long images = rows.stream().filter(r -> r.generation() <= upTo).mapToLong(EvaluationRecord::total).sum();
            int evaluated = (int) rows.stream().filter(r -> r.generation() <= upTo).count();
            steps.add(new Step(evaluated, ParetoFront2D.ofPairs(p).hypervolume(refAccuracy, 1.0) / exhaustiveVolume, images));
        }
        return steps;
    }

    private static Map<String, List<double[]>> curvesForReport(Map<String, List<Step>> curves) {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        curves.forEach((k, v) -> m.put(k, v.stream().map(s -> new double[] {s.evaluations(), s.hypervolumeRatio()}).toList()));
        return m;
    }

    /**
     * {accuracy, relative energy} of a run's evaluations up to a generation; raced-out ones are left out (the front
     * of a raced run is that of its survivors, measured on all their images).
     */
    private static List<double[]> points(List<EvaluationRecord> rows, int maxGeneration) {
        List<double[]> p = new ArrayList<>();
        for (EvaluationRecord r : rows) {
            if (r.generation() <= maxGeneration && r.racedOutRound() < 0) {
                p.add(new double[] {r.accuracy(), r.relativeEnergy()});
            }
        }
        return p;
    }

    private static List<EvaluationRecord> evaluations(TableWriter tables, String runId) {
        return tables.readRun(Tables.EVALUATIONS, runId).stream().map(EvaluationRecord::from).toList();
    }

    private static SearchJob.Summary run(SparkSession spark, JobConfig config, boolean overwrite, String runId) {
        return new SearchJob(spark, config.withText(JobConfig.RUN_ID, runId), overwrite, AxdseCli.HOME).run();
    }

    private static double number(String option, String text) {
        try {
            double v = Double.parseDouble(text);
            if (!(v >= 0)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AxdseException("bench: " + option + ": expected a non-negative number, got '" + text + "'");
        }
    }
}
