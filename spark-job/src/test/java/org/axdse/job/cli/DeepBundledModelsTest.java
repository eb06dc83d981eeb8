package org.axdse.job.cli;

import static org.axdse.job.cli.EvalCommandTest.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.axdse.job.driver.BundledModels;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Network;
import org.junit.jupiter.api.Test;

/**
 * The bundled ResNet-20 and MobileNet (trained with spark-job/src/train/train_torch.py, see MODELS.md there): their
 * approximable layers and MACs, and their FP32 and exact 8-bit accuracy on the first 1,000 Fashion-MNIST test images.
 */
class DeepBundledModelsTest {
    /** MACs of a convolution: output positions x output channels x input channels per group x kernel taps. */
    private static long conv(int side, int outChannels, int inPerGroup, int kernel) {
        return (long) side * side * outChannels * inPerGroup * kernel * kernel;
    }

    private static String eval(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new EvalCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void resNet20HasTwentyTwoApproximableLayers() {
        Network net = BundledModel.load(BundledModels.RESNET20);
        List<Long> expected = new ArrayList<>();
        expected.add(conv(28, 16, 1, 3));                                   // stem
        expected.addAll(Collections.nCopies(6, conv(28, 16, 16, 3)));       // stage 1: 3 blocks x 2 convolutions
        for (int width : new int[] {32, 64}) {                               // stages 2 and 3
            int side = width == 32 ? 14 : 7;
            expected.add(conv(side, width, width / 2, 3));                   // stride 2
            expected.add(conv(side, width, width, 3));
            expected.add(conv(side, width, width / 2, 1));                   // 1x1 projection shortcut
            expected.addAll(Collections.nCopies(4, conv(side, width, width, 3)));
        }
        expected.add(64L * 10);                                              // dense
        assertEquals(expected, net.layers().stream().map(ApproxLayer::macsPerImage).toList());
        assertEquals(31_021_952L, net.macsPerImage());
        assertEquals(21, net.layers().stream().filter(l -> l.opType().equals("Conv")).count());
    }

    @Test
    void mobileNetHasFiveDepthwiseSeparableBlocks() {
        Network net = BundledModel.load(BundledModels.MOBILENET);
        List<Long> expected = List.of(conv(28, 16, 1, 3),
                conv(28, 16, 1, 3), conv(28, 32, 16, 1),      // depthwise 16, pointwise 16 -> 32
                conv(14, 32, 1, 3), conv(14, 64, 32, 1),      // stride 2
                conv(14, 64, 1, 3), conv(14, 64, 64, 1),
                conv(7, 64, 1, 3), conv(7, 128, 64, 1),       // stride 2
                conv(7, 128, 1, 3), conv(7, 128, 128, 1),
                128L * 10);
        assertEquals(expected, net.layers().stream().map(ApproxLayer::macsPerImage).toList());
        assertEquals(3_290_944L, net.macsPerImage());
        List<Integer> depthwise = new ArrayList<>();
        for (ApproxLayer l : net.layers()) {
            if (l.geometry().groups() > 1) {
                depthwise.add(l.index());
                assertEquals(l.geometry().inChannels(), l.geometry().groups(), l.name());
            }
        }
        assertEquals(List.of(1, 3, 5, 7, 9), depthwise);
    }

    @Test
    void accuracyOnTheFirstThousandTestImages() {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        String library = Path.of("..", "luts").toString();
        // The counts were measured when the models were bundled (MODELS.md); the exact 8-bit table may differ from
        // FP32 by a few images of the thousand (quantization), never by more than 1 pp here.
        String resnet = eval("--model", "resnet20", "--library", library, "--assign", "mul8u_exact", "--images", "1000");
        assertEquals(RESNET20_FP32, (long) (1000 * number(resnet, "fp32_accuracy") + 0.5), resnet);
        assertEquals(RESNET20_EXACT8, (long) number(resnet, "correct"), resnet);
        String mobile = eval("--model", "mobilenet", "--library", library, "--assign", "mul8u_exact", "--images", "1000");
        assertEquals(MOBILENET_FP32, (long) (1000 * number(mobile, "fp32_accuracy") + 0.5), mobile);
        assertEquals(MOBILENET_EXACT8, (long) number(mobile, "correct"), mobile);
        assertTrue(Math.abs(RESNET20_FP32 - RESNET20_EXACT8) <= 10 && Math.abs(MOBILENET_FP32 - MOBILENET_EXACT8) <= 10);
    }

    private static final long RESNET20_FP32 = 948;
    private static final long RESNET20_EXACT8 = 950;
    private static final long MOBILENET_FP32 = 925;
    private static final long MOBILENET_EXACT8 = 920;
}
