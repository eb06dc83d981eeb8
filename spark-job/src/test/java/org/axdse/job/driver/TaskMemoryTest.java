package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.axdse.job.config.JobConfig;
import org.axdse.job.search.SearchSpace;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.LutProductTable;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;

/**
 * The task-memory estimate on the bundled ResNet-20: two concurrent tasks of 8 candidates (the default batch) exceeded
 * a 6 GiB heap, 4 did not; the estimate must say so before any Spark job, and lower the batch.
 */
class TaskMemoryTest {
    private static final long GIB = 1L << 30;

    private static Network resnet20() {
        return OnnxImporter.load(BundledModels.bytes("resnet20"), BundledModels.source("resnet20"));
    }

    private static SearchSpace everyLayer(Network net, int multipliers) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < multipliers; i++) {
            options.add("m" + i);
        }
        return new SearchSpace(Collections.nCopies(net.layers().size(), options));
    }

    @Test
    void executorsOfEachMaster() {
        SparkConf none = new SparkConf(false);
        assertEquals(new TaskMemory.Executors(2, 6 * GIB, "master local[2]: tasks share the driver JVM's heap (-Xmx;"
                + " submit/axdse: AXDSE_JAVA_OPTS)"), TaskMemory.Executors.of(none, "local[2]", 6 * GIB, 16));
        assertEquals(16, TaskMemory.Executors.of(none, "local[*]", GIB, 16).concurrentTasks());
        assertEquals(1, TaskMemory.Executors.of(none, "local", GIB, 16).concurrentTasks());
        assertEquals(4, TaskMemory.Executors.of(none, "local[4,3]", GIB, 16).concurrentTasks());
        TaskMemory.Executors lc = TaskMemory.Executors.of(none, "local-cluster[2, 3, 1024]", 8 * GIB, 16);
        assertEquals(3, lc.concurrentTasks());
        assertEquals(GIB, lc.heapBytes());
        SparkConf cluster = new SparkConf(false).set("spark.executor.memory", "4g").set("spark.executor.cores", "4")
                .set("spark.task.cpus", "2");
        TaskMemory.Executors c = TaskMemory.Executors.of(cluster, "spark://master:7077", 8 * GIB, 16);
        assertEquals(2, c.concurrentTasks(), "4 cores / 2 cpus per task");
        assertEquals(4 * GIB, c.heapBytes());
        TaskMemory.Executors unset = TaskMemory.Executors.of(none, "spark://master:7077", 8 * GIB, 16);
        assertEquals(1, unset.concurrentTasks());
        assertEquals(GIB, unset.heapBytes(), "Spark's default executor memory");
    }

    /** The estimate's product-table bytes are those the kernels really keep, layer by layer (depthwise included). */
    @Test
    void productTableBytesAreTheKernelsOwn() {
        MultiplierTable exact = MultiplierLibraries.load(SmallRun.HOME.resolve("luts")).exact(Signedness.UNSIGNED).orElseThrow().table();
        for (String model : List.of("resnet20", "mobilenet")) {
            Network net = OnnxImporter.load(BundledModels.bytes(model), BundledModels.source(model));
            for (ApproxLayer l : net.layers()) {
                if (l.kind() != ApproxLayer.Kind.CONV2D) {
                    continue;
                }
                QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, l.weights(), l.geometry().outChannels(), false);
                LutProductTable t = LutProductTable.build(l.geometry(), exact, w, QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1, 3));
                assertEquals(t.bytes(), LutProductTable.cachedBytes(l.geometry()), model + " layer " + l.name());
            }
        }
    }

    @Test
    void resnet20WithEightCandidatesPerTaskDoesNotFitTwoTasksInSixGibButFourDo() {
        Network net = resnet20();
        TaskMemory.Executors local = new TaskMemory.Executors(2, 6 * GIB, "test");
        TaskMemory.Plan plan = TaskMemory.plan(net, everyLayer(net, 29), 250, 8, local);
        System.out.printf("ResNet-20, 250 images per forward batch: %s per candidate and task, %s activations per task;"
                        + " 2 tasks of 8: %s, of %d: %s; usable of 6 GiB: %s%n", TaskMemory.mib(plan.taskBytes(1) - plan.fixedBytes()),
                TaskMemory.mib(plan.fixedBytes()), TaskMemory.mib(plan.executorBytes(8)), plan.fitted(),
                TaskMemory.mib(plan.executorBytes(plan.fitted())), TaskMemory.mib(local.usableBytes()));
        assertTrue(plan.executorBytes(8) > 6 * GIB, "8 candidates per task exceeded a 6 GiB heap");
        assertEquals(4, plan.fitted(), "4 per task ran in it");
        assertEquals(4, TaskMemory.candidatesPerTask(plan));
        // The estimate counts a layer's kernels once per multiplier it may take: 2 allowed multipliers, 2 kernels at most.
        assertEquals(TaskMemory.plan(net, everyLayer(net, 2), 250, 8, local).taskBytes(8), plan.taskBytes(2));
        assertEquals(8, TaskMemory.plan(net, everyLayer(net, 29), 250, 8, new TaskMemory.Executors(2, 16 * GIB, "test")).fitted());

        TaskMemory.Plan tiny = TaskMemory.plan(net, everyLayer(net, 29), 250, 8, new TaskMemory.Executors(2, GIB, "a 1 GiB test heap"));
        assertEquals(0, tiny.fitted());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TaskMemory.candidatesPerTask(tiny));
        assertTrue(e.getMessage().startsWith("task memory: one candidate per task (axdse.batch.candidates=1) with"
                + " axdse.batch.images=250 needs about "), e.getMessage());
        assertTrue(e.getMessage().contains(" x 2 concurrent tasks = ") && e.getMessage().contains("but the heap is 1,024 MiB"
                + " (a 1 GiB test heap)") && e.getMessage().contains("lower axdse.batch.images"), e.getMessage());
    }

    /**
     * The real path: resolving a ResNet-20 run on this JVM (local[2]; the tests' heap is 2 GiB) lowers the batch of 8
     * before any Spark job; a forward batch of 2,000 images does not fit even one candidate and is refused.
     */
    @Test
    void resolvingARunLowersTheBatchOrRefusesIt() {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        SparkSession spark = SmallRun.spark("task-memory-test");
        try {
            Path home = SmallRun.HOME;
            List<String> base = List.of("axdse.model=resnet20", "axdse.images=200", "axdse.calibration.images=16",
                    "axdse.validate.images=0", "axdse.batch.candidates=8", "axdse.batch.images=100", "axdse.shard.images=100");
            ResolvedRun run = new RunResolver(spark, JobConfig.load(null, base), home).resolve();
            Network net = run.network();
            TaskMemory.Plan plan = TaskMemory.plan(net, run.space(), 100, 8, TaskMemory.Executors.of(spark.sparkContext().getConf(),
                    "local[2]", Runtime.getRuntime().maxMemory(), Runtime.getRuntime().availableProcessors()));
            assertTrue(plan.fitted() >= 1 && plan.fitted() < 8, "fitted " + plan.fitted());
            assertEquals(plan.fitted(), run.config().get(JobConfig.BATCH_CANDIDATES));
            assertEquals(plan.fitted(), (int) run.config().get(JobConfig.BATCH_CANDIDATES));

            List<String> huge = new ArrayList<>(base);
            huge.addAll(List.of("axdse.images=2000", "axdse.batch.images=2000", "axdse.shard.images=2000"));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> new RunResolver(spark, JobConfig.load(null, huge), home).resolve());
            assertTrue(e.getMessage().startsWith("task memory: one candidate per task (axdse.batch.candidates=1) with"
                    + " axdse.batch.images=2000 needs about"), e.getMessage());
        } finally {
            spark.stop();
        }
    }
}
