package org.axdse.job.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.config.UniformSeeding;
import org.axdse.job.driver.SearchJob;
import org.axdse.job.output.ExperimentRecord;
import org.axdse.job.output.Tables;
import org.axdse.job.output.TableWriter;
import org.axdse.kernel.InvalidInputException;

/**
 * ALWANN's experiment as one command: the uniform assignments (with the exact 8-bit baseline), ALWANN's tiled
 * NSGA-II and the per-layer NSGA-II, each an ordinary AxDSE run ({@code <id>-uniform}, {@code <id>-tiled},
 * {@code <id>-per-layer}) with the experiment's settings, so each has its tables, report and validated front;
 * then the summary: for each accuracy-drop budget, the least relative energy each method found within it and the
 * saving over the best uniform assignment ({@link BudgetChoice}), written as the {@value Tables#EXPERIMENTS}
 * table and as {@code reports/<id>.experiment.{md,csv,html}} under the output root.
 *
 * <p>Re-running an experiment id resumes its runs (only missing candidates are evaluated), like {@code axdse run}.
 * With a time budget, each search's generations are planned from the cost per image-evaluation measured in the
 * uniform run ({@link GenerationPlan}).
 */
public final class AlwannExperiment {
    /** The accuracy-drop budgets of the summary: 0.5, 1 and 2 percentage points. */
    public static final List<Double> BUDGETS = List.of(0.005, 0.01, 0.02);
    /** Executors of the cluster the summary projects the wall time to. */
    public static final int PROJECTED_EXECUTORS = 16;

    private final SparkSession spark;
    private final JobConfig base;
    private final String id;
    private final Double budgetMinutes;
    private final boolean overwrite;
    private final Path home;
    private final Consumer<String> log;

    /**
     * @param spark         the session
     * @param base          the experiment's settings (strategy, run id and tiles are set per method)
     * @param id            the experiment id, prefix of its run ids
     * @param budgetMinutes time budget of the whole experiment, or null to run the settings' generations
     * @param overwrite     replace the runs instead of resuming them
     * @param home          project root for relative paths
     * @param log           progress lines for the console
     */
    public AlwannExperiment(SparkSession spark, JobConfig base, String id, Double budgetMinutes, boolean overwrite, Path home,
                            Consumer<String> log) {
        if (budgetMinutes != null && !(budgetMinutes > 0)) {
            throw new InvalidInputException("--budget-minutes: expected a positive number of minutes, got " + budgetMinutes);
        }
        base.with(JobConfig.RUN_ID, runId(id, Method.PER_LAYER)); // the longest run id: checked before any work
        this.spark = spark;
        this.base = base;
        this.id = id;
        this.budgetMinutes = budgetMinutes;
        this.overwrite = overwrite;
        this.home = home;
        this.log = log;
    }

    /**
     * @param id     an experiment id
     * @param method a method
     * @return the id of that method's run
     */
    public static String runId(String id, Method method) {
        return id + "-" + method.spelling();
    }

    /** What the experiment produced. */
    public record Result(String id, List<MethodRun> runs, List<BudgetChoice> table, String markdown, String output) {
    }

    /** @return the experiment's runs and summary, written to the output root */
    public Result run() {
        long t0 = System.nanoTime();
        List<MethodRun> runs = new ArrayList<>();
        double secondsPerImageEvaluation = Double.NaN;
        int uniformAssignments = 1;
        Method[] methods = Method.values();
        for (int m = 0; m < methods.length; m++) {
            Method method = methods[m];
            JobConfig cfg = method.configure(base, runId(id, method));
            if (method.isSearch() && budgetMinutes != null) {
                double left = budgetMinutes * 60 - (System.nanoTime() - t0) / 1e9;
                int population = cfg.get(JobConfig.NSGA2_POPULATION);
                int initial = cfg.get(JobConfig.NSGA2_SEED_UNIFORM) == UniformSeeding.ALL
                        ? Math.max(population, uniformAssignments) : population;
                int generations = GenerationPlan.generations(left, methods.length - m, secondsPerImageEvaluation, population,
                        initial, cfg.get(JobConfig.IMAGES));
                cfg = cfg.with(JobConfig.NSGA2_GENERATIONS, generations);
                log.accept(String.format(java.util.Locale.ROOT, "%s: %d generation(s) of %d fit the %.1f min left (%.2f ms"
                                + " per image-evaluation in the uniform run)", cfg.get(JobConfig.RUN_ID), generations,
                        cfg.get(JobConfig.NSGA2_POPULATION), left / 60, 1e3 * secondsPerImageEvaluation));
            }
            log.accept("running " + cfg.get(JobConfig.RUN_ID) + " (" + method.spelling() + ")");
            SearchJob.Summary s = new SearchJob(spark, cfg, overwrite, home).run();
            // The summary counts stages (the initial population is the first); the key counts the generations after it.
            MethodRun run = new MethodRun(method, s.runId(), s.candidates(), Math.max(0, s.generations() - 1), s.imageEvaluations(),
                    s.naiveImageEvaluations(), s.seconds(), s.evaluationSeconds() + s.validationSeconds(),
                    s.taskSeconds() + s.validationTaskSeconds(), s.front());
            runs.add(run);
            log.accept(String.format(java.util.Locale.ROOT, "%s: %d candidates, %,d image-evaluations in %.1f s",
                    run.runId(), run.candidates(), run.imageEvaluations(), run.wallSeconds()));
            if (method == Method.UNIFORM) {
                secondsPerImageEvaluation = s.evaluationSeconds() / Math.max(1, s.imageEvaluations());
                uniformAssignments = s.candidates(); // the baseline is the exact one's uniform assignment
            }
        }
        List<BudgetChoice> table = BudgetChoice.table(runs, BUDGETS);
        ExperimentSummary summary = new ExperimentSummary(id, base, runs, table, (System.nanoTime() - t0) / 1e9);
        TableWriter tables = new TableWriter(spark, base.get(JobConfig.OUTPUT));
        List<ExperimentRecord> records = summary.records();
        tables.replaceRun(Tables.EXPERIMENTS, id, records);
        String markdown = summary.markdown();
        tables.writeText("reports/" + id + ".experiment.md", markdown);
        tables.writeText("reports/" + id + ".experiment.csv", summary.csv());
        tables.writeText("reports/" + id + ".experiment.html", summary.html());
        return new Result(id, runs, table, markdown, tables.path("reports/" + id + ".experiment.html"));
    }
}
