package org.axdse.kernel.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.OnnxFixtures;
import org.axdse.kernel.TestTables;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.LutKernel;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;
import org.junit.jupiter.api.Test;

/** Approximate forward passes on the PyTorch fixtures: exact tables, prefix reuse, per-batch ranges, errors. */
class ForwardPassTest {
    static Network residual() throws IOException {
        return OnnxFixtures.residual();
    }

    static float[] images(Network net, int n, long seed) {
        return OnnxFixtures.images(net, n, seed);
    }

    @Test
    void exactTablesStayCloseToFp32AndApproximateOnesDoNot() throws IOException {
        Network net = residual();
        float[] x = images(net, 16, 1);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 16, 8);
        ForwardPass fp = new ForwardPass(net, QuantConfig.DEFAULT, ranges);
        int n = net.layers().size();
        float[] fp32 = fp.logits(x, 16, Assignment.uniform(null, n));
        for (Signedness s : Signedness.values()) {
            float[] exact = fp.logits(x, 16, Assignment.uniform(MultiplierTable.exact(s), n));
            float[] noisy = fp.logits(x, 16, Assignment.uniform(TestTables.randomTable(s, 9), n));
            double eExact = rms(exact, fp32);
            double eNoisy = rms(noisy, fp32);
            double scale = rms(fp32, new float[fp32.length]);
            assertTrue(eExact < 0.05 * scale, s + ": 8-bit exact error " + eExact + " vs output scale " + scale);
            assertTrue(eNoisy > 3 * eExact, s + ": approximate error " + eNoisy + " vs exact " + eExact);
        }
    }

    @Test
    void manyAssignmentsReusePrefixesAndGiveTheSameLogitsAsOneByOne() throws IOException {
        Network net = residual();
        float[] x = images(net, 4, 2);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 4, 4);
        MultiplierTable e = MultiplierTable.exact(Signedness.UNSIGNED);
        MultiplierTable r = TestTables.randomTable(Signedness.UNSIGNED, 3).renamed("r");
        List<Assignment> as = new ArrayList<>();
        for (MultiplierTable t3 : new MultiplierTable[] {e, r}) {
            for (MultiplierTable t2 : new MultiplierTable[] {e, r, null}) {
                as.add(Assignment.of(Arrays.asList(e, r, t2, t3)));
            }
        }
        as.add(Assignment.of(Arrays.asList(e, r, null, e))); // a duplicate
        ForwardPass batched = new ForwardPass(net, QuantConfig.DEFAULT, ranges);
        List<float[]> together = batched.logits(x, 4, as);
        for (int i = 0; i < as.size(); i++) {
            float[] alone = new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 4, as.get(i));
            assertArrayEquals(alone, together.get(i), as.get(i).toString());
        }
        assertTrue(batched.macsComputed() < batched.macsNaive(), batched.macsComputed() + " vs " + batched.macsNaive());
        assertNotEquals(Arrays.toString(together.get(0)), Arrays.toString(together.get(1)));
    }

    @Test
    void tablesThatShareANameAreNotConfusedByPrefixReuse() throws IOException {
        Network net = residual();
        float[] x = images(net, 4, 6);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 4, 4);
        MultiplierTable e = MultiplierTable.exact(Signedness.UNSIGNED);
        MultiplierTable impostor = TestTables.randomTable(Signedness.UNSIGNED, 3).renamed(e.name());
        int n = net.layers().size();
        List<float[]> both = new ForwardPass(net, QuantConfig.DEFAULT, ranges)
                .logits(x, 4, List.of(Assignment.uniform(e, n), Assignment.uniform(impostor, n)));
        assertArrayEquals(new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 4, Assignment.uniform(impostor, n)),
                both.get(1));
        assertNotEquals(Assignment.uniform(e, n), Assignment.uniform(impostor, n));
        InvalidInputException ex = assertThrows(InvalidInputException.class, () -> ForwardPass.calibrate(net, x, 6, 4));
        assertTrue(ex.getMessage().startsWith("calibration images: expected at least"), ex.getMessage());
    }

    @Test
    void calibrationIsReproducibleAndIndependentOfBatching() throws IOException {
        Network net = residual();
        float[] x = images(net, 12, 4);
        assertEquals(ForwardPass.calibrate(net, x, 12, 5), ForwardPass.calibrate(net, x, 12, 12));
        LayerRanges r = ForwardPass.calibrate(net, x, 12, 4);
        assertTrue(r.min(1) >= 0f, "layer 1 reads a ReLU output");
        assertTrue(r.max(0) <= 1f && r.min(0) >= -1f, "layer 0 reads the images");
    }

    @Test
    void perBatchRangesFollowEachBatch() throws IOException {
        Network net = residual();
        float[] x = images(net, 8, 5);
        for (int i = 4 * net.inputSize(); i < x.length; i++) {
            x[i] *= 3f; // the second half of the batch has a 3x wider range
        }
        Assignment exact = Assignment.uniform(MultiplierTable.exact(Signedness.UNSIGNED), net.layers().size());
        ForwardPass perBatch = new ForwardPass(net, new QuantConfig(QuantConfig.RangeMode.PER_BATCH, false), null);
        float[] all = perBatch.logits(x, 8, exact);
        float[] firstHalf = perBatch.logits(Arrays.copyOf(x, 4 * net.inputSize()), 4, exact);
        assertNotEquals(Arrays.toString(Arrays.copyOf(all, 16)), Arrays.toString(firstHalf),
                "TFApprox-style ranges depend on the batch");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new ForwardPass(net, QuantConfig.DEFAULT, null).logits(x, 8, exact));
        assertTrue(e.getMessage().contains("static ranges need calibration"), e.getMessage());
    }

    @Test
    void assignmentsAreCheckedAgainstTheLibraryAndTheLayerCount() throws IOException {
        Network net = residual();
        MultiplierLibrary lib = MultiplierLibraries.load(java.nio.file.Path.of("..", "luts"));
        Assignment one = Assignment.parse(List.of("mul8u_drum_k4"), lib, net);
        assertEquals(4, one.tables().size());
        Assignment mixed = Assignment.parse(List.of("mul8u_exact", "exact-fp32", "mul8s_trunc_k6c", "mul8u_kul_d4"), lib, net);
        assertEquals(List.of("mul8u_exact", "exact-fp32", "mul8s_trunc_k6c", "mul8u_kul_d4"), mixed.names());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Assignment.parse(List.of("mul8u_exact", "mul8u_exact"), lib, net));
        assertTrue(e.getMessage().startsWith("assignment: expected 1 multiplier name or 4 (one per approximable layer of residual.onnx), got 2"),
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Assignment.parse(List.of("mul8u_nope"), lib, net));
        assertTrue(e.getMessage().startsWith("unknown multiplier 'mul8u_nope'"), e.getMessage());
    }

    private static double rms(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s / a.length);
    }

    /** A backend that runs the CPU kernels and counts the kernels it built and that were closed, or fails. */
    static final class RecordingBackend implements LutKernels {
        final String failure;
        int built;
        int closed;

        RecordingBackend(String failure) {
            this.failure = failure;
        }

        @Override
        public String name() {
            return "recording";
        }

        private LutKernel wrap(LutKernel k) {
            built++;
            return new LutKernel() {
                @Override
                public void forward(float[] input, int batch, float[] output) {
                    if (failure != null) {
                        throw new IllegalStateException(failure);
                    }
                    k.forward(input, batch, output);
                }

                @Override
                public void close() {
                    closed++;
                }
            };
        }

        @Override
        public LutKernel conv2d(Conv2dGeometry g, MultiplierTable t, QuantizedWeights w, QuantParams a, float[] b) {
            return wrap(LutKernels.cpu().conv2d(g, t, w, a, b));
        }

        @Override
        public LutKernel dense(int in, int out, MultiplierTable t, QuantizedWeights w, QuantParams a, float[] b) {
            return wrap(LutKernels.cpu().dense(in, out, t, w, a, b));
        }
    }

    @Test
    void anotherBackendGivesTheSameLogitsAndItsKernelsAreClosed() throws IOException {
        Network net = residual();
        float[] x = images(net, 4, 7);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 4, 4);
        int n = net.layers().size();
        List<Assignment> as = List.of(Assignment.uniform(MultiplierTable.exact(Signedness.UNSIGNED), n),
                Assignment.uniform(TestTables.randomTable(Signedness.SIGNED, 8), n));
        List<float[]> cpu = new ForwardPass(net, QuantConfig.DEFAULT, ranges).logits(x, 4, as);
        RecordingBackend backend = new RecordingBackend(null);
        try (ForwardPass fp = new ForwardPass(net, QuantConfig.DEFAULT, ranges, backend)) {
            assertEquals("recording", fp.backend().name());
            for (int rep = 0; rep < 2; rep++) { // the second batch reuses the cached kernels
                List<float[]> other = fp.logits(x, 4, as);
                for (int i = 0; i < as.size(); i++) {
                    assertArrayEquals(cpu.get(i), other.get(i), as.get(i).toString());
                }
            }
            assertEquals(2 * n, backend.built, "one kernel per layer and table");
            assertEquals(0, backend.closed);
        }
        assertEquals(2 * n, backend.closed, "close() frees every cached kernel");

        RecordingBackend perBatch = new RecordingBackend(null);
        try (ForwardPass fp = new ForwardPass(net, new QuantConfig(QuantConfig.RangeMode.PER_BATCH, false), null, perBatch)) {
            fp.logits(x, 4, as.get(0));
            fp.logits(x, 4, as.get(0));
            assertEquals(2 * n, perBatch.built, "per-batch ranges: a kernel per layer and batch");
            assertEquals(2 * n, perBatch.closed, "each closed right after its batch");
        }
    }

    @Test
    void aFailingBackendNamesTheLayerAndTheBackend() throws IOException {
        Network net = residual();
        float[] x = images(net, 2, 9);
        LayerRanges ranges = ForwardPass.calibrate(net, x, 2, 2);
        Assignment a = Assignment.uniform(MultiplierTable.exact(Signedness.UNSIGNED), net.layers().size());
        RecordingBackend failing = new RecordingBackend("CUDA_ERROR_LAUNCH_FAILED");
        try (ForwardPass fp = new ForwardPass(net, QuantConfig.DEFAULT, ranges, failing)) {
            AxdseException e = assertThrows(AxdseException.class, () -> fp.logits(x, 2, a));
            ApproxLayer first = net.layers().get(0);
            assertTrue(e.getMessage().startsWith("layer " + first.name() + " (index 0, conv2d, multiplier mul8u_exact) on recording failed: "
                    + "CUDA_ERROR_LAUNCH_FAILED"), e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> new ForwardPass(net, QuantConfig.DEFAULT, ranges, null));
    }
}
