package org.axdse.kernel.estimate;

import java.util.concurrent.ConcurrentHashMap;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.quant.QuantScheme;

/**
 * A training-free estimate (after agnapprox) of how much each approximate multiplier perturbs each
 * approximable layer, and how much a perturbation of each layer reaches the logits, measured with FP32 passes
 * over calibration images only ({@link #estimate}). The {@linkplain org.axdse.kernel.estimate package
 * documentation} defines every quantity: the activation-code distribution and output statistics, the noise gain
 * {@code g_l} ({@link #noiseGain}), the layer error {@code relativeError = sqrt(MSE) / sigma_l}
 * ({@link #relativeError}), the simulated top-1 effect ({@link #predictedDisagreement},
 * {@link #predictedAccuracyDrop}), and how layers combine ({@link #predictedLogitNoise}, {@link #tolerance}).
 *
 * <p>Immutable after {@link #estimate}; the per-table results are cached per (layer, table content), and every
 * method is safe to call from several threads.
 */
public final class ErrorModel {
    /** Noise injected for the gain, relative to the layer output's standard deviation. */
    public static final double NOISE_RHO = 0.1;

    private static final QuantScheme[] SCHEMES = QuantScheme.values();

    private final int layers;
    private final LayerStatistics statistics;
    /** [layer][scheme ordinal][code pattern]: the activation histograms over their totals. */
    private final double[][][] activationProbabilities;
    private final double[] gain;
    /** What the simulated predictions need: the calibration pass's inputs and clean top-1 classes. */
    private final NoiseSimulation simulation;
    private final ConcurrentHashMap<String, Double> meanSquareErrors = new ConcurrentHashMap<>();
    /** Per (layer, table): {top-1 disagreement, accuracy drop on the labelled calibration images (NaN: no labels)}. */
    private final ConcurrentHashMap<String, double[]> simulations = new ConcurrentHashMap<>();

    private ErrorModel(int layers, LayerStatistics statistics, double[] gain, NoiseSimulation simulation) {
        this.layers = layers;
        this.statistics = statistics;
        this.gain = gain;
        this.simulation = simulation;
        this.activationProbabilities = new double[layers][SCHEMES.length][];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < SCHEMES.length; s++) {
                activationProbabilities[l][s] = AnalyticModel.probabilities(statistics.activationHistograms[l][s]);
            }
        }
    }

    /**
     * {@link #estimate(Network, QuantConfig, LayerRanges, float[], int, int, long, int[])} without labels
     * ({@link #predictedAccuracyDrop} is then NaN).
     *
     * @param net       the network
     * @param quant     quantization
     * @param ranges    calibrated static input ranges
     * @param images    NCHW images (normalised)
     * @param count     images to use (the first ones)
     * @param batchSize images per FP32 batch (does not change the result)
     * @param seed      seed of the injected noise
     * @return the model
     */
    public static ErrorModel estimate(Network net, QuantConfig quant, LayerRanges ranges, float[] images, int count,
                                      int batchSize, long seed) {
        return estimate(net, quant, ranges, images, count, batchSize, seed, null);
    }

    /**
     * Measures the model on calibration images (FP32 passes only; see the package documentation).
     *
     * @param net       the network
     * @param quant     quantization (its weight granularity is used; activations use {@code ranges})
     * @param ranges    calibrated static input ranges, one per approximable layer ({@link ForwardPass#calibrate})
     * @param images    NCHW images (normalised)
     * @param count     images to use (the first ones)
     * @param batchSize images per FP32 batch (does not change the result)
     * @param seed      seed of the injected noise
     * @param labels    the images' classes (at least {@code count}), or null
     * @return the model
     * @throws InvalidInputException on null or mismatched ranges, {@code count <= 0}, {@code batchSize <= 0},
     *                               or fewer than {@code count} images
     */
    public static ErrorModel estimate(Network net, QuantConfig quant, LayerRanges ranges, float[] images, int count,
                                      int batchSize, long seed, int[] labels) {
        if (labels != null) {
            Checks.length("calibration labels", labels.length, count);
        }
        int n = net.layers().size();
        if (quant == null) {
            throw new InvalidInputException("error model: expected a quantization config, got null");
        }
        if (ranges == null) {
            throw new InvalidInputException("error model of " + net.source() + ": expected calibrated static ranges for "
                    + n + " layers (ForwardPass.calibrate), got null (per-batch ranges have no fixed codes to model)");
        }
        if (ranges.size() != n) {
            throw new InvalidInputException("calibration ranges: expected " + n + " layers (" + net.source() + "), got "
                    + ranges.size());
        }
        Checks.positive("calibration images", count);
        Checks.positive("batch size", batchSize);
        Checks.length("calibration images", images.length, (long) count * net.inputSize());

        // 1. The clean FP32 pass: input codes, output moments, logits; the weights' codes.
        ForwardPass fp = new ForwardPass(net, quant, ranges);
        LayerStatistics statistics = LayerStatistics.measure(fp, net, ranges, images, count, batchSize);
        // 2. Noise gain: one pass per layer with noise on its output.
        double[] gain = NoiseSimulation.gains(fp, net, images, count, batchSize, seed, NOISE_RHO, statistics.outputVariance,
                statistics.cleanLogits);
        return new ErrorModel(n, statistics, gain,
                new NoiseSimulation(net, quant, ranges, images, count, batchSize, seed, statistics.cleanLogits, labels));
    }

    /**
     * The layer's predicted output noise-to-signal ratio with {@code table}: root mean square output error
     * (against the exact multiplier, same quantization) over the FP32 output's standard deviation.
     *
     * @param layer a layer index
     * @param table the multiplier; its signedness picks the quantization scheme
     * @return {@code sqrt(MSE) / sigma_l}; 0 for an exact table; +Infinity when {@code sigma_l = 0 < MSE}
     */
    public double relativeError(int layer, MultiplierTable table) {
        double mse = meanSquareError(layer, table);
        if (mse == 0) {
            return 0;
        }
        double std = outputStd(layer);
        return std == 0 ? Double.POSITIVE_INFINITY : Math.sqrt(mse) / std;
    }

    private double meanSquareError(int layer, MultiplierTable table) {
        checkLayerAndTable(layer, table);
        int s = QuantScheme.forSignedness(table.signedness()).ordinal();
        return meanSquareErrors.computeIfAbsent(layer + "/" + table.contentSha256(),
                key -> AnalyticModel.meanSquareError(activationProbabilities[layer][s], statistics.weightHistograms[layer][s],
                        statistics.activationScales[layer][s], statistics.weightScales[layer][s], table));
    }

    /**
     * The predicted accuracy effect of {@code table} on {@code layer} alone, simulated without running the
     * table: an FP32 pass over the calibration images in which every output element of channel {@code o} of
     * the layer gets the model's error added, {@code sa*sw_o*mean_o + sqrt(var_o)*sa*sw_o*z} with {@code z}
     * standard normal (seeded by the seed, the layer and the table's content), and the result is the fraction
     * of images whose top-1 class differs from the clean FP32 pass. Unlike {@link #predictedLogitNoise}, the
     * systematic part of the error (a per-channel offset, which passes through ReLU and pooling quite
     * differently from zero-mean noise) keeps its real direction and size.
     *
     * @param layer a layer index
     * @param table the multiplier for that layer
     * @return the predicted top-1 disagreement in [0, 1]; 0 for an exact table
     */
    public double predictedDisagreement(int layer, MultiplierTable table) {
        return simulated(layer, table)[0];
    }

    /**
     * The same simulation as {@link #predictedDisagreement}, scored against the calibration images' labels:
     * the clean FP32 accuracy minus the accuracy with the modelled error (negative when the error happens to
     * help).
     *
     * @param layer a layer index
     * @param table the multiplier for that layer
     * @return the predicted accuracy drop; NaN when the model was estimated without labels
     */
    public double predictedAccuracyDrop(int layer, MultiplierTable table) {
        return simulated(layer, table)[1];
    }

    private double[] simulated(int layer, MultiplierTable table) {
        checkLayerAndTable(layer, table);
        return simulations.computeIfAbsent(layer + "/" + table.contentSha256(), key -> {
            int s = QuantScheme.forSignedness(table.signedness()).ordinal();
            double[][] e = AnalyticModel.channelErrors(activationProbabilities[layer][s], statistics.weightHistograms[layer][s],
                    statistics.activationScales[layer][s], statistics.weightScales[layer][s], table);
            return simulation.run(layer, table.contentSha256(), e);
        });
    }

    /**
     * @param layer a layer index
     * @return {@code g_l}: the logits' squared NSR per unit of squared NSR at this layer's output (0 when the
     *         layer's output is constant)
     */
    public double noiseGain(int layer) {
        checkLayer(layer);
        return gain[layer];
    }

    /**
     * @param layer a layer index
     * @return {@code 1 / sqrt(g_l)}: the layer NSR at which the logits' NSR would reach 1 under the linear
     *         model (+Infinity when {@code g_l = 0})
     */
    public double tolerance(int layer) {
        double g = noiseGain(layer);
        return g == 0 ? Double.POSITIVE_INFINITY : 1 / Math.sqrt(g);
    }

    /**
     * @param layer a layer index
     * @param table the multiplier for that layer
     * @return {@code g_l * relativeError^2}, this layer's predicted contribution to the logits' squared NSR
     *         (0 for an exact table; +Infinity when the layer's output is constant but the table errs, as the
     *         effect is then unknown)
     */
    public double predictedLogitNoise(int layer, MultiplierTable table) {
        double r = relativeError(layer, table);
        if (r == 0) {
            return 0;
        }
        return Double.isInfinite(r) ? Double.POSITIVE_INFINITY : gain[layer] * r * r;
    }

    /**
     * @param layer a layer index
     * @return {@code sigma_l}, the standard deviation of the layer's FP32 output over the calibration images
     */
    public double outputStd(int layer) {
        checkLayer(layer);
        return Math.sqrt(statistics.outputVariance[layer]);
    }

    /**
     * @param layer a layer index
     * @return the mean of the layer's FP32 output over the calibration images
     */
    public double outputMean(int layer) {
        checkLayer(layer);
        return statistics.outputMean[layer];
    }

    /**
     * @param layer  a layer index
     * @param scheme a quantization scheme
     * @return the weighted input-code histogram, 256 entries indexed by the code's byte pattern (a copy;
     *         weights as in the package documentation)
     */
    public long[] activationHistogram(int layer, QuantScheme scheme) {
        checkLayer(layer);
        if (scheme == null) {
            throw new InvalidInputException("activation histogram: expected a quantization scheme, got null");
        }
        return statistics.activationHistograms[layer][scheme.ordinal()].clone();
    }

    /** @return the number of approximable layers */
    public int layers() {
        return layers;
    }

    private void checkLayer(int layer) {
        if (layer < 0 || layer >= layers) {
            throw new InvalidInputException("error model: expected a layer index 0.." + (layers - 1) + ", got " + layer);
        }
    }

    private void checkLayerAndTable(int layer, MultiplierTable table) {
        checkLayer(layer);
        if (table == null) {
            throw new InvalidInputException("error model, layer " + layer + ": expected a multiplier table, got null");
        }
    }
}
