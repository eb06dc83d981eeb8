package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Racing over shards, resume mid-race, and the validated front, on local Spark with the bundled LeNet-5. */
class RacingTest {
    /** 3 layers x 4 multipliers: 64 assignments, from exact to the very coarse trunc_k10c. */
    private static final String[] SPACE = {"axdse.strategy=exhaustive", "axdse.layers=1,2,3",
        "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_trunc_k10c,mul8u_bam_h4v11"};
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        spark = SmallRun.spark("racing-test");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static SearchJob job(Path out, String runId, String... conf) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=300",
                "axdse.calibration.images=64", "axdse.shard.images=100", "axdse.racing.first-images=100",
                "axdse.validate.images=200"));
        c.addAll(List.of(SPACE));
        c.addAll(List.of(conf));
        return new SearchJob(spark, JobConfig.load(null, c), false, SmallRun.HOME);
    }

    private static Map<String, EvaluationRecord> evaluations(Path out, String runId) {
        Map<String, EvaluationRecord> m = new TreeMap<>();
        for (Row r : new TableWriter(spark, out.toString()).readRun(Tables.EVALUATIONS, runId)) {
            EvaluationRecord e = EvaluationRecord.from(r);
            m.put(e.candidateId(), e);
        }
        return m;
    }

    @Test
    void racingDropsDominatedCandidatesEarlyAndKeepsTheFront(@TempDir Path out) {
        SearchJob.Summary full = job(out, "full").run();
        SearchJob.Summary raced = job(out, "raced", "axdse.racing=true").run();
        Map<String, EvaluationRecord> all = evaluations(out, "full");
        Map<String, EvaluationRecord> race = evaluations(out, "raced");
        assertEquals(64, all.size());
        assertEquals(all.keySet(), race.keySet(), "every candidate has a row, raced out or not");
        long dropped = race.values().stream().filter(e -> e.racedOutRound() >= 0).count();
        assertTrue(dropped >= 10, dropped + " raced out: trunc_k10c and bam_h4v11 are far worse than the rest");
        assertTrue(raced.imageEvaluations() < raced.naiveImageEvaluations(),
                raced.imageEvaluations() + " of " + raced.naiveImageEvaluations());
        assertEquals(64L * 300, full.imageEvaluations(), "without racing every candidate sees every image");
        assertEquals(full.naiveImageEvaluations(), raced.naiveImageEvaluations());
        for (EvaluationRecord e : race.values()) {
            EvaluationRecord whole = all.get(e.candidateId());
            if (e.racedOutRound() < 0) {
                assertEquals(300, e.total(), "survivors see every image");
                assertEquals(whole.correct(), e.correct(), "the same images give the same result");
                assertEquals(whole.onParetoFront(), e.onParetoFront(), "the same front: " + e.candidateId());
            } else {
                assertFalse(e.isUniform(), "uniform assignments are never dropped");
                assertFalse(e.onParetoFront(), "a raced-out candidate is not on the front");
                assertEquals(100L * (e.racedOutRound() + 1), e.total(), "dropped after round " + e.racedOutRound());
                assertTrue(whole.onParetoFront() == false, "racing dropped a member of the true front: " + e.candidateId());
            }
            assertTrue(e.accuracyLow() <= e.accuracy() && e.accuracy() <= e.accuracyHigh(), "interval around the accuracy");
        }
        assertEquals(-1, race.get(raced.baselineId()).racedOutRound(), "the baseline is never dropped");
        Row runs = new TableWriter(spark, out.toString()).readRun(Tables.RUNS, "raced").get(0);
        assertEquals(raced.imageEvaluations(), runs.<Long>getAs("image_evaluations"));
        assertEquals(64L * 300, runs.<Long>getAs("naive_image_evaluations"));
    }

    @Test
    void aRunKilledMidRaceResumesWithTheSameResults(@TempDir Path out) {
        job(out, "whole", "axdse.racing=true").run();
        RuntimeException kill = new IllegalStateException("killed after racing round 0");
        assertThrows(IllegalStateException.class, () -> job(out, "killed", "axdse.racing=true").afterRound(r -> {
            if (r == 0) {
                throw kill;
            }
        }).run());
        Map<String, EvaluationRecord> partial = evaluations(out, "killed");
        assertTrue(partial.values().stream().allMatch(e -> e.total() == 100), "written after the first round");
        SearchJob.Summary resumed = job(out, "killed", "axdse.racing=true").run();
        assertTrue(resumed.evaluatedNow() > 0);
        Map<String, EvaluationRecord> whole = evaluations(out, "whole");
        Map<String, EvaluationRecord> again = evaluations(out, "killed");
        assertEquals(whole.keySet(), again.keySet());
        whole.forEach((id, e) -> {
            EvaluationRecord r = again.get(id);
            assertEquals(List.of(e.correct(), e.total(), (long) e.racedOutRound(), e.onParetoFront() ? 1L : 0L),
                    List.of(r.correct(), r.total(), (long) r.racedOutRound(), r.onParetoFront() ? 1L : 0L), id);
        });
    }

    @Test
    void theFrontIsValidatedOnImagesTheSearchNeverSaw(@TempDir Path out) {
        SearchJob.Summary s = job(out, "v").run();
        assertFalse(s.front().isEmpty());
        List<Row> pareto = new TableWriter(spark, out.toString()).readRun(Tables.PARETO, "v");
        assertEquals(s.front().size(), pareto.size());
        Boolean cheapest = null;
        for (var p : s.front()) {
            var v = p.validation();
            assertEquals(200, v.images());
            assertTrue(v.accuracyLow() <= v.accuracy() && v.accuracy() <= v.accuracyHigh());
            assertTrue(v.dropLow() <= v.drop() && v.drop() <= v.dropHigh());
            if (p.evaluation().candidateId().equals(s.baselineId())) {
                assertEquals(0.0, v.drop(), "the baseline against itself");
            }
            if (cheapest == null) {
                assertNull(v.gainSignificant(), "the cheapest member has no cheaper neighbour");
                cheapest = true;
            }
        }
        for (Row r : pareto) {
            assertEquals(200L, r.<Long>getAs("validation_images"));
        }
        // The validation images are the ones right after the search's, never among them.
        List<ShardSpecView> shards = ShardSpecView.of(ValidationStage.shards(300, 200, 100));
        assertEquals(List.of(new ShardSpecView(300, 400), new ShardSpecView(400, 500)), shards);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> job(out, "too-many", "axdse.validate.images=9701").run());
        assertEquals("axdse.validate.images=9701: " + org.axdse.kernel.data.DataSets.FASHION_MNIST + " has 10000 test images;"
                + " the search uses the first 300 (axdse.images), so at most 9700 are left to validate on", e.getMessage());
    }

    /** A shard's image range. */
    private record ShardSpecView(int from, int to) {
        static List<ShardSpecView> of(List<org.axdse.job.exec.ShardSpec> shards) {
            return shards.stream().map(s -> new ShardSpecView(s.from(), s.to())).toList();
        }
    }
}
