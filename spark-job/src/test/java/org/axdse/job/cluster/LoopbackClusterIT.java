package org.axdse.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.SearchJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/axdse-submit} against a real standalone cluster on loopback (a Master and two Workers with one
 * fake GPU each): results equal a {@code local[1]} run bit for bit, every evaluation records the executor and
 * the GPU it was given (without a CUDA driver: that it ran on the CPU, and why), and a run whose executor is
 * killed mid-way still finishes with the same results and no duplicate rows.
 */
@Tag("cluster")
class LoopbackClusterIT {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path CLUSTER_JAR = HOME.resolve("spark-job/target/axdse-spark-job-0.1.0-SNAPSHOT-cluster.jar");

    @TempDir
    static Path dir;
    private static LoopbackCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LoopbackCluster.startOrSkip(dir, HOME, CLUSTER_JAR, null);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static List<String> conf(Path out, String runId, int images) {
        return List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=" + images, "axdse.shard.images=60",
                "axdse.calibration.images=128", "axdse.library=" + HOME.resolve("luts"), "axdse.strategy=random",
                "axdse.strategy.random.samples=5", "axdse.batch.candidates=2");
    }

    /** Runs submit/axdse-submit on the cluster; returns its exit code. */
    private static Process submit(Path out, String runId, int images, Path log) throws IOException {
        return submit(out, runId, images, log, "");
    }

    private static Process submit(Path out, String runId, int images, Path log, String maxCores) throws IOException {
        return cluster.submit(HOME, CLUSTER_JAR, conf(out, runId, images), log, Map.of("AXDSE_MAX_CORES", maxCores));
    }

    /** Waits up to 5 minutes; a submit that hangs is killed (with its children) so no driver JVM is left behind. */
    static boolean finished(Process p) throws InterruptedException {
        if (p.waitFor(300, TimeUnit.SECONDS)) {
            return true;
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return false;
    }

    static Map<String, Double> localAccuracies(SparkSession spark, Path out, String runId, int images) {
        new SearchJob(spark, JobConfig.load(null, conf(out, runId, images)), false, HOME).run();
        return accuracies(spark, out, runId).accuracy();
    }

    /** One run's evaluations: accuracy, executors and backend by candidate id. */
    record Evaluations(Map<String, Double> accuracy, Map<String, String> executors, Map<String, String> backend) {
    }

    /** Reads a run's evaluations, checking that no candidate has two rows. */
    static Evaluations accuracies(SparkSession spark, Path out, String runId) {
        Map<String, Double> acc = new TreeMap<>();
        Map<String, String> executors = new TreeMap<>();
        Map<String, String> backend = new TreeMap<>();
        List<Row> rows = spark.read().parquet(out.resolve("evaluations").toString() + "/run_id=" + runId).collectAsList();
        assertEquals(rows.size(), rows.stream().map(r -> r.getAs("candidate_id")).distinct().count(), "one row per candidate");
        for (Row r : rows) {
            assertTrue(acc.put(r.getAs("candidate_id"), r.getAs("accuracy")) == null, "duplicate row " + r);
            executors.put(r.getAs("candidate_id"), r.getAs("executors"));
            backend.put(r.getAs("candidate_id"), r.getAs("backend"));
        }
        return new Evaluations(acc, executors, backend);
    }

    @Test
    void clusterResultsEqualALocalRunAndSurviveAKilledExecutor() throws Exception {
        Path clusterOut = dir.resolve("cluster-out");
        Process p = submit(clusterOut, "c1", 300, dir.resolve("submit1.log"));
        assertTrue(finished(p), "submit finished");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("submit1.log")));
        SparkSession reader = SparkSession.builder().master("local[1]").appName("local-reference")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Map<String, Double> local = localAccuracies(reader, dir.resolve("local-out"), "c1", 300);
            Evaluations c1 = accuracies(reader, clusterOut, "c1");
            assertEquals(local, c1.accuracy(), "cluster and local[1] accuracies bit for bit");
            Set<String> executorIds = new HashSet<>();
            for (String e : c1.executors().values()) {
                for (String one : e.split(";")) {
                    executorIds.add(one.substring(0, one.indexOf('@')));
                }
            }
            assertTrue(executorIds.containsAll(Set.of("0", "1")), "both executors worked: " + executorIds);
            // Each executor was given fake GPU 0: without a CUDA driver the tasks run on the CPU and say why (with a
            // real GPU 0 they run on it); the accuracies above equal the CPU-only local run either way.
            boolean cuda = org.axdse.kernel.cuda.CudaRuntime.availability().available();
            assertTrue(c1.backend().values().stream().allMatch(b -> cuda ? b.equals("cuda:0") : b.startsWith("cpu (gpu 0 given: ")),
                    c1.backend().toString());

            // Kill one executor while a longer run is under way: Spark retries its tasks on a new executor.
            Process p2 = submit(clusterOut, "c2", 900, dir.resolve("submit2.log"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            boolean killed = false;
            while (!killed && System.nanoTime() < deadline && p2.isAlive()) {
                Thread.sleep(200);
                if (Files.readString(dir.resolve("submit2.log")).contains("evaluated ")) {
                    List<ProcessHandle> executors = LoopbackCluster.executors();
                    if (!executors.isEmpty()) {
                        killed = executors.get(0).destroyForcibly();
                    }
                }
            }
            assertTrue(finished(p2), "second submit finished");
            assertEquals(0, p2.exitValue(), Files.readString(dir.resolve("submit2.log")));
            assertTrue(killed, "an executor was killed mid-run");
            Map<String, Double> local2 = localAccuracies(reader, dir.resolve("local-out"), "c2", 900);
            assertEquals(local2, accuracies(reader, clusterOut, "c2").accuracy(), "same results after the executor was lost");

            // Scaling figure for the notes: the same job on one executor, then on two.
            double[] seconds = new double[2];
            for (int cores = 1; cores <= 2; cores++) {
                String run = "scale" + cores;
                Process p3 = submit(clusterOut, run, 1800, dir.resolve(run + ".log"), String.valueOf(cores));
                assertTrue(finished(p3), run + " finished");
                assertEquals(0, p3.exitValue(), Files.readString(dir.resolve(run + ".log")));
                Row r = reader.read().parquet(clusterOut.resolve("runs").toString()).where("run_id = '" + run + "'").first();
                seconds[cores - 1] = r.getAs("seconds");
                assertEquals(cores, (int) r.<Integer>getAs("executors"), run + " executors");
                System.out.printf(java.util.Locale.ROOT, "loopback cluster %s: %d executor(s), %.1f s, %.2f G LUT-MAC/s%n", run, cores,
                        seconds[cores - 1], r.<Long>getAs("macs_computed") / seconds[cores - 1] / 1e9);
            }
            assertEquals(accuracies(reader, clusterOut, "scale1").accuracy(), accuracies(reader, clusterOut, "scale2").accuracy());
        } finally {
            reader.stop();
        }
    }
}
