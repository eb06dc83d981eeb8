package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.cuda.CudaRuntime;
import org.axdse.kernel.data.DataSets;
import org.junit.jupiter.api.Test;

/** {@code axdse bench eval}: its options, its table and its JSON line (needs Debian's dataset-fashion-mnist). */
class BenchEvalCommandTest {
    private static String bench(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new BenchCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static double number(String json, String key) {
        return EvalCommandTest.number(json, key);
    }

    @Test
    void tableAndJsonLineWithEveryLayerAndTheShareOutsideTheKernels() {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        String out = bench("eval", "--library", EvalCommandTest.LIBRARY, "--images", "300", "--batch", "64",
                "--threads", "2", "--rounds", "2", "--assign", "mul8u_exact,mul8u_drum_k4,mul8u_exact,exact-fp32,mul8u_exact");
        String[] lines = out.strip().split("\n");
        assertTrue(lines[0].contains("300 images, batch 64, 2 thread(s), backend cpu"), lines[0]);
        assertTrue(lines[1].startsWith("layer name"), lines[1]);
        for (String name : List.of("conv_0", "conv_3", "gemm_6", "gemm_8", "gemm_10")) {
            assertTrue(out.contains(name), name + " in\n" + out);
        }
        assertTrue(out.contains("FP32 operators between layers"), out);
        String fp32Layer = java.util.Arrays.stream(lines).filter(l -> l.startsWith("3 ")).findFirst().orElseThrow();
        assertTrue(fp32Layer.contains("exact-fp32") && fp32Layer.strip().endsWith("-"), fp32Layer);

        String json = lines[lines.length - 1];
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        assertEquals(300, (long) number(json, "images"));
        assertEquals(2, (long) number(json, "round"));
        // Only the layers that use a table count: every MAC of LeNet-5 but gemm_8's 10,080 per image.
        assertEquals(300L * (384_288L - 10_080L), (long) number(json, "lut_macs"));
        double outside = number(json, "outside_lut_share");
        assertTrue(outside > 0 && outside < 1, "outside share " + outside);
        assertTrue(number(json, "g_lut_macs_per_second") > 0, json);
        long correct = (long) number(json, "correct");
        assertTrue(correct > 200 && correct <= 300, "correct " + correct);
    }

    @Test
    void badOptionsAndAMissingDeviceAreOneLineErrors() {
        AxdseException e = assertThrows(AxdseException.class, () -> bench("eval", "--backend", "tpu"));
        assertTrue(e.getMessage().contains("--backend") && e.getMessage().contains("tpu"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> bench("eval", "--rounds", "0"));
        assertTrue(e.getMessage().contains("--rounds"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> bench("eval", "--library", EvalCommandTest.LIBRARY, "--assign", "nope"));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        if (!CudaRuntime.availability().available()) {
            e = assertThrows(AxdseException.class, () -> bench("eval", "--backend", "cuda"));
            assertTrue(e.getMessage().startsWith("bench eval --backend cuda: no usable CUDA device here"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
