package org.axdse.kernel.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.OnnxFixtures;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.quant.QuantScheme;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The training-free error model: its arithmetic on hand-worked cases, and on the residual fixture that it is
 * zero for exact tables, grows with truncation, predicts the measured layer error within a factor of two, and
 * that its noise gains are sensible and reproducible.
 */
class ErrorModelTest {
    /** Largest allowed factor between the predicted and the measured layer noise-to-signal ratio. */
    private static final double PREDICTION_FACTOR = 2.0;
    private static final int IMAGES = 64;
    private static final int BATCH = 16;
    private static final long SEED = 42;

    private static Network net;
    private static float[] calibration;
    private static LayerRanges ranges;
    private static ErrorModel model;

    @BeforeAll
    static void estimate() throws IOException {
        net = OnnxFixtures.residual();
        calibration = OnnxFixtures.images(net, IMAGES, 11);
        ranges = ForwardPass.calibrate(net, calibration, IMAGES, BATCH);
        model = ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES, BATCH, SEED);
    }

    /** {@code lut[a][w] = a * w} with the k low bits cleared (two's complement: rounds towards -infinity). */
    static MultiplierTable truncated(Signedness s, int k) {
        int[] e = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < e.length; i++) {
            e[i] = (s.codeOf(i >>> 8) * s.codeOf(i & 0xFF)) & -(1 << k);
        }
        return MultiplierTable.of("trunc" + k + "-" + s.name().toLowerCase(), s, e);
    }

    private static int[] exactEntries(Signedness s) {
        return MultiplierTable.exact(s).entries();
    }

    private static int index(int a, int w) {
        return ((a & 0xFF) << 8) | (w & 0xFF);
    }

    @Test
    void meanSquareErrorOfAHandWorkedUnsignedCase() {
        // Exact except two entries: e(3, 2) = +4 and e(5, 2) = -2; every other product is exact.
        int[] e = exactEntries(Signedness.UNSIGNED);
        e[index(3, 2)] = 3 * 2 + 4;
        e[index(5, 2)] = 5 * 2 - 2;
        MultiplierTable t = MultiplierTable.of("two-errors", Signedness.UNSIGNED, e);
        double[] p = new double[256];
        p[3] = 0.5;
        p[5] = 0.5;
        // ebar(2) = 0.5*4 + 0.5*(-2) = 1;  m2(2) = 0.5*16 + 0.5*4 = 10;  per-tap variance at w=2: 10 - 1^2 = 9.
        // Weight 7 (and 0) never meets an error: ebar = m2 = 0.
        long[] channel0 = new long[256]; // codes {2, 2, 7}
        channel0[2] = 2;
        channel0[7] = 1;
        // channel 0: mean = 2*1 + 0 = 2, var = 2*9 + 0 = 18; sa*sw = 0.5*0.25 = 0.125;
        // MSE = 0.125^2 * (2^2 + 18) = 0.015625 * 22 = 0.34375.
        assertEquals(0.34375, AnalyticModel.meanSquareError(p, new long[][] {channel0}, 0.5f, new float[] {0.25f}, t), 1e-12);

        long[] channel1 = new long[256]; // codes {7, 2, 0}
        channel1[7] = 1;
        channel1[2] = 1;
        channel1[0] = 1;
        // channel 1: mean = 1, var = 9; sa*sw = 0.5*0.5 = 0.25: 0.0625 * (1 + 9) = 0.625.
        // Two channels: the mean over channels, (0.34375 + 0.625) / 2 = 0.484375.
        assertEquals(0.484375, AnalyticModel.meanSquareError(p, new long[][] {channel0, channel1}, 0.5f,
                new float[] {0.25f, 0.5f}, t), 1e-12);
    }

    @Test
    void meanSquareErrorOfAHandWorkedSignedCaseWithNegativeCodes() {
        // Signed codes index the table by byte pattern: e(-3, -2) = +5, e(2, -2) = -3.
        int[] e = exactEntries(Signedness.SIGNED);
        e[index(-3, -2)] = (-3) * (-2) + 5;
        e[index(2, -2)] = 2 * (-2) - 3;
        MultiplierTable t = MultiplierTable.of("two-signed-errors", Signedness.SIGNED, e);
        double[] p = new double[256];
        p[-3 & 0xFF] = 0.25;
        p[2] = 0.75;
        // ebar(-2) = 0.25*5 + 0.75*(-3) = -1;  m2(-2) = 0.25*25 + 0.75*9 = 13;  per-tap variance 13 - 1 = 12.
        long[] channel = new long[256]; // codes {-2, -2, -2, 1}
        channel[-2 & 0xFF] = 3;
        channel[1] = 1;
        // mean = 3*(-1) = -3, var = 3*12 = 36; sa*sw = 0.5*0.5: MSE = 0.0625 * (9 + 36) = 2.8125.
        assertEquals(2.8125, AnalyticModel.meanSquareError(p, new long[][] {channel}, 0.5f, new float[] {0.5f}, t), 1e-12);
    }

    @Test
    void paddedTapsAreCountedExactlyFromTheGeometry() {
        // 8x8, 3x3, padding 1: per axis 8*3 pairs of which 22 are inside, so 576 - 22*22 = 92 read padding.
        Conv2dGeometry c1 = Conv2dGeometry.builder(3, 8, 8, 8, 3, 3).padding(1).build();
        assertEquals(92, LayerStatistics.paddedPairs(c1));
        // Dilation 2, padding 2: per axis offsets 0 and 2 each miss 2 rows: 24 - 4 = 20 inside; 576 - 400 = 176.
        Conv2dGeometry c2 = Conv2dGeometry.builder(8, 8, 8, 8, 3, 3).padding(2).dilation(2).build();
        assertEquals(176, LayerStatistics.paddedPairs(c2));
        // The histogram gives padding its exact share P / (P + R) = 92 / 576 of the taps.
        long[] w = LayerStatistics.histogramWeights(c1);
        double paddedShare = (double) w[1] / (w[1] + w[0] * 3 * 8 * 8);
        assertEquals(92.0 / 576, paddedShare, 1e-15);
        // No padding (dense layers, valid convolutions): one count per element.
        assertArrayEquals(new long[] {1, 0}, LayerStatistics.histogramWeights(Conv2dGeometry.dense(10, 3)));
        assertArrayEquals(new long[] {1, 0},
                LayerStatistics.histogramWeights(Conv2dGeometry.builder(2, 5, 5, 1, 3, 3).stride(2).build()));

        // On the fixture: each scheme's histogram holds every image's elements and padding.
        for (ApproxLayer layer : net.layers()) {
            long[] hw = LayerStatistics.histogramWeights(layer.geometry());
            long expected = IMAGES * (hw[0] * layer.geometry().inputSize() + hw[1]);
            for (QuantScheme s : QuantScheme.values()) {
                assertEquals(expected, Arrays.stream(model.activationHistogram(layer.index(), s)).sum(), layer + " " + s);
            }
        }
    }

    @Test
    void exactTablesHaveNoError() {
        for (Signedness s : Signedness.values()) {
            MultiplierTable exact = MultiplierTable.exact(s);
            for (int l = 0; l < model.layers(); l++) {
                assertEquals(0.0, model.relativeError(l, exact), "layer " + l + " " + s);
                assertEquals(0.0, model.predictedLogitNoise(l, exact), "layer " + l + " " + s);
            }
        }
    }

    /** Largest allowed gap between the predicted and the measured top-1 disagreement (64 images). */
    private static final double DISAGREEMENT_TOLERANCE = 0.1;

    @Test
    void simulatedDisagreementIsZeroForExactTablesGrowsWithErrorAndTracksTheRealTable() {
        for (int l = 0; l < model.layers(); l++) {
            assertEquals(0.0, model.predictedDisagreement(l, MultiplierTable.exact(Signedness.UNSIGNED)), "layer " + l);
            double mild = model.predictedDisagreement(l, truncated(Signedness.UNSIGNED, 2));
            double coarse = model.predictedDisagreement(l, truncated(Signedness.UNSIGNED, 10));
            assertTrue(mild <= coarse && coarse > 0 && coarse <= 1, "layer " + l + ": k=2 " + mild + ", k=10 " + coarse);
            // The real table on that layer alone, against the exact table on that layer alone.
            List<MultiplierTable> exactHere = new ArrayList<>(java.util.Collections.nCopies(model.layers(), (MultiplierTable) null));
            List<MultiplierTable> coarseHere = new ArrayList<>(exactHere);
            exactHere.set(l, MultiplierTable.exact(Signedness.UNSIGNED));
            coarseHere.set(l, truncated(Signedness.UNSIGNED, 10));
            ForwardPass fp = new ForwardPass(net, QuantConfig.DEFAULT, ranges);
            int[] a = top1(fp.logits(calibration, IMAGES, Assignment.of(exactHere)));
            int[] b = top1(fp.logits(calibration, IMAGES, Assignment.of(coarseHere)));
            int differ = 0;
            for (int i = 0; i < IMAGES; i++) {
                differ += a[i] != b[i] ? 1 : 0;
            }
            double measured = (double) differ / IMAGES;
            System.out.printf("layer %d: k=10 predicted disagreement %.3f, measured %.3f%n", l, coarse, measured);
            assertEquals(measured, coarse, DISAGREEMENT_TOLERANCE, "layer " + l);
        }
        ErrorModel again = ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES, BATCH, SEED);
        assertEquals(model.predictedDisagreement(1, truncated(Signedness.SIGNED, 8)),
                again.predictedDisagreement(1, truncated(Signedness.SIGNED, 8)), "seeded: reproducible");
    }

    private static int[] top1(float[] logits) {
        int classes = logits.length / IMAGES;
        int[] t = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            for (int k = 1; k < classes; k++) {
                if (logits[i * classes + k] > logits[i * classes + t[i]]) {
                    t[i] = k;
                }
            }
        }
        return t;
    }

    @Test
    void errorGrowsWithTruncationOnEveryLayer() {
        for (Signedness s : Signedness.values()) {
            for (int l = 0; l < model.layers(); l++) {
                double previous = 0;
                for (int k = 2; k <= 8; k += 2) {
                    double r = model.relativeError(l, truncated(s, k));
                    assertTrue(r > previous, s + " layer " + l + ": k=" + k + " gives " + r + ", k=" + (k - 2) + " gave " + previous);
                    assertTrue(Double.isFinite(r), s + " layer " + l + " k=" + k);
                    previous = r;
                }
            }
        }
    }

    @Test
    void predictionMatchesTheMeasuredLayerErrorWithinAFactorOfTwo() throws IOException {
        // Measured on images the model did not see, with the calibration ranges: layer l alone runs with the
        // approximate table and, separately, with the exact one (both quantized; earlier layers FP32, so the
        // same input); the RMS difference of its outputs over the model's FP32 output std is the NSR.
        // Truncation tables have a strong mean error; the library's compensated and logarithmic ones are
        // mostly variance, where the independence of taps matters.
        List<MultiplierTable> tables = new ArrayList<>();
        for (Signedness s : Signedness.values()) {
            for (int k : new int[] {4, 6, 8}) {
                tables.add(truncated(s, k));
            }
        }
        MultiplierLibrary lib = MultiplierLibraries.load(Path.of("..", "luts"));
        for (String name : List.of("mul8u_trunc_k6c", "mul8u_drum_k4", "mul8u_kul_d4", "mul8u_mitchell_w4",
                "mul8s_trunc_k6c", "mul8s_drum_k4", "mul8s_kul_d7", "mul8s_bam_h1v6")) {
            tables.add(lib.get(name).table());
        }
        float[] test = OnnxFixtures.images(net, IMAGES, 12);
        List<String> seen = new ArrayList<>();
        QuantConfig perChannel = new QuantConfig(QuantConfig.RangeMode.STATIC, true);
        ErrorModel perChannelModel = ErrorModel.estimate(net, perChannel, ranges, calibration, IMAGES, BATCH, SEED);
        for (QuantConfig quant : List.of(QuantConfig.DEFAULT, perChannel)) {
            ErrorModel m = quant.perChannelWeights() ? perChannelModel : model;
            for (MultiplierTable t : tables) {
                for (int l = 0; l < m.layers(); l++) {
                    float[] exact = layerOutput(quant, test, l, MultiplierTable.exact(t.signedness()));
                    float[] approx = layerOutput(quant, test, l, t);
                    double measured = rms(approx, exact) / m.outputStd(l);
                    double predicted = m.relativeError(l, t);
                    double ratio = predicted / measured;
                    seen.add(String.format("%s%s layer %d: predicted %.4g measured %.4g ratio %.3f", t.name(),
                            quant.perChannelWeights() ? " per-channel" : "", l, predicted, measured, ratio));
                    assertTrue(ratio <= PREDICTION_FACTOR && ratio >= 1 / PREDICTION_FACTOR, String.join("\n", seen));
                }
            }
        }
        if (Boolean.getBoolean("axdse.printRatios")) {
            System.out.println(String.join("\n", seen));
        }
    }

    /** Layer l's output over all images when only l is approximate (with {@code table}). */
    private static float[] layerOutput(QuantConfig quant, float[] images, int l, MultiplierTable table) {
        ForwardPass fp = new ForwardPass(net, quant, ranges);
        List<MultiplierTable> tables = new ArrayList<>(Collections.nCopies(net.layers().size(), (MultiplierTable) null));
        tables.set(l, table);
        Assignment a = Assignment.of(tables);
        List<float[]> outputs = new ArrayList<>();
        fp.layerHook(new ForwardPass.LayerHook() {
            @Override
            public void input(int layer, Tensor x) {
            }

            @Override
            public Tensor output(int layer, Tensor y) {
                if (layer == l) {
                    outputs.add(y.floatData().clone());
                }
                return y;
            }
        });
        int size = net.inputSize();
        for (int start = 0; start < IMAGES; start += BATCH) {
            fp.logits(Arrays.copyOfRange(images, start * size, (start + BATCH) * size), BATCH, a);
        }
        int n = outputs.stream().mapToInt(o -> o.length).sum();
        float[] all = new float[n];
        int at = 0;
        for (float[] o : outputs) {
            System.arraycopy(o, 0, all, at, o.length);
            at += o.length;
        }
        return all;
    }

    @Test
    void noiseGainsArePositiveFiniteAndReproducible() {
        ErrorModel again = ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES, BATCH, SEED);
        ErrorModel otherBatching = ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES, 5, SEED);
        ErrorModel otherSeed = ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES, BATCH, SEED + 1);
        MultiplierTable t = truncated(Signedness.UNSIGNED, 6);
        assertEquals(net.layers().size(), model.layers());
        for (int l = 0; l < model.layers(); l++) {
            double g = model.noiseGain(l);
            assertTrue(g > 0 && Double.isFinite(g), "layer " + l + " gain " + g);
            assertEquals(1 / Math.sqrt(g), model.tolerance(l), 1e-12);
            assertTrue(model.outputStd(l) > 0, "layer " + l);
            double r = model.relativeError(l, t);
            assertEquals(g * r * r, model.predictedLogitNoise(l, t), 1e-12 * g * r * r);
            for (ErrorModel same : List.of(again, otherBatching)) {
                assertEquals(g, same.noiseGain(l), "layer " + l);
                assertEquals(model.outputStd(l), same.outputStd(l), "layer " + l);
                assertEquals(r, same.relativeError(l, t), "layer " + l);
                for (QuantScheme s : QuantScheme.values()) {
                    assertArrayEquals(model.activationHistogram(l, s), same.activationHistogram(l, s));
                }
            }
            assertNotEquals(g, otherSeed.noiseGain(l), "the noise depends on the seed");
        }
    }

    @Test
    void badInputIsRejectedWithExpectedVersusActual() {
        LayerRanges three = new LayerRanges(new float[3], new float[] {1, 1, 1}, IMAGES);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ErrorModel.estimate(net, QuantConfig.DEFAULT, three, calibration, IMAGES, BATCH, SEED));
        assertTrue(e.getMessage().startsWith("calibration ranges: expected 4 layers (residual.onnx), got 3"), e.getMessage());

        e = assertThrows(InvalidInputException.class,
                () -> ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, IMAGES + 1, BATCH, SEED));
        assertTrue(e.getMessage().startsWith("calibration images: expected at least " + (IMAGES + 1) * net.inputSize()
                + " elements, got " + IMAGES * net.inputSize()), e.getMessage());

        e = assertThrows(InvalidInputException.class,
                () -> ErrorModel.estimate(net, QuantConfig.DEFAULT, ranges, calibration, 0, BATCH, SEED));
        assertTrue(e.getMessage().startsWith("calibration images: expected >= 1, got 0"), e.getMessage());

        e = assertThrows(InvalidInputException.class,
                () -> ErrorModel.estimate(net, new QuantConfig(QuantConfig.RangeMode.PER_BATCH, false), null, calibration,
                        IMAGES, BATCH, SEED));
        assertTrue(e.getMessage().contains("expected calibrated static ranges for 4 layers"), e.getMessage());

        e = assertThrows(InvalidInputException.class, () -> model.relativeError(4, MultiplierTable.exact(Signedness.SIGNED)));
        assertTrue(e.getMessage().contains("expected a layer index 0..3, got 4"), e.getMessage());
    }

    private static double rms(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s / a.length);
    }
}
