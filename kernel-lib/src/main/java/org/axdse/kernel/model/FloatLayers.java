package org.axdse.kernel.model;

import org.axdse.kernel.conv.CpuFloatConv2d;
import org.axdse.kernel.graph.Tensor;

/**
 * FP32 evaluation of approximable layers ({@code exact-fp32}): convolutions with {@link CpuFloatConv2d}, dense
 * layers with taps summed in order. An instance holds per-thread kernels (a {@link ForwardPass} owns one, through
 * its layer kernels).
 */
public final class FloatLayers {
    private final CpuFloatConv2d[] convs;

    FloatLayers(java.util.List<ApproxLayer> layers) {
        int n = layers.stream().mapToInt(ApproxLayer::index).max().orElse(-1) + 1;
        convs = new CpuFloatConv2d[n];
        for (ApproxLayer l : layers) {
            if (l.kind() == ApproxLayer.Kind.CONV2D) {
                convs[l.index()] = new CpuFloatConv2d(l.geometry(), l.weights(), l.bias());
            }
        }
    }

    /**
     * Evaluates one layer in FP32, as a pass would (the importer infers shapes with it).
     *
     * @param layer a layer
     * @param x     its input, {@code [batch, ...]}
     * @return its output, {@code [batch, channels, height, width]} or {@code [batch, ..., features]}
     */
    public static Tensor evaluate(ApproxLayer layer, Tensor x) {
        return new FloatLayers(java.util.List.of(layer)).run(layer, x);
    }

    Tensor run(ApproxLayer layer, Tensor x) {
        int[] outShape = layer.outputShape(x);
        int batch = x.dim(0);
        var g = layer.geometry();
        float[] out = new float[(int) Tensor.size(outShape)];
        if (layer.kind() == ApproxLayer.Kind.CONV2D) {
            convs[layer.index()].forward(x.floatData(), batch, out);
        } else {
            dense(x.floatData(), batch * layer.rows(), layer.weights(), layer.bias(), g.inChannels(), g.outChannels(), out);
        }
        return Tensor.floats(outShape, out);
    }

    /** {@code y[n][o] = sum_k x[n][k] * w[o][k] + b[o]}, taps summed in order from 0 in float32. */
    static void dense(float[] x, int batch, float[] w, float[] b, int in, int outFeatures, float[] y) {
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < outFeatures; o++) {
                float s = 0f;
                int wo = o * in;
                int xn = n * in;
                for (int k = 0; k < in; k++) {
                    s += x[xn + k] * w[wo + k];
                }
                y[n * outFeatures + o] = s + (b == null ? 0f : b[o]);
            }
        }
    }
}
