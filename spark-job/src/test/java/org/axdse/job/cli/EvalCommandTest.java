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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Network;
import org.junit.jupiter.api.Test;

/** The bundled LeNet-5 on Fashion-MNIST through {@code axdse eval} (needs Debian's dataset-fashion-mnist). */
class EvalCommandTest {
    static final String LIBRARY = Path.of("..", "luts").toString();

    private static String eval(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new EvalCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\": (-?[0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theBundledModelIsTheTfApproxLeNet() {
        Network net = BundledModel.load(BundledModel.NAME);
        assertEquals(List.of("Conv", "Conv", "Gemm", "Gemm", "Gemm"), net.layers().stream().map(ApproxLayer::opType).toList());
        assertEquals(List.of(36_504L, 104_544L, 232_320L, 10_080L, 840L),
                net.layers().stream().map(ApproxLayer::macsPerImage).toList());
        assertEquals(384_288L, net.macsPerImage());
    }

    @Test
    void fp32AccuracyAndExactAndApproximateTables() {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        String exact = eval("--library", LIBRARY, "--assign", "mul8u_exact");
        double fp32 = number(exact, "fp32_accuracy");
        assertTrue(fp32 >= 0.88, "FP32 test accuracy " + fp32);
        assertEquals(10_000, (long) number(exact, "total"));
        assertEquals(3_842_880_000L, (long) number(exact, "lut_macs"));
        double exactAccuracy = number(exact, "accuracy");
        assertTrue(Math.abs(fp32 - exactAccuracy) <= 0.01, "8-bit exact " + exactAccuracy + " vs FP32 " + fp32);
        assertEquals(1.0, number(exact, "relative_energy"), 1e-12);

        String signed = eval("--library", LIBRARY, "--assign", "mul8s_exact", "--images", "2000");
        assertTrue(Math.abs(number(signed, "fp32_accuracy") - number(signed, "accuracy")) <= 0.01, signed);
        assertEquals(1.0, number(signed, "relative_energy"), 1e-12, "all-exact is 1.0 for signed tables too");

        String oneThread = eval("--library", LIBRARY, "--assign", "mul8u_trunc_k8c", "--images", "1100", "--ranges", "per-batch",
                "--threads", "1");
        String threeThreads = eval("--library", LIBRARY, "--assign", "mul8u_trunc_k8c", "--images", "1100", "--ranges", "per-batch",
                "--threads", "3");
        assertEquals(number(oneThread, "correct"), number(threeThreads, "correct"), "per-batch ranges see the same batches");

        String drum = eval("--library", LIBRARY, "--assign", "mul8u_drum_k4", "--images", "2000");
        assertTrue(number(drum, "accuracy") < number(drum, "fp32_accuracy") - 0.05, drum);
        assertEquals(0.5808, number(drum, "relative_energy"), 1e-9);

        String mixed = eval("--library", LIBRARY, "--assign", "mul8u_exact,mul8u_exact,mul8u_trunc_k6c,exact-fp32,exact-fp32",
                "--images", "500");
        double expectedEnergy = (36_504 + 104_544 + 232_320 * 0.6821 + 10_080 + 840) / 384_288.0;
        assertEquals(expectedEnergy, number(mixed, "relative_energy"), 1e-6);
        assertTrue(mixed.contains("\"multiplier\": \"mul8u_trunc_k6c\""), mixed);
        assertTrue(mixed.contains("\"zero_point\": "), mixed);
        assertEquals(500L * (36_504 + 104_544 + 232_320), (long) number(mixed, "lut_macs"), "only the layers with a table count");
        String fp32Only = eval("--library", LIBRARY, "--assign", "exact-fp32", "--images", "100");
        assertEquals(0L, (long) number(fp32Only, "lut_macs"), "no layer uses a table");
    }

    @Test
    void theBundledResNet8ExercisesBatchNormFoldingAndResidualAdds() {
        Network net = BundledModel.load(org.axdse.job.driver.BundledModels.RESNET8);
        assertEquals(10, net.layers().size(), "9 convolutions (BN folded) and the dense layer");
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        String exact = eval("--model", "resnet8", "--library", LIBRARY, "--assign", "mul8u_exact", "--images", "2000");
        double fp32 = number(exact, "fp32_accuracy");
        assertTrue(fp32 >= 0.86, "ResNet-8 FP32 accuracy on 2000 test images " + fp32);
        assertTrue(Math.abs(fp32 - number(exact, "accuracy")) <= 0.01, exact);
    }

    @Test
    void badAssignmentsFailBeforeAnyWork() {
        AxdseException e = assertThrows(AxdseException.class, () -> eval("--library", LIBRARY, "--assign", "mul8u_exact,mul8u_exact"));
        assertTrue(e.getMessage().startsWith("assignment: expected 1 multiplier name or 5"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> eval("--library", LIBRARY, "--assign", "mul8u_L40"));
        assertTrue(e.getMessage().startsWith("unknown multiplier 'mul8u_L40' in library ../luts"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> eval("--library", LIBRARY, "--assign", "mul8s_exact",
                "--scheme", "unsigned-affine"));
        assertTrue(e.getMessage().startsWith("--scheme unsigned-affine: layer 0 (conv_0) is assigned mul8s_exact, a signed table"
                + " that needs signed-symmetric"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> eval("--library", LIBRARY));
        assertEquals("eval: --assign is required", e.getMessage());
        e = assertThrows(AxdseException.class, () -> eval("--assign", "mul8u_exact", "--library", LIBRARY, "--model", "/nope.onnx"));
        assertTrue(e.getMessage().equals("/nope.onnx: model file does not exist"), e.getMessage());
    }
}
