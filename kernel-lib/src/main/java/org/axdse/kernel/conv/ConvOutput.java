package org.axdse.kernel.conv;

import org.axdse.kernel.Checks;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/** The output stage shared by the integer kernels: scale, bias and scatter into NCHW. */
final class ConvOutput {
    private ConvOutput() {
    }

    /** @return {@code sa * sw[oc]} per output channel, the float32 factor of each accumulator */
    static float[] outputScales(QuantParams activation, QuantizedWeights weights) {
        float[] s = new float[weights.outChannels()];
        for (int oc = 0; oc < s.length; oc++) {
            s[oc] = activation.scale() * weights.scale(oc);
        }
        return s;
    }

    /** @return a private copy of {@code bias}, or zeros when it is null */
    static float[] bias(float[] bias, int outChannels) {
        if (bias == null) {
            return new float[outChannels];
        }
        Checks.exactLength("bias", bias.length, outChannels);
        return bias.clone();
    }

    /**
     * Writes image {@code n}'s outputs for channels {@code [oc0, oc0 + channels)} from int64 sums laid out
     * {@code [position][lane]} (lane {@code o} = channel {@code oc0 + o}): to {@code output} as
     * {@code scale[oc] * (float) sum + bias[oc]} when it is not null, else to {@code acc} unchanged.
     */
    static void emit(long[] sums, int sumsOffset, int stride, int positions, int n, int outChannels, int oc0,
                     int channels, float[] scale, float[] bias, float[] output, long[] acc) {
        for (int o = 0; o < channels; o++) {
            int oc = oc0 + o;
            int dst = (n * outChannels + oc) * positions;
            int src = sumsOffset + o;
            if (output != null) {
                float s = scale[oc];
                float b = bias[oc];
                for (int p = 0; p < positions; p++) {
                    output[dst + p] = s * (float) sums[src + p * stride] + b;
                }
            } else {
                for (int p = 0; p < positions; p++) {
                    acc[dst + p] = sums[src + p * stride];
                }
            }
        }
    }

    /** As {@link #emit(long[], int, int, int, int, int, int, int, float[], float[], float[], long[])} from int32 sums. */
    static void emit(int[] sums, int sumsOffset, int stride, int positions, int n, int outChannels, int oc0,
                     int channels, float[] scale, float[] bias, float[] output, long[] acc) {
        for (int o = 0; o < channels; o++) {
            int oc = oc0 + o;
            int dst = (n * outChannels + oc) * positions;
            int src = sumsOffset + o;
            if (output != null) {
                float s = scale[oc];
                float b = bias[oc];
                for (int p = 0; p < positions; p++) {
                    output[dst + p] = s * (float) sums[src + p * stride] + b;
                }
            } else {
                for (int p = 0; p < positions; p++) {
                    acc[dst + p] = sums[src + p * stride];
                }
            }
        }
    }
}
