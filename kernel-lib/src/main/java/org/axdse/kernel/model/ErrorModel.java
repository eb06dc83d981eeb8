package org.axdse.kernel.model;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * A training-free estimate (after agnapprox) of how much each approximate multiplier perturbs each
 * approximable layer, and how much a perturbation of each layer reaches the logits. It needs FP32 passes
 * over calibration images only, never an approximate evaluation, so a search can rank candidates cheaply.
 *
 * <h2>What is measured ({@link #estimate})</h2>
 * One FP32 pass (every layer {@code exact-fp32}) over the first {@code count} images, then one more per
 * layer with noise injected. For every approximable layer {@code l}:
 * <ul>
 *   <li><b>Activation-code distribution</b> {@code p_l,s(a)} per quantization scheme {@code s}
 *       (unsigned-affine and signed-symmetric): each FP32 input element {@code x} of the layer is coded with
 *       {@code QuantParams.fromRange(s, ranges.min(l), ranges.max(l)).quantize(x)}, exactly the codes the
 *       kernels compute under static ranges. Convolution padding is a real zero, so its taps are the zero
 *       point's code. The distribution is meant over (output position, tap) pairs, the products the layer
 *       multiplies, and is built as follows: with {@code R} the number of (output position, kernel offset)
 *       pairs per channel whose input lies inside the image and {@code P} those in the padding (counted
 *       exactly from the geometry; stride and dilation included), the padded taps get the exact share
 *       {@code P / (P + R)}, and the remaining share is spread over the real elements <i>uniformly</i>. This
 *       is a simplification: border elements are read by fewer output positions than interior ones (and
 *       with stride &gt; 1 some elements by none), which the uniform weighting ignores. The histogram
 *       ({@link #activationHistogram}) holds these weights as integers: each real element of each image
 *       counts {@code R / d} and each image's padding adds {@code C * H * W * P / d} at the zero point's
 *       code, {@code d = gcd(R, P * H * W)}; without padding (dense layers, valid convolutions) that is one
 *       count per element. All input channels are pooled into one distribution, used for every output
 *       channel.</li>
 *   <li><b>Output statistics</b>: mean and variance of the layer's FP32 output over all its elements
 *       (every image, channel and position; double accumulation); {@code sigma_l} is the standard
 *       deviation.</li>
 *   <li><b>Noise gain</b> {@code g_l}: a further FP32 pass adds independent Gaussian noise
 *       {@code N(0, (rho * sigma_l)^2)}, {@code rho} = {@value #NOISE_RHO}, to every element of layer
 *       {@code l}'s output (seeded by {@code (seed, l)}, drawn in image order, so, like every statistic
 *       here, independent of the batch size) and measures {@code g_l = [mean((z' - z)^2) / var(z)] / rho^2}, where {@code z} are the clean
 *       logits, {@code z'} the noisy ones, mean and (population) variance taken over all logit elements of
 *       all images. {@code g_l} is the logits' squared noise-to-signal ratio per unit of squared NSR injected
 *       at layer {@code l}. It is 0 when {@code sigma_l = 0} (nothing to scale the noise by); +Infinity if
 *       the logits are constant but the noise moved them.</li>
 * </ul>
 * Weights are quantized exactly as {@link ForwardPass} quantizes them
 * ({@link ForwardPass#weightQuantization}: per tensor or per output channel after {@link QuantConfig}); for
 * output channel {@code o}, {@code h_o(w)} counts its {@code K} taps with code {@code w} and
 * {@code sw_o} is its scale; {@code sa} is the layer's input scale.
 *
 * <h2>The layer error ({@link #relativeError})</h2>
 * For a table of signedness {@code s} (codes {@code a, w} are 0..255 for unsigned tables, -128..127 for
 * signed ones; the table is indexed by their byte patterns), the product error is
 * {@code e(a, w) = table[a][w] - a * w}. The kernels compute zero-point terms exactly, so the integer
 * accumulator of an output value is off by exactly {@code sum over its taps of e(a_k, w_k)}, and the
 * output by {@code sa * sw_o} times that. Treating each tap's activation code as an independent draw from
 * {@code p} (independent of the weight and of the other taps):
 * <pre>
 *   ebar(w) = sum_a p(a) e(a, w)            m2(w) = sum_a p(a) e(a, w)^2
 *   mean_o  = sum_w h_o(w) ebar(w)          var_o = sum_w h_o(w) (m2(w) - ebar(w)^2)
 *   MSE     = (1 / O) sum_o (sa * sw_o)^2 (mean_o^2 + var_o)
 *   relativeError = sqrt(MSE) / sigma_l
 * </pre>
 * {@code MSE} is the mean square, over output elements, of the difference between the layer's output
 * with the table and with the exact multiplier under the same quantization (quantization error itself is
 * not part of it). The result is a noise-to-signal ratio: 0 exactly for an exact table (and whenever
 * {@code MSE = 0}), +Infinity when {@code sigma_l = 0 < MSE}.
 *
 * <h2>Simulated accuracy effect ({@link #predictedDisagreement})</h2>
 * The per-channel mean and variance above define the error the table would add to each output element;
 * adding exactly that (the mean as an offset, the variance as Gaussian noise) to the layer's FP32 output and
 * counting how many calibration images change their top-1 class predicts the table's accuracy cost on that
 * layer without running it; with the calibration labels, {@link #predictedAccuracyDrop} counts the images
 * that go from right to wrong minus those that go from wrong to right. The search's error-model strategy
 * uses the latter as its per-layer cost.
 *
 * <h2>Combining layers</h2>
 * Under the linear, independent-noise model the logits' squared NSR of an assignment is
 * {@code sum_l g_l * relativeError_l^2} ({@link #predictedLogitNoise} is one term), and
 * {@link #tolerance} {@code = 1 / sqrt(g_l)} is the layer NSR at which the logits' NSR alone would reach 1.
 *
 * <p>Immutable after {@link #estimate}; {@link #relativeError} caches per (layer, table content) and is
 * safe to call from several threads.
 */
public final class ErrorModel {
    /** Noise injected for the gain, relative to the layer output's standard deviation. */
    public static final double NOISE_RHO = 0.1;

    private static final int CODES = MultiplierTable.SIDE;
    private static final QuantScheme[] SCHEMES = QuantScheme.values();

    private final int layers;
    /** [layer][scheme ordinal][code pattern]. */
    private final long[][][] activationHistograms;
    private final double[][][] activationProbabilities;
    private final float[][] activationScales;
    /** [layer][scheme ordinal][output channel][code pattern]. */
    private final long[][][][] weightHistograms;
    private final float[][][] weightScales;
    private final double[] outputMean;
    private final double[] outputVariance;
    private final double[] gain;
    private final ConcurrentHashMap<String, Double> meanSquareErrors = new ConcurrentHashMap<>();
    /** Per (layer, table): {top-1 disagreement, accuracy drop on the labelled calibration images (NaN: no labels)}. */
    private final ConcurrentHashMap<String, double[]> simulations = new ConcurrentHashMap<>();
    /** What the simulated predictions need: the calibration pass's inputs and clean top-1 classes. */
    private final Simulation simulation;

    private record Simulation(Network net, QuantConfig quant, LayerRanges ranges, float[] images, int count, int batchSize,
                              long seed, int[] cleanTop1, int[] labels) {
    }

    private ErrorModel(int layers, long[][][] activationHistograms, float[][] activationScales,
                       long[][][][] weightHistograms, float[][][] weightScales, double[] outputMean,
                       double[] outputVariance, double[] gain, Simulation simulation) {
        this.layers = layers;
        this.simulation = simulation;
        this.activationHistograms = activationHistograms;
        this.activationScales = activationScales;
        this.weightHistograms = weightHistograms;
        this.weightScales = weightScales;
        this.outputMean = outputMean;
        this.outputVariance = outputVariance;
        this.gain = gain;
        this.activationProbabilities = new double[layers][SCHEMES.length][];
        for (int l = 0; l < layers; l++) {
            for (int s = 0; s < SCHEMES.length; s++) {
                activationProbabilities[l][s] = probabilities(activationHistograms[l][s]);
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
     * Measures the model on calibration images (FP32 passes only; see the class documentation).
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
        List<ApproxLayer> layerList = net.layers();
        int n = layerList.size();
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

        QuantParams[][] act = new QuantParams[n][SCHEMES.length];
        float[][] actScale = new float[n][SCHEMES.length];
        long[][] histWeights = new long[n][];
        for (ApproxLayer layer : layerList) {
            int l = layer.index();
            for (QuantScheme s : SCHEMES) {
                try {
                    act[l][s.ordinal()] = QuantParams.fromRange(s, ranges.min(l), ranges.max(l));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("layer " + layer + ": input " + e.getMessage(), e);
                }
                actScale[l][s.ordinal()] = act[l][s.ordinal()].scale();
            }
            histWeights[l] = histogramWeights(layer.geometry());
        }

        // 1. The clean FP32 pass: input codes, output moments, logits.
        ForwardPass fp = new ForwardPass(net, quant, ranges);
        long[][][] elementCounts = new long[n][SCHEMES.length][CODES];
        Moments[] moments = new Moments[n];
        for (int l = 0; l < n; l++) {
            moments[l] = new Moments();
        }
        fp.layerHook(new ForwardPass.LayerHook() {
            @Override
            public void input(int layer, Tensor x) {
                float[] d = x.floatData();
                for (int s = 0; s < SCHEMES.length; s++) {
                    QuantParams p = act[layer][s];
                    long[] h = elementCounts[layer][s];
                    for (float v : d) {
                        h[p.quantize(v) & 0xFF]++;
                    }
                }
            }

            @Override
            public Tensor output(int layer, Tensor y) {
                // Image by image, so the merged moments do not depend on the batch size.
                float[] d = y.floatData();
                int perImage = d.length / y.dim(0);
                for (int i = 0; i < d.length; i += perImage) {
                    moments[layer].add(d, i, i + perImage);
                }
                return y;
            }
        });
        Assignment fp32 = Assignment.uniform(null, n);
        float[] clean = logits(fp, net, images, count, batchSize, fp32);

        long[][][] actHist = new long[n][SCHEMES.length][CODES];
        for (int l = 0; l < n; l++) {
            for (int s = 0; s < SCHEMES.length; s++) {
                for (int c = 0; c < CODES; c++) {
                    actHist[l][s][c] = Math.multiplyExact(elementCounts[l][s][c], histWeights[l][0]);
                }
                int zp = act[l][s].zeroPoint() & 0xFF;
                actHist[l][s][zp] = Math.addExact(actHist[l][s][zp], Math.multiplyExact(histWeights[l][1], (long) count));
            }
        }
        double[] mean = new double[n];
        double[] variance = new double[n];
        for (int l = 0; l < n; l++) {
            mean[l] = moments[l].mean;
            variance[l] = moments[l].n == 0 ? 0 : moments[l].m2 / moments[l].n;
        }
        double logitVariance = Moments.of(clean).m2 / clean.length;

        // 2. Noise gain: one pass per layer with noise on its output.
        double[] gain = new double[n];
        for (int l = 0; l < n; l++) {
            double sigma = NOISE_RHO * Math.sqrt(variance[l]);
            if (!(sigma > 0)) {
                continue;
            }
            int target = l;
            Random random = new Random(noiseSeed(seed, l));
            fp.layerHook(perturbation(target, new double[] {0}, new double[] {sigma}, random));
            float[] noisy = logits(fp, net, images, count, batchSize, fp32);
            double sq = 0;
            for (int i = 0; i < clean.length; i++) {
                double diff = (double) noisy[i] - clean[i];
                sq += diff * diff;
            }
            double mse = sq / clean.length;
            gain[l] = mse == 0 ? 0 : logitVariance == 0 ? Double.POSITIVE_INFINITY
                    : mse / logitVariance / (NOISE_RHO * NOISE_RHO);
        }
        fp.layerHook(null);

        // Weights, quantized as the forward pass does.
        long[][][][] wHist = new long[n][SCHEMES.length][][];
        float[][][] wScale = new float[n][SCHEMES.length][];
        for (ApproxLayer layer : layerList) {
            int l = layer.index();
            for (QuantScheme s : SCHEMES) {
                QuantizedWeights q = fp.weightQuantization(layer, s);
                int outChannels = q.outChannels();
                int k = q.perChannelSize();
                long[][] h = new long[outChannels][CODES];
                float[] sc = new float[outChannels];
                for (int o = 0; o < outChannels; o++) {
                    for (int i = 0; i < k; i++) {
                        h[o][q.code(o * k + i) & 0xFF]++;
                    }
                    sc[o] = q.scale(o);
                }
                wHist[l][s.ordinal()] = h;
                wScale[l][s.ordinal()] = sc;
            }
        }
        return new ErrorModel(n, actHist, actScale, wHist, wScale, mean, variance, gain,
                new Simulation(net, quant, ranges, images, count, batchSize, seed, top1(clean, count), labels));
    }

    private static float[] logits(ForwardPass fp, Network net, float[] images, int count, int batchSize, Assignment a) {
        int size = net.inputSize();
        float[] all = null;
        int classes = 0;
        for (int start = 0; start < count; start += batchSize) {
            int b = Math.min(batchSize, count - start);
            float[] z = fp.logits(Arrays.copyOfRange(images, start * size, (start + b) * size), b, a);
            if (all == null) {
                classes = z.length / b;
                all = new float[count * classes];
            }
            System.arraycopy(z, 0, all, start * classes, z.length);
        }
        return all;
    }

    private static long noiseSeed(long seed, int layer) {
        long z = seed * 0x9E3779B97F4A7C15L + (layer + 1L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * How the activation histogram weighs a layer's elements (see the class documentation).
     *
     * @param g the layer's geometry (dense: {@link Conv2dGeometry#dense})
     * @return {@code {weight of each real input element, weight of one image's padded taps}}
     */
    static long[] histogramWeights(Conv2dGeometry g) {
        long realH = inside(g.outHeight(), g.kernelH(), g.strideH(), g.dilationH(), g.padTop(), g.inHeight());
        long realW = inside(g.outWidth(), g.kernelW(), g.strideW(), g.dilationW(), g.padLeft(), g.inWidth());
        long real = realH * realW;
        long padded = paddedPairs(g);
        long plane = (long) g.inHeight() * g.inWidth();
        long d = gcd(real, padded * plane);
        return new long[] {real / d, Math.multiplyExact((long) g.inChannels() * plane, padded) / d};
    }

    /**
     * @param g a convolution's geometry
     * @return per input channel and image, the (output position, kernel offset) pairs that read padding
     */
    static long paddedPairs(Conv2dGeometry g) {
        long all = (long) g.outHeight() * g.kernelH() * g.outWidth() * g.kernelW();
        return all - inside(g.outHeight(), g.kernelH(), g.strideH(), g.dilationH(), g.padTop(), g.inHeight())
                * inside(g.outWidth(), g.kernelW(), g.strideW(), g.dilationW(), g.padLeft(), g.inWidth());
    }

    /** (output, kernel offset) pairs along one axis whose input index lies in [0, in). */
    private static long inside(int out, int kernel, int stride, int dilation, int padBefore, int in) {
        long n = 0;
        for (int o = 0; o < out; o++) {
            for (int k = 0; k < kernel; k++) {
                long i = (long) o * stride - padBefore + (long) k * dilation;
                if (i >= 0 && i < in) {
                    n++;
                }
            }
        }
        return n;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double[] probabilities(long[] histogram) {
        double total = 0;
        for (long c : histogram) {
            total += c;
        }
        double[] p = new double[histogram.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = total == 0 ? 0 : histogram[i] / total;
        }
        return p;
    }

    /**
     * The pure arithmetic of the model: the mean square output error of one layer in float units.
     *
     * @param activationProbabilities    {@code p(a)}, 256 entries indexed by the code's byte pattern
     * @param weightHistogramsPerChannel {@code h_o(w)}, {@code [outChannels][256]} indexed by byte pattern
     * @param activationScale            {@code sa}
     * @param weightScales               {@code sw_o}, one per output channel
     * @param table                      the multiplier (its signedness says how patterns map to codes)
     * @return {@code (1/O) sum_o (sa*sw_o)^2 (mean_o^2 + var_o)}
     */
    static double meanSquareError(double[] activationProbabilities, long[][] weightHistogramsPerChannel,
                                  float activationScale, float[] weightScales, MultiplierTable table) {
        double[][] e = channelErrors(activationProbabilities, weightHistogramsPerChannel, activationScale, weightScales, table);
        double total = 0;
        for (double[] c : e) {
            total += c[0] * c[0] + c[1];
        }
        return total / e.length;
    }

    /**
     * Per output channel, the mean and variance of the output error in float units.
     *
     * @return {@code [o] = {sa * sw_o * mean_o, (sa * sw_o)^2 * var_o}}
     */
    static double[][] channelErrors(double[] activationProbabilities, long[][] weightHistogramsPerChannel,
                                    float activationScale, float[] weightScales, MultiplierTable table) {
        Checks.exactLength("activation probabilities", activationProbabilities.length, CODES);
        Checks.exactLength("weight scales", weightScales.length, weightHistogramsPerChannel.length);
        Checks.positive("output channels", weightHistogramsPerChannel.length);
        Signedness s = table.signedness();
        double[] ebar = new double[CODES];
        double[] m2 = new double[CODES];
        for (int a = 0; a < CODES; a++) {
            double p = activationProbabilities[a];
            if (p == 0) {
                continue;
            }
            int av = s.codeOf(a);
            for (int w = 0; w < CODES; w++) {
                double e = table.entry((a << 8) | w) - av * s.codeOf(w);
                ebar[w] += p * e;
                m2[w] += p * e * e;
            }
        }
        double[][] out = new double[weightHistogramsPerChannel.length][2];
        for (int o = 0; o < weightHistogramsPerChannel.length; o++) {
            long[] h = weightHistogramsPerChannel[o];
            Checks.exactLength("weight histogram of channel " + o, h.length, CODES);
            double mean = 0;
            double var = 0;
            for (int w = 0; w < CODES; w++) {
                if (h[w] != 0) {
                    mean += h[w] * ebar[w];
                    var += h[w] * Math.max(0, m2[w] - ebar[w] * ebar[w]);
                }
            }
            double scale = (double) activationScale * weightScales[o];
            out[o][0] = scale * mean;
            out[o][1] = scale * scale * var;
        }
        return out;
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
        checkLayer(layer);
        if (table == null) {
            throw new InvalidInputException("error model, layer " + layer + ": expected a multiplier table, got null");
        }
        int s = QuantScheme.forSignedness(table.signedness()).ordinal();
        return meanSquareErrors.computeIfAbsent(layer + "/" + table.contentSha256(),
                key -> meanSquareError(activationProbabilities[layer][s], weightHistograms[layer][s],
                        activationScales[layer][s], weightScales[layer][s], table));
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
        checkLayer(layer);
        if (table == null) {
            throw new InvalidInputException("error model, layer " + layer + ": expected a multiplier table, got null");
        }
        return simulations.computeIfAbsent(layer + "/" + table.contentSha256(), key -> simulate(layer, table));
    }

    private double[] simulate(int layer, MultiplierTable table) {
        int s = QuantScheme.forSignedness(table.signedness()).ordinal();
        double[][] e = channelErrors(activationProbabilities[layer][s], weightHistograms[layer][s], activationScales[layer][s],
                weightScales[layer][s], table);
        boolean none = true;
        for (double[] c : e) {
            none &= c[0] == 0 && c[1] == 0;
        }
        Simulation sim = simulation;
        if (none) {
            return new double[] {0, sim.labels() == null ? Double.NaN : 0};
        }
        Random random = new Random(noiseSeed(sim.seed() ^ table.contentSha256().hashCode(), layer));
        ForwardPass fp = new ForwardPass(sim.net(), sim.quant(), sim.ranges()); // one per call: callers may run in parallel
        double[] offset = new double[e.length];
        double[] std = new double[e.length];
        for (int o = 0; o < e.length; o++) {
            offset[o] = e[o][0];
            std[o] = Math.sqrt(e[o][1]);
        }
        fp.layerHook(perturbation(layer, offset, std, random));
        int[] noisy = top1(logits(fp, sim.net(), sim.images(), sim.count(), sim.batchSize(), Assignment.uniform(null, layers)),
                sim.count());
        int differ = 0;
        int lost = 0; // correct before, wrong after, minus the reverse
        for (int i = 0; i < noisy.length; i++) {
            int clean = sim.cleanTop1()[i];
            if (noisy[i] != clean) {
                differ++;
                if (sim.labels() != null) {
                    lost += (clean == sim.labels()[i] ? 1 : 0) - (noisy[i] == sim.labels()[i] ? 1 : 0);
                }
            }
        }
        return new double[] {(double) differ / noisy.length, sim.labels() == null ? Double.NaN : (double) lost / noisy.length};
    }

    /**
     * Adds {@code offset[c] + std[c] * N(0, 1)} to every output element of layer {@code target}, {@code c} its
     * channel (outputs are channel-major within an image: NCHW, or [batch, channels] for dense layers; one
     * entry means the same for all), drawing in element order.
     */
    private static ForwardPass.LayerHook perturbation(int target, double[] offset, double[] std, Random random) {
        return new ForwardPass.LayerHook() {
            @Override
            public void input(int layer, Tensor x) {
            }

            @Override
            public Tensor output(int layer, Tensor y) {
                if (layer != target) {
                    return y;
                }
                float[] d = y.floatData().clone();
                int perImage = d.length / y.dim(0);
                int plane = perImage / offset.length;
                for (int i = 0; i < d.length; i++) {
                    int c = (i % perImage) / plane;
                    d[i] += (float) (offset[c] + std[c] * random.nextGaussian());
                }
                return Tensor.floats(y.shape(), d);
            }
        };
    }

    private static int[] top1(float[] logits, int count) {
        int classes = logits.length / count;
        int[] top = new int[count];
        for (int i = 0; i < count; i++) {
            top[i] = Predictions.top1(logits, i * classes, classes);
        }
        return top;
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
        return Math.sqrt(outputVariance[layer]);
    }

    /**
     * @param layer a layer index
     * @return the mean of the layer's FP32 output over the calibration images
     */
    public double outputMean(int layer) {
        checkLayer(layer);
        return outputMean[layer];
    }

    /**
     * @param layer  a layer index
     * @param scheme a quantization scheme
     * @return the weighted input-code histogram, 256 entries indexed by the code's byte pattern (a copy;
     *         weights as in the class documentation)
     */
    public long[] activationHistogram(int layer, QuantScheme scheme) {
        checkLayer(layer);
        if (scheme == null) {
            throw new InvalidInputException("activation histogram: expected a quantization scheme, got null");
        }
        return activationHistograms[layer][scheme.ordinal()].clone();
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

    /** Count, mean and sum of squared deviations, merged chunk by chunk (Chan et al.). */
    private static final class Moments {
        long n;
        double mean;
        double m2;

        static Moments of(float[] d) {
            Moments m = new Moments();
            m.add(d, 0, d.length);
            return m;
        }

        void add(float[] d, int from, int to) {
            int len = to - from;
            if (len <= 0) {
                return;
            }
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += d[i];
            }
            double bm = sum / len;
            double bm2 = 0;
            for (int i = from; i < to; i++) {
                double t = d[i] - bm;
                bm2 += t * t;
            }
            long total = n + len;
            double delta = bm - mean;
            mean += delta * len / total;
            m2 += bm2 + delta * delta * ((double) n * len / total);
            n = total;
        }
    }
}
