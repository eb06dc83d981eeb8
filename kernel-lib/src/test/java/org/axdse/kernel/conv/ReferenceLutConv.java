package org.axdse.kernel.conv;

import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The specification as a plain nested loop (ARCHITECTURE.md section 3), straight from the formula:
 * {@code acc = sum lut[qa][qw] - zw*sum qa - za*sum qw + K*za*zw}, padded taps {@code qa = za}.
 */
final class ReferenceLutConv {
    private ReferenceLutConv() {
    }

    static long[] accumulators(Conv2dGeometry g, MultiplierTable lut, QuantizedWeights w, QuantParams act,
                               float[] input, int batch) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int cg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int k = g.taps();
        long[] acc = new long[batch * g.outputSize()];
        int za = act.zeroPoint();
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int grp = oc / ocg;
                int zw = w.zeroPoint(oc);
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        long sumLut = 0;
                        long sumQa = 0;
                        long sumQw = 0;
                        for (int c = 0; c < cg; c++) {
                            int ic = grp * cg + c;
                            for (int kh = 0; kh < g.kernelH(); kh++) {
                                for (int kw = 0; kw < g.kernelW(); kw++) {
                                    int iy = y * g.strideH() - g.padTop() + kh * g.dilationH();
                                    int ix = x * g.strideW() - g.padLeft() + kw * g.dilationW();
                                    int qa = iy < 0 || iy >= g.inHeight() || ix < 0 || ix >= g.inWidth() ? za
                                            : act.quantize(input[((n * g.inChannels() + ic) * g.inHeight() + iy) * g.inWidth() + ix]);
                                    int qw = w.code(oc * k + (c * g.kernelH() + kh) * g.kernelW() + kw);
                                    sumLut += lut.product(qa, qw);
                                    sumQa += qa;
                                    sumQw += qw;
                                }
                            }
                        }
                        acc[((n * g.outChannels() + oc) * oh + y) * ow + x] =
                                sumLut - zw * sumQa - za * sumQw + (long) k * za * zw;
                    }
                }
            }
        }
        return acc;
    }

    /** FP32 convolution of the fake-quantized input and weights (double accumulation), plus bias. */
    static float[] fakeQuantFloat(Conv2dGeometry g, QuantizedWeights w, QuantParams act, float[] input, int batch,
                                  float[] bias) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int cg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int k = g.taps();
        float[] out = new float[batch * g.outputSize()];
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int grp = oc / ocg;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        double s = 0;
                        for (int c = 0; c < cg; c++) {
                            int ic = grp * cg + c;
                            for (int kh = 0; kh < g.kernelH(); kh++) {
                                for (int kw = 0; kw < g.kernelW(); kw++) {
                                    int iy = y * g.strideH() - g.padTop() + kh * g.dilationH();
                                    int ix = x * g.strideW() - g.padLeft() + kw * g.dilationW();
                                    if (iy < 0 || iy >= g.inHeight() || ix < 0 || ix >= g.inWidth()) {
                                        continue;
                                    }
                                    float xa = act.fakeQuantize(input[((n * g.inChannels() + ic) * g.inHeight() + iy) * g.inWidth() + ix]);
                                    float xw = w.params(oc).dequantize(w.code(oc * k + (c * g.kernelH() + kh) * g.kernelW() + kw));
                                    s += (double) xa * xw;
                                }
                            }
                        }
                        out[((n * g.outChannels() + oc) * oh + y) * ow + x] = (float) s + (bias == null ? 0f : bias[oc]);
                    }
                }
            }
        }
        return out;
    }

    /** Plain FP32 convolution in double: [0] the sums, [1] the sums of |x * w| (error scale), no bias. */
    static double[][] floatConvolution(Conv2dGeometry g, float[] weights, float[] input, int batch) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        int cg = g.inChannelsPerGroup();
        int ocg = g.outChannelsPerGroup();
        int k = g.taps();
        double[][] out = new double[2][batch * g.outputSize()];
        for (int n = 0; n < batch; n++) {
            for (int oc = 0; oc < g.outChannels(); oc++) {
                int grp = oc / ocg;
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int i = ((n * g.outChannels() + oc) * oh + y) * ow + x;
                        for (int c = 0; c < cg; c++) {
                            for (int kh = 0; kh < g.kernelH(); kh++) {
                                for (int kw = 0; kw < g.kernelW(); kw++) {
                                    int iy = y * g.strideH() - g.padTop() + kh * g.dilationH();
                                    int ix = x * g.strideW() - g.padLeft() + kw * g.dilationW();
                                    if (iy < 0 || iy >= g.inHeight() || ix < 0 || ix >= g.inWidth()) {
                                        continue;
                                    }
                                    double p = (double) input[((n * g.inChannels() + grp * cg + c) * g.inHeight() + iy) * g.inWidth() + ix]
                                            * weights[oc * k + (c * g.kernelH() + kh) * g.kernelW() + kw];
                                    out[0][i] += p;
                                    out[1][i] += Math.abs(p);
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }
}
