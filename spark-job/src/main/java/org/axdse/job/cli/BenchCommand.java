package org.axdse.job.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.SearchJob;
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
 * sensitivity stage included. The last lines are one JSON object per strategy.
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
              reference drop; output axdse-out/bench-search (the exhaustive run is resumed from there).""";
    static final String DEFAULT_MULTIPLIERS =
            "mul8u_exact,mul8u_trunc_k4c,mul8u_perf_s0n2,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_trunc_k8c";

    private final PrintStream out;

    BenchCommand(PrintStream out) {
        this.out = out;
    }

    /** One strategy's figures after some evaluations. */
    record Step(int evaluations, double hypervolumeRatio) {
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
        List<String> base = new ArrayList<>(List.of("axdse.output=" + root, "axdse.model=" + o.get("--model", "lenet5"),
                "axdse.library=" + o.get("--library", "luts"),
                "axdse.images=" + o.get("--images", "500"), "axdse.multipliers=" + o.get("--multipliers", DEFAULT_MULTIPLIERS),
                "axdse.layers=" + o.get("--layers", "all"), "axdse.seed=" + o.get("--seed", "1"),
                "axdse.shard.images=" + o.get("--images", "500"), "axdse.batch.candidates=36", "axdse.max-drop=" + maxDrop));
        SparkSession.Builder b = SparkSession.builder().appName("axdse bench search").config("spark.ui.enabled", "false");
        b.master(o.get("--master", System.getProperty("spark.master", "local[*]")));
        SparkSession spark = b.getOrCreate();
        try {
            return bench(spark, root, base, o, referenceDrop);
        } finally {
            spark.stop();
        }
    }

    private int bench(SparkSession spark, String root, List<String> base, Options o, double referenceDrop) {
        TableWriter tables = new TableWriter(spark, root);
        long t0 = System.nanoTime();
        // The exhaustive run is resumed when it exists: its id names the settings it depends on, so other
        // settings never mix with it (a resume would keep the other space's candidates).
        String space = String.join(";", base.stream().filter(c -> c.matches("axdse\\.(model|library|images|multipliers|layers)=.*"))
                .toList());
        String exhaustiveId = "bench-exhaustive-" + Integer.toHexString(space.hashCode());
        SearchJob.Summary ex = run(spark, base, false, exhaustiveId, "axdse.strategy=exhaustive",
                "axdse.strategy.exhaustive.max=2000000");
        double exhaustiveSeconds = (System.nanoTime() - t0) / 1e9;
        List<Row> exhaustive = tables.readRun(Tables.EVALUATIONS, exhaustiveId);
        double baseline = exhaustive.stream().filter(r -> r.getAs("candidate_id").equals(ex.baselineId())).findFirst()
                .map(r -> r.<Double>getAs("accuracy")).orElseThrow(() -> new AxdseException("bench: the exhaustive run "
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
        run(spark, base, true, "bench-nsga2", "axdse.strategy=nsga2", "axdse.strategy.nsga2.population=" + o.get("--population", "24"),
                "axdse.strategy.nsga2.generations=" + o.get("--generations", "14"));
        double nsgaSeconds = (System.nanoTime() - t0) / 1e9;
        List<Row> nsga = tables.readRun(Tables.EVALUATIONS, "bench-nsga2");
        curves.put("nsga2", curve(nsga, refAccuracy, exhaustiveVolume));
        evaluations.put("nsga2", points(nsga, Integer.MAX_VALUE));

        String[] errorModel = {"axdse.strategy=error-model", "axdse.strategy.error-model.levels=" + o.get("--levels", "32"),
                "axdse.strategy.error-model.refine=" + o.get("--refine", "32"),
                "axdse.strategy.error-model.refine-generations=" + o.get("--refine-generations", "8")};
        run(spark, base, true, "bench-error-model", concat(errorModel, "axdse.strategy.error-model.cost=predicted"));
        List<Row> em = tables.readRun(Tables.EVALUATIONS, "bench-error-model");
        curves.put("error-model", curve(em, refAccuracy, exhaustiveVolume));
        evaluations.put("error-model", points(em, Integer.MAX_VALUE));

        run(spark, base, true, "bench-error-model-measured", concat(errorModel, "axdse.sensitivity=true",
                "axdse.strategy.error-model.cost=measured"));
        List<Row> measured = tables.readRun(Tables.EVALUATIONS, "bench-error-model-measured");
        curves.put("error-model-measured", curve(measured, refAccuracy, exhaustiveVolume));
        evaluations.put("error-model-measured", points(measured, Integer.MAX_VALUE));

        out.printf(Locale.ROOT, "search quality on %d assignments (exhaustive run: %.0f s; nsga2 run: %.0f s)%n",
                exhaustive.size(), exhaustiveSeconds, nsgaSeconds);
        out.printf(Locale.ROOT, "hypervolume reference: accuracy %.4f (baseline %.4f - %.3f), relative energy 1.0%n",
                refAccuracy, baseline, referenceDrop);
        out.printf(Locale.ROOT, "  %-22s %11s %12s %s%n", "strategy", "evaluations", "% exhaustive", "hypervolume ratio");
        curves.forEach((name, steps) -> steps.forEach(s -> out.printf(Locale.ROOT, "  %-22s %11d %11.2f%% %.4f%n", name,
                s.evaluations(), 100.0 * s.evaluations() / exhaustive.size(), s.hypervolumeRatio())));
        String html = SearchQualityReport.html(exhaustive.size(), refAccuracy, exhaustivePoints, curvesForReport(curves), evaluations);
        tables.writeText("reports/bench-search.html", html);
        out.println("report: " + tables.path("reports/bench-search.html"));
        curves.forEach((name, steps) -> {
            Step s = steps.get(steps.size() - 1);
            out.printf(Locale.ROOT, "{\"strategy\": \"%s\", \"evaluations\": %d, \"exhaustive_evaluations\": %d,"
                    + " \"hypervolume_ratio\": %.6f}%n", name, s.evaluations(), exhaustive.size(), s.hypervolumeRatio());
        });
        return 0;
    }

    /** Hypervolume ratio after each generation (the sensitivity stage, -1, counts as the first). */
    private static List<Step> curve(List<Row> rows, double refAccuracy, double exhaustiveVolume) {
        int first = rows.stream().mapToInt(r -> r.<Integer>getAs("generation")).min().orElse(0);
        int last = rows.stream().mapToInt(r -> r.<Integer>getAs("generation")).max().orElse(0);
        List<Step> steps = new ArrayList<>();
        for (int g = first; g <= last; g++) {
            List<double[]> p = points(rows, g);
            steps.add(new Step(p.size(), ParetoFront2D.ofPairs(p).hypervolume(refAccuracy, 1.0) / exhaustiveVolume));
        }
        return steps;
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private static Map<String, List<double[]>> curvesForReport(Map<String, List<Step>> curves) {
        Map<String, List<double[]>> m = new LinkedHashMap<>();
        curves.forEach((k, v) -> m.put(k, v.stream().map(s -> new double[] {s.evaluations(), s.hypervolumeRatio()}).toList()));
        return m;
    }

    /** {accuracy, relative energy} of a run's evaluations up to a generation. */
    private static List<double[]> points(List<Row> rows, int maxGeneration) {
        List<double[]> p = new ArrayList<>();
        for (Row r : rows) {
            if (r.<Integer>getAs("generation") <= maxGeneration) {
                Double e = r.getAs("relative_energy");
                p.add(new double[] {r.<Double>getAs("accuracy"), e == null ? Double.NaN : e});
            }
        }
        return p;
    }

    private static SearchJob.Summary run(SparkSession spark, List<String> base, boolean overwrite, String runId, String... conf) {
        List<String> c = new ArrayList<>(base);
        c.add("axdse.run-id=" + runId);
        c.addAll(List.of(conf));
        return new SearchJob(spark, JobConfig.load(null, c), overwrite, AxdseCli.HOME).run();
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
