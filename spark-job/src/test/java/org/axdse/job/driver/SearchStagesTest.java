package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.axdse.job.config.JobConfig;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Iterative and staged searches on local Spark: NSGA-II resume by generation, prefix sharing, sensitivity, tune. */
class SearchStagesTest {
    private static final String FOUR = "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_perf_s0n2";
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        spark = SmallRun.spark("search-stages-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static SearchJob job(Path out, String runId, String... conf) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=100",
                "axdse.calibration.images=64", "axdse.shard.images=50"));
        c.addAll(List.of(conf));
        return new SearchJob(spark, JobConfig.load(null, c), false, SmallRun.HOME);
    }

    /** candidate id -> generation:accuracy. */
    private static Map<String, String> evaluations(Path out, String runId) {
        Map<String, String> m = new TreeMap<>();
        for (Row r : new TableWriter(spark, out.toString()).readRun(Tables.EVALUATIONS, runId)) {
            m.put(r.getAs("candidate_id"), r.<Integer>getAs("generation") + ":" + r.<Double>getAs("accuracy"));
        }
        return m;
    }

    @Test
    void aKilledNsga2RunResumesFromItsLastFinishedGenerationWithTheSameResults(@TempDir Path out) {
        killAndResume(out, 5, "axdse.strategy=nsga2", "axdse.strategy.nsga2.population=6", "axdse.strategy.nsga2.generations=4",
                "axdse.layers=1,2,3", FOUR, "axdse.max-drop=0.1");
    }

    @Test
    void aKilledErrorModelRunResumesItsRefinementWithTheSameResults(@TempDir Path out) {
        killAndResume(out, 4, "axdse.strategy=error-model", "axdse.sensitivity=true", "axdse.strategy.error-model.levels=4",
                "axdse.strategy.error-model.refine=3", "axdse.strategy.error-model.refine-generations=3", "axdse.layers=1,2,3", FOUR);
    }

    /** Runs a search whole, then again killed after generation 2 and resumed: the results must be the same. */
    private static void killAndResume(Path out, int generations, String... conf) {
        SearchJob.Summary whole = job(out, "whole", conf).run();
        assertEquals(generations, whole.generations());
        Map<String, String> expected = evaluations(out, "whole");

        RuntimeException kill = new IllegalStateException("killed after generation 2");
        assertThrows(IllegalStateException.class, () -> job(out, "killed", conf).afterStage(g -> {
            if (g == 2) {
                throw kill;
            }
        }).run());
        Map<String, String> partial = evaluations(out, "killed");
        assertTrue(partial.values().stream().allMatch(v -> Integer.parseInt(v.split(":")[0]) <= 2), "written up to generation 2");
        long upToTwo = expected.values().stream().filter(v -> Integer.parseInt(v.split(":")[0]) <= 2).count();
        assertEquals(upToTwo, partial.size(), "every evaluation of generations up to 2 was kept");
        assertEquals("running", new TableWriter(spark, out.toString()).readRun(Tables.RUNS, "killed").get(0).getAs("status"));

        SearchJob.Summary resumed = job(out, "killed", conf).run();
        assertEquals(expected.size() - upToTwo, resumed.evaluatedNow(), "only the later generations are computed");
        assertTrue(resumed.evaluatedNow() > 0, "the kill left work to do");
        assertEquals(expected, evaluations(out, "killed"), "the same candidates, generations and accuracies as without the kill");
        assertEquals("finished", new TableWriter(spark, out.toString()).readRun(Tables.RUNS, "killed").get(0).getAs("status"));
    }

    /**
     * End to end on LeNet-5 with six multipliers, three of them ruinous: seeded with every uniform assignment (the
     * default), each NSGA-II genome's generation 0 holds them all, and its front is never worse than any uniform
     * assignment of the uniform run (same images, so the same accuracies).
     */
    @Test
    void aSeededNsga2FrontIsNeverWorseThanTheBestUniformAssignment(@TempDir Path out) {
        String six = "axdse.multipliers=mul8u_exact,mul8u_trunc_k4c,mul8u_trunc_k6c,mul8u_trunc_k10c,mul8u_bam_h4v11,mul8u_drum_k3";
        SearchJob.Summary uniform = job(out, "uniform", "axdse.strategy=uniform", six, "axdse.validate.images=0").run();
        assertEquals(6, uniform.candidates(), "the exact one is the baseline");
        Map<String, String> uniformRows = evaluations(out, "uniform");
        for (String tiles : List.of("0", "2")) {
            String id = "nsga2-t" + tiles;
            SearchJob.Summary s = job(out, id, "axdse.strategy=nsga2", "axdse.strategy.nsga2.tiles=" + tiles,
                    "axdse.strategy.nsga2.population=6", "axdse.strategy.nsga2.generations=1", six,
                    "axdse.validate.images=0").run();
            Map<String, String> rows = evaluations(out, id);
            for (Map.Entry<String, String> u : uniformRows.entrySet()) {
                assertEquals("0:" + u.getValue().split(":")[1], rows.get(u.getKey()), id + ": uniform " + u.getKey()
                        + " in generation 0 with the uniform run's accuracy");
            }
            for (org.axdse.job.output.ParetoRecord u : uniform.front()) {
                assertTrue(s.front().stream().anyMatch(f -> f.evaluation().accuracy() >= u.evaluation().accuracy()
                        && f.evaluation().relativeEnergy() <= u.evaluation().relativeEnergy()),
                        id + ": uniform " + u.evaluation().candidateId() + " beats the front");
            }
        }
    }

    @Test
    void prefixSharingComputesFewerMacsAndGivesTheSameAccuracies(@TempDir Path out) {
        String[] exhaustive = {"axdse.strategy=exhaustive", "axdse.layers=2,3,4",
                "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4"};
        SearchJob.Summary alone = job(out, "alone", concat(exhaustive, "axdse.batch.candidates=1")).run();
        SearchJob.Summary shared = job(out, "shared", concat(exhaustive, "axdse.batch.candidates=27")).run();
        assertEquals(evaluations(out, "alone"), evaluations(out, "shared"));
        assertEquals(alone.macs(), alone.macsComputed(), "one candidate per task shares nothing");
        assertEquals(alone.macs(), shared.macs());
        // 27 assignments of layers 2..4 in one sorted batch: layers 0 and 1 once (plus once per image batch), layer 2
        // 3 times, layer 3 9 times, layer 4 27 times.
        assertTrue(shared.macsComputed() < 0.6 * shared.macs(), shared.macsComputed() + " of " + shared.macs());
        Row runs = new TableWriter(spark, out.toString()).readRun(Tables.RUNS, "shared").get(0);
        assertEquals(shared.macsComputed(), runs.<Long>getAs("macs_computed"));
        assertEquals(shared.macs(), runs.<Long>getAs("macs_naive"));
    }

    @Test
    void sensitivityStageFeedsTheErrorModelStrategyItsTableAndTheReport(@TempDir Path out) throws Exception {
        SearchJob.Summary s = job(out, "sens", "axdse.strategy=error-model", "axdse.sensitivity=true", FOUR,
                "axdse.strategy.error-model.levels=8", "axdse.strategy.error-model.refine-generations=0").run();
        TableWriter t = new TableWriter(spark, out.toString());
        List<Row> sensitivity = t.readRun(Tables.SENSITIVITY, "sens");
        assertEquals(5 * 4, sensitivity.size(), "5 layers x 4 multipliers");
        String report = java.nio.file.Files.readString(out.resolve("reports/sens.html"));
        assertEquals(sensitivity.size(), report.split("<rect class=\"cell\"", -1).length - 1, "one heat-map cell per row");
        for (Row r : sensitivity) {
            assertTrue(report.contains("data-layer=\"" + r.getAs("layer_name") + "\" data-multiplier=\"" + r.getAs("multiplier")
                    + "\" data-drop=\"" + r.<Double>getAs("accuracy_drop") + "\""), "heat map cell " + r);
            double predicted = r.getAs("predicted_relative_error");
            assertTrue(Double.isFinite(r.<Double>getAs("predicted_accuracy_drop")), r.toString());
            if (r.getAs("multiplier").equals("mul8u_exact")) {
                assertEquals(0.0, r.<Double>getAs("accuracy_drop"), "the exact table alone is the baseline");
                assertEquals(0.0, predicted);
            } else {
                assertTrue(predicted > 0 && Double.isFinite(predicted), r.toString());
            }
        }
        Map<String, String> e = evaluations(out, "sens");
        long stage = e.values().stream().filter(v -> v.startsWith("-1:")).count();
        assertEquals(1 + 5 * 3, stage, "the baseline and each layer alone with each approximate multiplier");
        assertTrue(e.size() > stage, "the error-model strategy proposed candidates after the stage");
        assertTrue(s.candidates() <= stage + 8);
        // Overwriting the run without the stage leaves no sensitivity rows of the replaced run behind.
        List<String> again = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=sens", "axdse.images=100",
                "axdse.calibration.images=64", "axdse.shard.images=50", "axdse.strategy=uniform", FOUR));
        new SearchJob(spark, JobConfig.load(null, again), true, SmallRun.HOME).run();
        assertTrue(t.readRun(Tables.SENSITIVITY, "sens").isEmpty(), "overwritten run has no sensitivity stage");
        // The drop in the sensitivity table is the evaluation's drop.
        for (Row r : sensitivity) {
            String id = r.getAs("candidate_id");
            assertEquals(e.get(id).split(":")[1], String.valueOf(r.<Double>getAs("accuracy")));
        }
    }

    @Test
    void predictedErrorModelAndTuneRunWithoutSensitivity(@TempDir Path out) {
        SearchJob.Summary s = job(out, "pred", "axdse.strategy=error-model", "axdse.tune=true",
                "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4", "axdse.strategy.error-model.levels=6",
                "axdse.strategy.error-model.refine-generations=0").run();
        assertTrue(s.candidates() >= 2 && s.candidates() <= 7, "baseline + at most 6 levels: " + s.candidates());
        TableWriter t = new TableWriter(spark, out.toString());
        Map<String, Double> power = new TreeMap<>();
        for (Row r : t.readRun(Tables.MULTIPLIERS, "pred")) {
            power.put(r.getAs("name"), r.getAs("power"));
        }
        assertEquals(power.get("mul8u_trunc_k6c"), power.get("mul8u_trunc_k6c+tune"), "AxTune keeps the circuit");
        assertEquals(power.get("mul8u_drum_k4"), power.get("mul8u_drum_k4+tune"));
        assertTrue(!power.containsKey("mul8u_exact+tune"), "the exact table needs no tuning");
        assertTrue(t.readRun(Tables.SENSITIVITY, "pred").isEmpty(), "no sensitivity stage");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> l = new ArrayList<>(List.of(a));
        l.addAll(List.of(b));
        return l.toArray(String[]::new);
    }
}
