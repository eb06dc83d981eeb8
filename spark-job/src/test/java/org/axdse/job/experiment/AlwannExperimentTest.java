package org.axdse.job.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ALWANN's experiment end to end on a tiny budget: LeNet-5, 200 search images, 200 validation images. */
class AlwannExperimentTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("experiment-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static JobConfig settings(Path out, String... more) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.model=lenet5", "axdse.images=200",
                "axdse.shard.images=100", "axdse.calibration.images=128", "axdse.validate.images=200", "axdse.racing=true",
                "axdse.racing.first-images=50", "axdse.strategy.nsga2.population=4", "axdse.strategy.nsga2.generations=1",
                "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_kul_d4,mul8u_trunc_k10c"));
        c.addAll(List.of(more));
        return JobConfig.load(null, c);
    }

    @Test
    void runsTheThreeMethodsAndWritesTheSummaryEverywhere(@TempDir Path out) throws Exception {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        List<String> log = new ArrayList<>();
        AlwannExperiment.Result r = new AlwannExperiment(spark, settings(out), "exp1", null, false, HOME, log::add).run();

        assertEquals(List.of(Method.UNIFORM, Method.TILED, Method.PER_LAYER), r.runs().stream().map(MethodRun::method).toList());
        assertEquals(List.of("exp1-uniform", "exp1-tiled", "exp1-per-layer"), r.runs().stream().map(MethodRun::runId).toList());
        assertEquals(5, r.runs().get(0).candidates(), "5 uniform assignments, the exact one being the baseline");
        for (MethodRun m : r.runs()) {
            assertTrue(m.executorSeconds() > 0, m.toString());
            assertTrue(m.front().stream().allMatch(p -> p.validation() != null && p.validation().images() == 200), m.toString());
            assertTrue(Files.isRegularFile(out.resolve("reports/" + m.runId() + ".html")), m.runId());
        }
        assertEquals(1, r.runs().get(1).generations());
        assertEquals(9, r.table().size(), "3 budgets x 3 methods");
        for (BudgetChoice c : r.table()) {
            if (c.choice() != null) {
                assertTrue(c.drop() <= c.budget() + BudgetChoice.SLACK, c.toString());
            }
            if (c.run().method() == Method.UNIFORM) {
                assertEquals(0.0, c.savingOverUniform(), 1e-12);
            }
        }

        List<Row> rows = spark.read().parquet(out.resolve("experiments").toString()).where("run_id = 'exp1'").collectAsList();
        assertEquals(9, rows.size());
        String md = Files.readString(out.resolve("reports/exp1.experiment.md"));
        assertEquals(r.markdown(), md);
        assertTrue(md.contains("| 0.5 pp | uniform |") && md.contains("| 2.0 pp | per-layer |"), md);
        assertEquals(10, Files.readAllLines(out.resolve("reports/exp1.experiment.csv")).size(), "header and 9 rows");
        String html = Files.readString(out.resolve("reports/exp1.experiment.html"));
        assertTrue(html.contains("<a href=\"exp1-tiled.html\">"), html);

        // Re-running resumes every run: nothing is evaluated again, and the summary is the same.
        AlwannExperiment.Result again = new AlwannExperiment(spark, settings(out), "exp1", null, false, HOME, log::add).run();
        assertEquals(r.table().stream().map(BudgetChoice::relativeEnergy).toList(),
                again.table().stream().map(BudgetChoice::relativeEnergy).toList());
    }

    @Test
    void aTimeBudgetPlansTheGenerationsFromTheUniformRun(@TempDir Path out) {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        List<String> log = new ArrayList<>();
        // A budget far below what one generation costs: each search runs its initial population only.
        AlwannExperiment.Result r = new AlwannExperiment(spark, settings(out, "axdse.validate.images=0"), "exp2", 0.01,
                false, HOME, log::add).run();
        assertEquals(0, r.runs().get(1).generations());
        assertEquals(0, r.runs().get(2).generations());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("exp2-tiled: 0 generation(s) of 4 fit")), log.toString());
        assertTrue(r.table().stream().noneMatch(BudgetChoice::validated));
    }

    @Test
    void badSettingsFailBeforeAnyRun(@TempDir Path out) {
        JobConfig cfg = settings(out);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new AlwannExperiment(spark, cfg, "bad id", null, false, HOME, s -> { }));
        assertTrue(e.getMessage().startsWith("axdse.run-id"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new AlwannExperiment(spark, cfg, "ok", -1.0, false, HOME, s -> { }));
        assertTrue(e.getMessage().contains("--budget-minutes"), e.getMessage());
        assertTrue(Files.notExists(out.resolve("runs")));
    }
}
