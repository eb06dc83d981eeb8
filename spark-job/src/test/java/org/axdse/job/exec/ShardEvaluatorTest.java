package org.axdse.job.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.job.SmallRun;
import org.axdse.job.driver.BundledModels;
import org.axdse.job.search.Candidate;
import org.axdse.kernel.cuda.CudaAvailability;
import org.axdse.kernel.cuda.CudaRuntime;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.model.QuantConfig;
import org.junit.jupiter.api.Test;

/**
 * A task that Spark gives a GPU computes the same counts as a CPU-only task and says in its backend what
 * ran it: on a machine without CUDA it runs on the CPU with the reason; when the chosen device fails, it
 * falls back to the CPU.
 */
class ShardEvaluatorTest {
    static JobInputs inputs() throws IOException {
        byte[] model;
        try (InputStream in = BundledModels.class.getResourceAsStream(BundledModels.resource(BundledModels.LENET5))) {
            model = in.readAllBytes();
        }
        Network net = OnnxImporter.load(model, "lenet5");
        ImageSet calibration = DataSets.read(DataSets.FASHION_MNIST, DataSets.Split.TRAIN, 32, Normalization.UNIT);
        LayerRanges ranges = ForwardPass.calibrate(net, calibration.pixels(), 32, 32);
        MultiplierLibrary lib = MultiplierLibraries.load(SmallRun.HOME.resolve("luts"));
        int layers = net.layers().size();
        List<Candidate> batch = new ArrayList<>();
        Map<String, MultiplierTable> tables = new HashMap<>();
        for (String m : List.of("mul8u_exact", "mul8u_drum_k4", "mul8s_trunc_k6c")) {
            tables.put(m, lib.get(m).table());
            batch.add(Candidate.of(0, java.util.Collections.nCopies(layers, m)));
        }
        List<String> mixed = new ArrayList<>(java.util.Collections.nCopies(layers, "mul8u_exact"));
        mixed.set(1, Assignment.EXACT_FP32);
        batch.add(Candidate.of(0, mixed));
        return new JobInputs(model, "lenet5", net.sha256(), tables, ranges, QuantConfig.DEFAULT, "fashion-mnist", 25,
                List.of(batch), Map.of());
    }

    @Test
    void aTaskGivenAGpuGetsTheCpuResultsAndSaysWhatRanIt() throws IOException {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        JobInputs in = inputs();
        ShardSpec shard = new ShardSpec(0, 10, 70);
        List<EvaluationRow> cpu = ShardEvaluator.evaluate(in, 0, shard, GpuSelection.choose(Map.of(), 1, null, null, Map.of()));
        assertTrue(cpu.stream().allMatch(r -> r.backend().equals("cpu")), cpu.toString());

        // Given GPU 0: the real probe decides (no driver here: CPU with the reason; with a GPU: cuda:0).
        CudaAvailability a = CudaRuntime.availability();
        GpuSelection.Choice given = GpuSelection.choose(Map.of("gpu", List.of("0")), 1, CudaRuntime::availability, null, Map.of());
        List<EvaluationRow> withGpu = ShardEvaluator.evaluate(in, 0, shard, given);
        String expected = a.available() ? "cuda:0" : "cpu (gpu 0 given: " + a.reason() + ")";
        assertSame(cpu, withGpu, expected);

        // The chosen device fails to open (ordinal 99 exists nowhere): the task falls back to the CPU.
        List<EvaluationRow> failed = ShardEvaluator.evaluate(in, 0, shard, new GpuSelection.Choice("99", 99, null));
        String reason = a.available() ? "CUDA device 99: expected 0.." + (a.devices() - 1) : "CUDA is not available: " + a.reason();
        assertSame(cpu, failed, "cpu (gpu 99 given: CUDA failed: " + reason);
    }

    /** Same counts and MAC shares as the CPU rows; every backend starts with {@code backendPrefix}. */
    private static void assertSame(List<EvaluationRow> cpu, List<EvaluationRow> other, String backendPrefix) {
        assertEquals(cpu.size(), other.size());
        for (int i = 0; i < cpu.size(); i++) {
            EvaluationRow c = cpu.get(i);
            EvaluationRow o = other.get(i);
            assertEquals(c.candidateId(), o.candidateId());
            assertEquals(c.correct(), o.correct(), c.candidateId() + " correct");
            assertEquals(c.total(), o.total());
            assertEquals(c.macsComputed(), o.macsComputed());
            assertEquals(c.macsNaive(), o.macsNaive());
            assertTrue(o.backend().startsWith(backendPrefix), o.backend() + " vs " + backendPrefix);
        }
        assertEquals(60, cpu.get(0).total());
    }

    @Test
    void anOutOfMemoryErrorInATaskBecomesAnErrorNamingTheSettingsToLower() {
        org.axdse.kernel.AxdseException e = ShardEvaluator.outOfMemory(new OutOfMemoryError("Java heap space"), 8, 250,
                new ShardSpec(1, 300, 600));
        assertEquals("a task ran out of memory (Java heap space) evaluating 8 candidate(s) on test images 300..599 in forward"
                + " batches of 250 images; lower axdse.batch.candidates (each candidate keeps a product table per layer) or"
                + " axdse.batch.images, or give the tasks more heap (spark.executor.memory; local mode: the driver's,"
                + " AXDSE_JAVA_OPTS=-Xmx...)", e.getMessage());
        assertTrue(e.getCause() instanceof OutOfMemoryError);
    }
}
