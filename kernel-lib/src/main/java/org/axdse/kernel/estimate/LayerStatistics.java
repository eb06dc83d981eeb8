package org.axdse.kernel.estimate;

import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * What the error model measures on the calibration images in one FP32 pass, per approximable layer and
 * quantization scheme: the weighted activation-code histogram, the activation scale, the output's mean and
 * variance, and the weights' per-channel code histograms and scales, quantized exactly as the forward pass
 * quantizes them ({@link ForwardPass#weightQuantization}). The package documentation defines each quantity.
 * Immutable after {@link #measure}.
 */
final class LayerStatistics {
    static final int CODES = MultiplierTable.SIDE;
    static final QuantScheme[] SCHEMES = QuantScheme.values();

    /** [layer][scheme ordinal][code pattern]. */
    final long[][][] activationHistograms;
    /** [layer][scheme ordinal]. */
    final float[][] activationScales;
    /** [layer][scheme ordinal][output channel][code pattern]. */
    final long[][][][] weightHistograms;
    /** [layer][scheme ordinal][output channel]. */
    final float[][][] weightScales;
    final double[] outputMean;
    final double[] outputVariance;
    /** The clean FP32 logits of the calibration images, {@code [count][classes]}. */
    final float[] cleanLogits;

    private LayerStatistics(long[][][] activationHistograms, float[][] activationScales, long[][][][] weightHistograms,
                            float[][][] weightScales, double[] outputMean, double[] outputVariance, float[] cleanLogits) {
        this.activationHistograms = activationHistograms;
        this.activationScales = activationScales;
        this.weightHistograms = weightHistograms;
        this.weightScales = weightScales;
        this.outputMean = outputMean;
        this.outputVariance = outputVariance;
        this.cleanLogits = cleanLogits;
    }

    /**
     * Runs the clean FP32 pass over the first {@code count} images through {@code fp} (whose hook it sets, and
     * leaves set) and quantizes the weights.
     *
     * @throws InvalidInputException naming the layer when a calibrated range gives no valid quantization
     */
    static LayerStatistics measure(ForwardPass fp, Network net, LayerRanges ranges, float[] images, int count,
                                   int batchSize) {
        List<ApproxLayer> layerList = net.layers();
        int n = layerList.size();
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
        float[] clean = Batches.logits(fp, net, images, count, batchSize, Assignment.uniform(null, n));

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
            variance[l] = moments[l].variance();
        }

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
        return new LayerStatistics(actHist, actScale, wHist, wScale, mean, variance, clean);
    }

    /**
     * How the activation histogram weighs a layer's elements (see the package documentation).
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
}
