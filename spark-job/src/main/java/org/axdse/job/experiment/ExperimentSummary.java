package org.axdse.job.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.axdse.job.config.JobConfig;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ExperimentRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.job.report.ExperimentReport;

/**
 * An experiment's summary in its three forms: table records, Markdown (for the README and the console) with CSV,
 * and the HTML page. Drops are shown in percentage points with their paired interval, energies as relative
 * multiplier energy (exact 8-bit = 1).
 */
final class ExperimentSummary {
    private static final List<String> HEADER = List.of("budget", "method", "relative energy", "saving vs exact",
            "saving vs best uniform", "validated accuracy [interval]", "validated drop, pp [interval]", "multipliers",
            "evaluations", "image-evaluations", "wall", "on " + AlwannExperiment.PROJECTED_EXECUTORS + " executors");

    private final String id;
    private final JobConfig cfg;
    private final List<MethodRun> runs;
    private final List<BudgetChoice> table;
    private final double seconds;

    ExperimentSummary(String id, JobConfig cfg, List<MethodRun> runs, List<BudgetChoice> table, double seconds) {
        this.id = id;
        this.cfg = cfg;
        this.runs = runs;
        this.table = table;
        this.seconds = seconds;
    }

    List<ExperimentRecord> records() {
        List<ExperimentRecord> out = new ArrayList<>();
        for (BudgetChoice c : table) {
            MethodRun r = c.run();
            ParetoRecord p = c.choice();
            EvaluationRecord e = p == null ? null : p.evaluation();
            ParetoRecord.Validation v = p == null ? null : p.validation();
            out.add(new ExperimentRecord(id, c.budget(), r.method().spelling(), r.runId(), e == null ? null : e.candidateId(),
                    e == null ? List.of() : e.assignment(), c.relativeEnergy(), c.savingOverUniform(),
                    e == null ? Double.NaN : e.accuracy(), c.validated(), v == null ? 0 : v.images(),
                    v == null ? Double.NaN : v.accuracy(), v == null ? Double.NaN : v.accuracyLow(),
                    v == null ? Double.NaN : v.accuracyHigh(), c.drop(), v == null ? Double.NaN : v.dropLow(),
                    v == null ? Double.NaN : v.dropHigh(), r.candidates(), r.imageEvaluations(), r.wallSeconds(),
                    r.executorSeconds(), cfg.get(JobConfig.MODEL), cfg.get(JobConfig.LIBRARY)));
        }
        return out;
    }

    /** @return the facts above the table: what was run, with which settings, and how the budgets were judged */
    Map<String, String> facts() {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("model", cfg.get(JobConfig.MODEL));
        f.put("library", cfg.get(JobConfig.LIBRARY) + " (" + cfg.get(JobConfig.SIGNEDNESS).spelling() + " multipliers)");
        long validation = runs.stream().flatMap(r -> r.front().stream()).filter(p -> p.validation() != null)
                .mapToLong(p -> p.validation().images()).max().orElse(0);
        f.put("data", cfg.get(JobConfig.DATA) + ": search on the first " + cfg.get(JobConfig.IMAGES) + " test images, "
                + (validation == 0 ? "no validation (budgets judged on the search images)" : "validation on the next "
                + validation + " (" + pct(cfg.get(JobConfig.RACING_CONFIDENCE))
                + " intervals; drops paired with the exact 8-bit baseline on the same images)"));
        f.put("search", String.format(Locale.ROOT, "NSGA-II, population %d, %s, seed %d; racing %s",
                cfg.get(JobConfig.NSGA2_POPULATION), runs.stream().filter(r -> r.method().isSearch())
                        .map(r -> r.method().spelling() + " " + r.generations() + " generation(s)")
                        .collect(Collectors.joining(", ")), cfg.get(JobConfig.SEED),
                cfg.get(JobConfig.RACING) ? "on (first round " + cfg.get(JobConfig.RACING_FIRST_IMAGES) + " images, correction "
                        + cfg.get(JobConfig.RACING_CORRECTION).spelling() + ")" : "off"));
        f.put("budget rule", "per budget, the cheapest front member whose validated drop (point estimate) is within it;"
                + " savings are 1 - energy / energy of the cheapest uniform assignment within the same budget");
        f.put("time", String.format(Locale.ROOT, "%.1f s in all; the last column projects each run to %d executors from"
                + " its measured task time (driver part as measured + task seconds / %d)", seconds,
                AlwannExperiment.PROJECTED_EXECUTORS, AlwannExperiment.PROJECTED_EXECUTORS));
        return f;
    }

    List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
        for (BudgetChoice c : table) {
            MethodRun r = c.run();
            ParetoRecord p = c.choice();
            List<String> row = new ArrayList<>();
            row.add(String.format(Locale.ROOT, "%.1f pp", 100 * c.budget()));
            row.add(r.method().spelling());
            if (p == null) {
                row.addAll(List.of("none within the budget", "", "", "", "", ""));
            } else {
                ParetoRecord.Validation v = p.validation();
                row.add(String.format(Locale.ROOT, "%.4f", c.relativeEnergy()));
                row.add(pct(1 - c.relativeEnergy()));
                row.add(Double.isNaN(c.savingOverUniform()) ? "n/a" : pct(c.savingOverUniform()));
                row.add(v == null ? String.format(Locale.ROOT, "%.4f (search, not validated)", p.evaluation().accuracy())
                        : String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", v.accuracy(), v.accuracyLow(), v.accuracyHigh()));
                row.add(v == null ? String.format(Locale.ROOT, "%.2f", 100 * c.drop())
                        : String.format(Locale.ROOT, "%.2f [%.2f, %.2f]", 100 * v.drop(), 100 * v.dropLow(), 100 * v.dropHigh()));
                row.add(multipliers(p.evaluation().assignment()));
            }
            row.add(Integer.toString(r.candidates()));
            row.add(String.format(Locale.ROOT, "%,d", r.imageEvaluations()));
            row.add(String.format(Locale.ROOT, "%.0f s", r.wallSeconds()));
            row.add(String.format(Locale.ROOT, "%.0f s", r.projectedSeconds(AlwannExperiment.PROJECTED_EXECUTORS)));
            rows.add(row);
        }
        return rows;
    }

    String markdown() {
        StringBuilder m = new StringBuilder();
        m.append("### Experiment ").append(id).append("\n\n");
        facts().forEach((k, v) -> m.append("* **").append(k).append("**: ").append(v).append('\n'));
        m.append('\n').append(line(HEADER)).append(line(HEADER.stream().map(h -> "---").toList()));
        rows().forEach(r -> m.append(line(r)));
        return m.toString();
    }

    String csv() {
        StringBuilder c = new StringBuilder("budget,method,run_id,candidate_id,relative_energy,saving_over_uniform,"
                + "validated,validation_images,validated_accuracy,validated_accuracy_low,validated_accuracy_high,drop,"
                + "drop_low,drop_high,evaluations,image_evaluations,wall_seconds,executor_seconds,assignment\n");
        for (ExperimentRecord r : records()) {
            c.append(String.join(",", num(r.budget()), r.method(), r.methodRunId(), r.candidateId() == null ? "" : r.candidateId(),
                    num(r.relativeEnergy()), num(r.savingOverUniform()), Boolean.toString(r.validated()),
                    Long.toString(r.validationImages()), num(r.validatedAccuracy()), num(r.validatedAccuracyLow()),
                    num(r.validatedAccuracyHigh()), num(r.drop()), num(r.dropLow()), num(r.dropHigh()),
                    Integer.toString(r.evaluations()), Long.toString(r.imageEvaluations()), num(r.wallSeconds()),
                    num(r.executorSeconds()), String.join(";", r.assignment()))).append('\n');
        }
        return c.toString();
    }

    String html() {
        Map<String, String> links = new LinkedHashMap<>();
        runs.forEach(r -> links.put(r.runId(), r.method().spelling() + ", " + r.candidates() + " candidates"));
        return ExperimentReport.html("AxDSE experiment " + id, facts(), HEADER, rows(), links);
    }

    /** The distinct multipliers of an assignment with their layer counts, most used first (layer order on ties). */
    static String multipliers(List<String> assignment) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        assignment.forEach(a -> counts.merge(a, 1, Integer::sum));
        if (counts.size() == 1) {
            return assignment.get(0) + " (all " + assignment.size() + " layers)";
        }
        return counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue())
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", 100 * fraction);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
