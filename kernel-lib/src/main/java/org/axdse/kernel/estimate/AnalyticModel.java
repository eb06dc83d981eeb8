package org.axdse.kernel.estimate;

import static org.axdse.kernel.estimate.LayerStatistics.CODES;

import org.axdse.kernel.Checks;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;

/**
 * The pure arithmetic of the layer error (package documentation, "The layer error"): from an activation-code
 * distribution, per-channel weight-code histograms and the scales, the mean and variance of the error a
 * multiplier table adds to each output channel, and their mean square. No state; double arithmetic in a fixed
 * order, so results are reproducible.
 */
final class AnalyticModel {
    private AnalyticModel() {
    }

    /**
     * @param histogram counts
     * @return the counts over their total (all 0 when the total is 0)
     */
    static double[] probabilities(long[] histogram) {
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
     * The mean square output error of one layer in float units.
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
}
