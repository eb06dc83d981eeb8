package org.axdse.kernel.conv;

import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The specification as plain nested loops (ARCHITECTURE.md section 3), straight from the formulas:
 * {@code acc = sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw} with padded taps {@code qa = za}, and
 * the FP32 convolutions the exact mode must match.
 */
final class ReferenceLutConv {
    private ReferenceLutConv() {
    }

    /** Receives one tap of one output: the input element index (-1 for a padded tap) and the weight index. */
    interface TapVisitor {
        void tap(int inputIndex, int weightIndex);
    }

    /** Visits the K taps of output (n, oc, y, x) in weight order. */
    static void forEachTap(Conv2dGeometry g, int n, int oc, int y, int x, TapVisitor visitor) {
        int cg = g.inChannelsPerGroup();
        int grp = oc / g.outChannelsPerGroup();
        for (int c = 0; c < cg; c++) {
            for (int kh = 0; kh < g.kernelH(); kh++) {
                for (int kw = 0; kw < g.kernelW(); kw++) {
                    int iy = y * g.strideH() - g.padTop() + kh * g.dilationH();
                    int ix = x * g.strideW() - g.padLeft() + kw * g.dilationW();
                    boolean padded = iy < 0 || iy >= g.inHeight() || ix < 0 || ix >= g.inWidth();
                    visitor.tap(padded ? -1 : ((n * g.inChannels() + grp * cg + c) * g.inHeight() + iy) * g.inWidth() + ix,
                            oc * g.taps() + (c * g.kernelH() + kh) * g.kernelW() + kw);
                }
            }
        }
    }

    /** Calls {@code body(outputIndex, n, oc, y, x)} for every output of the batch. */
    static void forEachOutput(Conv2dGeometry g, int batch, OutputVisitor body) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        body.output(((n * g.outChannels() + oc) * oh + y) * ow + x, n, oc, y, x);
                    }
                }
            }
        }
    }

    /** Receives one output position. */
    interface OutputVisitor {
        void output(int index, int n, int oc, int y, int x);
    }

    static long[] accumulators(Conv2dGeometry g, MultiplierTable lut, QuantizedWeights w, QuantParams act,
                               float[] input, int batch) {
        long[] acc = new long[batch * g.outputSize()];
        int za = act.zeroPoint();
        forEachOutput(g, batch, (i, n, oc, y, x) -> {
            long[] sums = new long[3]; // sum lut, sum qa, sum qw
            forEachTap(g, n, oc, y, x, (in, wi) -> {
                int qa = in < 0 ? za : act.quantize(input[in]);
                int qw = w.code(wi);
                sums[0] += lut.product(qa, qw);
                sums[1] += qa;
                sums[2] += qw;
            });
            int zw = w.zeroPoint(oc);
            acc[i] = sums[0] - zw * sums[1] - za * sums[2] + (long) g.taps() * za * zw;
        });
        return acc;
    }

    /** FP32 convolution of the fake-quantized input and weights (double accumulation), plus bias. */
    static float[] fakeQuantFloat(Conv2dGeometry g, QuantizedWeights w, QuantParams act, float[] input, int batch,
                                  float[] bias) {
        float[] out = new float[batch * g.outputSize()];
        forEachOutput(g, batch, (i, n, oc, y, x) -> {
            double[] s = new double[1];
            forEachTap(g, n, oc, y, x, (in, wi) -> {
                if (in >= 0) {
                    s[0] += (double) act.fakeQuantize(input[in]) * w.params(oc).dequantize(w.code(wi));
                }
            });
            out[i] = (float) s[0] + (bias == null ? 0f : bias[oc]);
        });
        return out;
    }

    /** Plain FP32 convolution in double: [0] the sums, [1] the sums of |x * w| (error scale), no bias. */
    static double[][] floatConvolution(Conv2dGeometry g, float[] weights, float[] input, int batch) {
        double[][] out = new double[2][batch * g.outputSize()];
        forEachOutput(g, batch, (i, n, oc, y, x) -> forEachTap(g, n, oc, y, x, (in, wi) -> {
            if (in >= 0) {
                double p = (double) input[in] * weights[wi];
                out[0][i] += p;
                out[1][i] += Math.abs(p);
            }
        }));
        return out;
    }
}
