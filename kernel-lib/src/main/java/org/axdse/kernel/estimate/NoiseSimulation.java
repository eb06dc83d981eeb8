package org.axdse.kernel.estimate;

import java.util.Random;

import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.Predictions;
import org.axdse.kernel.model.QuantConfig;

/**
 * The error model's FP32 passes with noise added to one layer's output through the pass's
 * {@link ForwardPass.LayerHook layer hook}: the noise gains (Gaussian noise scaled to the output's spread) and the
 * simulated accuracy effect of a table (its modelled per-channel error mean and variance). Noise is drawn in
 * element order from a {@link Random} seeded by the model's seed and the layer (and the table's content), so
 * results are reproducible and do not depend on the batch size.
 *
 * <p>Holds the calibration inputs and the clean top-1 classes; {@link #run} builds its own pass per call and is
 * safe to call from several threads.
 */
final class NoiseSimulation {
    private final Network net;
    private final QuantConfig quant;
    private final LayerRanges ranges;
    private final float[] images;
    private final int count;
    private final int batchSize;
    private final long seed;
    private final int[] cleanTop1;
    private final int[] labels;

    NoiseSimulation(Network net, QuantConfig quant, LayerRanges ranges, float[] images, int count, int batchSize, long seed,
                    float[] cleanLogits, int[] labels) {
        this.net = net;
        this.quant = quant;
        this.ranges = ranges;
        this.images = images;
        this.count = count;
        this.batchSize = batchSize;
        this.seed = seed;
        this.cleanTop1 = top1(cleanLogits, count);
        this.labels = labels;
    }

    /**
     * The noise gain of every layer (package documentation): one pass per layer through {@code fp} with
     * {@code N(0, (rho * sigma_l)^2)} added to the layer's output; the hook is cleared afterwards.
     *
     * @param variance per layer, the FP32 output's variance {@code sigma_l^2}
     * @param clean    the clean logits
     * @return {@code g_l} per layer
     */
    static double[] gains(ForwardPass fp, Network net, float[] images, int count, int batchSize, long seed, double rho,
                          double[] variance, float[] clean) {
        int n = variance.length;
        Assignment fp32 = Assignment.uniform(null, n);
        double logitVariance = Moments.of(clean).m2 / clean.length;
        double[] gain = new double[n];
        for (int l = 0; l < n; l++) {
            double sigma = rho * Math.sqrt(variance[l]);
            if (!(sigma > 0)) {
                continue;
            }
            Random random = new Random(noiseSeed(seed, l));
            fp.layerHook(perturbation(l, new double[] {0}, new double[] {sigma}, random));
            float[] noisy = Batches.logits(fp, net, images, count, batchSize, fp32);
            double sq = 0;
            for (int i = 0; i < clean.length; i++) {
                double diff = (double) noisy[i] - clean[i];
                sq += diff * diff;
            }
            double mse = sq / clean.length;
            gain[l] = mse == 0 ? 0 : logitVariance == 0 ? Double.POSITIVE_INFINITY
                    : mse / logitVariance / (rho * rho);
        }
        fp.layerHook(null);
        return gain;
    }

    /**
     * One simulated pass: every output element of channel {@code o} of {@code layer} gets
     * {@code errors[o][0] + sqrt(errors[o][1]) * N(0, 1)} added.
     *
     * @param layer         a layer index
     * @param tableHash     the table's content hash (seeds the noise)
     * @param channelErrors per output channel, the error's mean and variance in float units
     * @return {top-1 disagreement with the clean pass, accuracy drop against the labels (NaN without labels)}
     */
    double[] run(int layer, String tableHash, double[][] channelErrors) {
        boolean none = true;
        for (double[] c : channelErrors) {
            none &= c[0] == 0 && c[1] == 0;
        }
        if (none) {
            return new double[] {0, labels == null ? Double.NaN : 0};
        }
        Random random = new Random(noiseSeed(seed ^ tableHash.hashCode(), layer));
        ForwardPass fp = new ForwardPass(net, quant, ranges); // one per call: callers may run in parallel
        double[] offset = new double[channelErrors.length];
        double[] std = new double[channelErrors.length];
        for (int o = 0; o < channelErrors.length; o++) {
            offset[o] = channelErrors[o][0];
            std[o] = Math.sqrt(channelErrors[o][1]);
        }
        fp.layerHook(perturbation(layer, offset, std, random));
        int[] noisy = top1(Batches.logits(fp, net, images, count, batchSize, Assignment.uniform(null, net.layers().size())),
                count);
        int differ = 0;
        int lost = 0; // correct before, wrong after, minus the reverse
        for (int i = 0; i < noisy.length; i++) {
            int clean = cleanTop1[i];
            if (noisy[i] != clean) {
                differ++;
                if (labels != null) {
                    lost += (clean == labels[i] ? 1 : 0) - (noisy[i] == labels[i] ? 1 : 0);
                }
            }
        }
        return new double[] {(double) differ / noisy.length, labels == null ? Double.NaN : (double) lost / noisy.length};
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

    private static long noiseSeed(long seed, int layer) {
        long z = seed * 0x9E3779B97F4A7C15L + (layer + 1L) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
