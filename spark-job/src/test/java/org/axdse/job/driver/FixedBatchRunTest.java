package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model that runs only on a fixed batch (issue 17, {@link Network#fixedBatch()}): a real PyTorch export at batch 1
 * without {@code dynamic_axes} whose constant Reshapes cannot be read as the batch axis
 * (src/test/resources/onnx/make_fixed_batch.py). {@code axdse run} with another {@code axdse.batch.images} fails in
 * the driver, before any Spark job and before anything is written, with one line that names the key, the file and
 * what to do, instead of failing in every task.
 */
class FixedBatchRunTest {
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final Path MODEL = HOME.resolve("spark-job/src/test/resources/onnx/fixed_batch_halves.onnx");
    private static SparkSession spark;
    private static final AtomicInteger JOBS = new AtomicInteger();

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("fixed-batch-run-test").config("spark.ui.enabled", "false")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                JOBS.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void theFixtureIsAFixedBatchExportThatCannotBeRebatched() throws Exception {
        Network net = OnnxImporter.load(Files.readAllBytes(MODEL), MODEL.toString());
        assertEquals(1, net.fixedBatch());
        assertEquals(1, net.importNotes().size(), net.importNotes().toString());
    }

    @Test
    void anotherBatchSizeFailsInTheDriverBeforeAnySparkJobNamingTheFileAndWhatToDo(@TempDir Path out) {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        int jobsBefore = JOBS.get();
        JobConfig cfg = JobConfig.load(null, List.of("axdse.output=" + out, "axdse.run-id=fixed", "axdse.model=" + MODEL,
                "axdse.images=100", "axdse.calibration.images=64", "axdse.strategy=uniform", "axdse.multipliers=mul8u_exact"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new SearchJob(spark, cfg, false, HOME).run());
        String m = e.getMessage();
        assertTrue(m.startsWith("axdse.batch.images=250: " + MODEL + " runs only on batches of 1 (exported with a fixed batch"
                + " of 1 (dimension 0 of input input) and fails on other batch sizes: at batch 2, "), m);
        assertTrue(m.endsWith("; re-export with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={'input': {0:"
                + " 'batch'}, 'logits': {0: 'batch'}})) or evaluate with --batch 1)"), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertEquals(jobsBefore, JOBS.get(), "no Spark job ran");
        assertFalse(Files.exists(out.resolve("runs")), "nothing written");
    }
}
