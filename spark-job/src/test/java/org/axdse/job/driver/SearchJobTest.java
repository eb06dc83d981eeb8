package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The search job on local Spark, the bundled LeNet-5 and Fashion-MNIST. */
class SearchJobTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("search-job-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SearchJob.Summary run(Path out, String runId, boolean overwrite, String... conf) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=210",
                "axdse.calibration.images=128", "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_kul_d4"));
        c.addAll(List.of(conf));
        return new SearchJob(spark, JobConfig.load(null, c), overwrite, HOME).run();
    }

    private static Map<String, Double> accuracies(Path out, String runId) {
        Map<String, Double> m = new TreeMap<>();
        for (Row r : spark.read().parquet(out.resolve("evaluations").toString()).where("run_id = '" + runId + "'").collectAsList()) {
            m.put(r.getAs("candidate_id"), r.getAs("accuracy"));
        }
        return m;
    }

    @Test
    void accuraciesDoNotDependOnShardingAndTablesAreQueryable(@TempDir Path out) {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        SearchJob.Summary one = run(out, "s1", false, "axdse.shard.images=210", "axdse.strategy=random",
                "axdse.strategy.random.samples=6");
        SearchJob.Summary three = run(out, "s3", false, "axdse.shard.images=70", "axdse.strategy=random",
                "axdse.strategy.random.samples=6", "axdse.batch.candidates=2");
        SearchJob.Summary seven = run(out, "s7", false, "axdse.shard.images=30", "axdse.strategy=random",
                "axdse.strategy.random.samples=6", "axdse.batch.images=17");
        assertEquals(1, one.shards());
        assertEquals(3, three.shards());
        assertEquals(7, seven.shards());
        assertEquals(accuracies(out, "s1"), accuracies(out, "s3"));
        assertEquals(accuracies(out, "s1"), accuracies(out, "s7"));
        assertEquals(7, accuracies(out, "s1").size(), "6 random candidates and the exact baseline");

        spark.read().parquet(out.resolve("evaluations").toString()).createOrReplaceTempView("evaluations");
        spark.read().parquet(out.resolve("pareto").toString()).createOrReplaceTempView("pareto");
        spark.read().parquet(out.resolve("runs").toString()).createOrReplaceTempView("runs");
        spark.read().parquet(out.resolve("layers").toString()).createOrReplaceTempView("layers");
        spark.read().parquet(out.resolve("multipliers").toString()).createOrReplaceTempView("multipliers");
        assertEquals(3L, spark.sql("SELECT count(*) FROM runs").first().getLong(0));
        assertEquals(5L, spark.sql("SELECT count(*) FROM layers WHERE run_id = 's7'").first().getLong(0));
        assertEquals(46L, spark.sql("SELECT count(*) FROM multipliers WHERE run_id = 's1'").first().getLong(0));
        Row baseline = spark.sql("SELECT accuracy_drop, relative_energy FROM evaluations WHERE run_id = 's1' "
                + "AND array_distinct(assignment) = array('mul8u_exact')").first();
        assertEquals(0.0, baseline.getDouble(0));
        assertEquals(1.0, baseline.getDouble(1), 1e-12);
        long frontInEvaluations = spark.sql("SELECT count(*) FROM evaluations WHERE run_id = 's1' AND on_pareto_front").first().getLong(0);
        assertEquals(frontInEvaluations, spark.sql("SELECT count(*) FROM pareto WHERE run_id = 's1'").first().getLong(0));
        // No evaluation on the front is dominated by another one.
        assertEquals(0L, spark.sql("SELECT count(*) FROM pareto p JOIN evaluations e ON p.run_id = e.run_id "
                + "WHERE p.run_id = 's1' AND e.relative_energy <= p.relative_energy AND e.accuracy >= p.accuracy "
                + "AND (e.relative_energy < p.relative_energy OR e.accuracy > p.accuracy)").first().getLong(0));
    }

    @Test
    void rerunningResumesOverwriteReplacesAndAnotherModelIsRefused(@TempDir Path out) throws Exception {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        SearchJob.Summary first = run(out, "r", false, "axdse.strategy=uniform");
        assertEquals(4, first.candidates());
        assertEquals(4, first.evaluatedNow());
        Map<String, Double> before = accuracies(out, "r");

        SearchJob.Summary again = run(out, "r", false, "axdse.strategy=uniform");
        assertEquals(0, again.evaluatedNow(), "everything was evaluated already");
        assertEquals(before, accuracies(out, "r"));

        // Exhaustive over two multipliers: 32 assignments, two of which (the uniform ones) exist already.
        SearchJob.Summary more = run(out, "r", false, "axdse.strategy=exhaustive", "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c");
        assertEquals(34, more.candidates(), "32 proposed now and 2 uniform ones kept from before");
        assertEquals(30, more.evaluatedNow());
        Map<String, Double> after = accuracies(out, "r");
        assertEquals(4 + 30, after.size(), "old and new candidates, each once");
        for (Map.Entry<String, Double> e : before.entrySet()) {
            assertEquals(e.getValue(), after.get(e.getKey()), "kept " + e.getKey());
        }

        SearchJob.Summary replaced = run(out, "r", true, "axdse.strategy=uniform");
        assertEquals(4, replaced.evaluatedNow());
        assertEquals(before, accuracies(out, "r"), "overwrite leaves exactly the new run's rows");

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(out, "r", false, "axdse.images=100"));
        assertTrue(e.getMessage().startsWith("run r exists in ") && e.getMessage().contains("use --overwrite"), e.getMessage());
        assertTrue(e.getMessage().contains("; images was 210, now 100); use --overwrite"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "r", false, "axdse.ranges=per-batch"));
        assertTrue(e.getMessage().contains("ranges was static, now per-batch"), e.getMessage());
        // All-digit run ids are kept apart (1 and 01 are different runs).
        run(out, "1", false, "axdse.strategy=uniform", "axdse.multipliers=mul8u_exact");
        SearchJob.Summary other = run(out, "01", false, "axdse.strategy=uniform");
        assertEquals(4, other.evaluatedNow());
        assertEquals(1, accuracies(out, "1").size());
        assertEquals(4, accuracies(out, "01").size());
    }

    @Test
    void aTableEditedInPlaceIsNeverMixedIntoTheRunThatUsedIt(@TempDir Path out, @TempDir Path luts) throws Exception {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        try (var files = Files.list(HOME.resolve("luts"))) {
            for (Path f : files.toList()) {
                Files.copy(f, luts.resolve(f.getFileName()));
            }
        }
        String library = "axdse.library=" + luts;
        run(out, "t", false, "axdse.strategy=uniform", library);
        Map<String, Double> before = accuracies(out, "t");
        byte[] evaluationsBefore = partitionBytes(out.resolve("evaluations/run_id=t"));

        // One product of mul8u_trunc_k6c changes by 1; library.csv and its version tag stay as they are.
        Path table = luts.resolve("mul8u_trunc_k6c.bin");
        byte[] bytes = Files.readAllBytes(table);
        bytes[2 * (200 * 256 + 200)] ^= 1;
        Files.write(table, bytes);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run(out, "t", false, "axdse.strategy=uniform", library));
        assertTrue(e.getMessage().startsWith("run t in " + out.resolve("evaluations") + ": table mul8u_trunc_k6c (" + table
                + ") changed since the run evaluated it (sha256 was "), e.getMessage());
        assertTrue(e.getMessage().endsWith("use --overwrite to replace the run or choose another axdse.run-id"), e.getMessage());
        assertTrue(java.util.Arrays.equals(evaluationsBefore, partitionBytes(out.resolve("evaluations/run_id=t"))),
                "the refused resume wrote nothing");

        SearchJob.Summary redone = run(out, "t", true, "axdse.strategy=uniform", library);
        assertEquals(4, redone.evaluatedNow(), "--overwrite evaluates every candidate with the tables as they are now");
        String now = org.axdse.kernel.lut.MultiplierLibraries.load(luts).get("mul8u_trunc_k6c").table().contentSha256();
        Row recorded = spark.read().parquet(out.resolve("evaluations").toString())
                .where("run_id = 't' AND array_contains(assignment, 'mul8u_trunc_k6c')").first();
        assertEquals(java.util.Collections.nCopies(5, now), List.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(
                recorded.<scala.collection.Seq<String>>getAs("table_sha256"))), "each layer records its table's hash");

        // A multiplier the run used and the library no longer has.
        Files.writeString(luts.resolve("library.csv"), Files.readAllLines(luts.resolve("library.csv")).stream()
                .filter(l -> !l.startsWith("mul8u_kul_d4,")).collect(java.util.stream.Collectors.joining("\n")));
        e = assertThrows(InvalidInputException.class, () -> run(out, "t", false, "axdse.strategy=uniform", library,
                "axdse.multipliers=mul8u_exact"));
        assertTrue(e.getMessage().contains("was evaluated with multiplier mul8u_kul_d4, which library " + luts
                + " no longer has; use --overwrite"), e.getMessage());
    }

    @Test
    void otherImagesAtTheSamePathAreRefused(@TempDir Path out, @TempDir Path data) throws Exception {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte")) {
            try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(Path.of(DataSets.FASHION_MNIST, f + ".gz")))) {
                Files.write(data.resolve(f), in.readAllBytes());
            }
        }
        run(out, "d", false, "axdse.strategy=uniform", "axdse.multipliers=mul8u_exact", "axdse.data=" + data,
                "axdse.validate.images=0");
        Path images = data.resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        bytes[16 + 400] ^= (byte) 0x80; // a pixel of the first test image
        Files.write(images, bytes);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(out, "d", false, "axdse.strategy=uniform",
                "axdse.multipliers=mul8u_exact", "axdse.data=" + data, "axdse.validate.images=0"));
        assertTrue(e.getMessage().matches("run d exists in .* with other settings that change results \\(data-sha256 was"
                + " [0-9a-f]{16}, now [0-9a-f]{16}\\); use --overwrite .*"), e.getMessage());
    }

    /** The bytes of every file under a folder, in name order. */
    private static byte[] partitionBytes(Path dir) throws java.io.IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                all.writeBytes(f.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                all.writeBytes(Files.readAllBytes(f));
            }
        }
        return all.toByteArray();
    }

    @Test
    void badSearchSettingsFailBeforeAnySparkJob(@TempDir Path out) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.layers=9"));
        assertTrue(e.getMessage().startsWith("axdse.layers: layer 9 does not exist"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.multipliers=mul8u_nope"));
        assertTrue(e.getMessage().startsWith("axdse.multipliers: unknown multiplier 'mul8u_nope'"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.multipliers=mul8s_exact"));
        assertEquals("axdse.multipliers: mul8s_exact is signed but axdse.multipliers.signedness is unsigned", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.strategy=exhaustive",
                "axdse.multipliers=all", "axdse.strategy.exhaustive.max=1000"));
        assertTrue(e.getMessage().contains("the exhaustive space has 20,511,149 assignments (29 x 29 x 29 x 29 x 29)"),
                e.getMessage());
        Path csv = HOME.resolve("luts/library.csv");
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.library=" + csv));
        assertEquals("axdse.library: " + csv + ": a file, not a directory (expected a directory)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.data=" + csv));
        assertEquals("axdse.data: " + csv + ": a file, not a directory (expected a directory)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run(out, "x", false, "axdse.library=" + out.resolve("none")));
        assertEquals("axdse.library: " + out.resolve("none") + ": no such directory (expected a directory)", e.getMessage());
        assertTrue(!Files.exists(out.resolve("runs")), "nothing written");
    }
}
