package org.axdse.kernel.onnx;

import java.util.Arrays;
import java.util.Map;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.SpatialPads;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.ApproxLayer;

/**
 * The approximable layers' arithmetic at import: Conv, Gemm and MatMul nodes as {@link LayerDraft}s (weights as
 * {@code [out][in...]}, a bias per output), and the folding of a following BatchNormalization or constant bias Add
 * into a draft's weights and bias. Whether a node may be folded (the layer's output has no other reader, the
 * parameters are constants) is the caller's ({@link NetworkBuilder}'s) decision. Errors name the node.
 */
final class LayerImport {
    private LayerImport() {
    }

    /**
     * @param node      a Conv node
     * @param index     the layer's index
     * @param constants the values known at import
     * @return the layer (a 2-D, possibly grouped, convolution over NCHW)
     */
    static LayerDraft conv(ImportNode node, int index, Map<String, Tensor> constants) {
        Attributes a = node.attributes();
        Tensor x = node.in()[0];
        Tensor w = node.constant(1, "the weight input", constants);
        Tensor b = node.constant(2, "the bias input", constants);
        if (x.rank() != 4 || w.rank() != 4) {
            throw a.error("only 2-D convolutions over NCHW are supported, got input " + x + " and weights " + w);
        }
        int group = (int) a.getInt("group", 1);
        int[] k = a.getInts("kernel_shape", new int[] {w.dim(2), w.dim(3)});
        int[] s = a.getInts("strides", new int[] {1, 1});
        int[] d = a.getInts("dilations", new int[] {1, 1});
        if (k[0] != w.dim(2) || k[1] != w.dim(3)) {
            throw a.error("kernel_shape " + Arrays.toString(k) + " does not match the weights " + w);
        }
        int c = x.dim(1);
        if (w.dim(1) * group != c) {
            throw a.error("weights " + w + " with group " + group + " expect " + w.dim(1) * group + " input channels, got " + c);
        }
        int[] p = SpatialPads.resolve(a, x.dim(2), x.dim(3), k[0], k[1], s[0], s[1], d[0], d[1]);
        Conv2dGeometry g = new Conv2dGeometry(c, x.dim(2), x.dim(3), w.dim(0), k[0], k[1], s[0], s[1], d[0], d[1],
                p[0], p[2], p[1], p[3], group);
        float[] bias = b == null ? new float[g.outChannels()] : b.floatData().clone();
        if (bias.length != g.outChannels()) {
            throw a.error("bias has " + bias.length + " values for " + g.outChannels() + " output channels");
        }
        return draft(node, index, ApproxLayer.Kind.CONV2D, g, w.floatData().clone(), bias, new int[] {c, x.dim(2), x.dim(3)});
    }

    /**
     * @param node      a Gemm node ({@code alpha * A * B + beta * C}; B constant, transposed or not; A not transposed)
     * @param index     the layer's index
     * @param constants the values known at import
     * @return the dense layer, alpha folded into the weights and beta into the bias
     */
    static LayerDraft gemm(ImportNode node, int index, Map<String, Tensor> constants) {
        Attributes a = node.attributes();
        if (a.getInt("transA", 0) != 0) {
            throw a.error("transA=1 is not supported");
        }
        Tensor x = node.in()[0];
        Tensor bT = node.constant(1, "the B (weight) input", constants);
        Tensor c = node.constant(2, "the C (bias) input", constants);
        boolean transB = a.getInt("transB", 0) != 0;
        float alpha = a.getFloat("alpha", 1f);
        float beta = a.getFloat("beta", 1f);
        if (x.rank() != 2 || bT.rank() != 2) {
            throw a.error("expected 2-D A and B, got " + x + " and " + bT);
        }
        int kIn = x.dim(1);
        int m = transB ? bT.dim(0) : bT.dim(1);
        int kB = transB ? bT.dim(1) : bT.dim(0);
        if (kB != kIn) {
            throw a.error("A has " + kIn + " columns but B has " + kB + " rows");
        }
        float[] w = weightsOutByIn(bT.floatData(), kIn, m, transB);
        if (alpha != 1f) {
            for (int i = 0; i < w.length; i++) {
                w[i] *= alpha;
            }
        }
        float[] bias = new float[m];
        if (c != null) {
            float[] cv = c.floatData();
            if (cv.length != 1 && cv.length != m) {
                throw a.error("C has " + cv.length + " values; expected 1 or " + m + " (a per-output bias)");
            }
            for (int o = 0; o < m; o++) {
                bias[o] = beta * cv[cv.length == 1 ? 0 : o];
            }
        }
        return draft(node, index, ApproxLayer.Kind.DENSE, Conv2dGeometry.dense(kIn, m), w, bias, new int[] {kIn});
    }

    /**
     * @param node      a MatMul node ({@code [N, ..., K] x [K, M]}, the second input constant): a dense layer over the
     *                  last axis, the same weights for every row of the leading dimensions
     * @param index     the layer's index
     * @param constants the values known at import
     * @return the dense layer, without bias (a following Add may fold one in); its input shape per image is
     *     {@code [..., K]}, so its MACs count every row
     */
    static LayerDraft matMul(ImportNode node, int index, Map<String, Tensor> constants) {
        Attributes a = node.attributes();
        Tensor x = node.in()[0];
        Tensor b = node.constant(1, "the second (weight) input", constants);
        if (x.rank() < 2 || b.rank() != 2) {
            throw a.error("only [N, ..., K] x [K, M] products with constant 2-D weights are supported, got " + x + " x " + b);
        }
        int kIn = x.dim(-1);
        if (kIn != b.dim(0)) {
            throw a.error("inner dimensions differ: " + x + " x " + b);
        }
        int m = b.dim(1);
        Conv2dGeometry g = Conv2dGeometry.dense(kIn, m);
        int[] shape = x.shape();
        return draft(node, index, ApproxLayer.Kind.DENSE, g, weightsOutByIn(b.floatData(), kIn, m, false), new float[m],
                Arrays.copyOfRange(shape, 1, shape.length));
    }

    private static LayerDraft draft(ImportNode node, int index, ApproxLayer.Kind kind, Conv2dGeometry g, float[] w, float[] bias,
                                    int[] inputShape) {
        Onnx.NodeProto n = node.proto();
        return new LayerDraft(index, node.name(), n.getOpType(), kind, g, w, bias, inputShape, n.getInput(0), n.getOutput(0));
    }

    /** B as [out][in]: transposed when it is stored [in][out]. */
    private static float[] weightsOutByIn(float[] b, int kIn, int m, boolean alreadyOutByIn) {
        if (alreadyOutByIn) {
            return b.clone();
        }
        float[] w = new float[m * kIn];
        for (int k = 0; k < kIn; k++) {
            for (int o = 0; o < m; o++) {
                w[o * kIn + k] = b[k * m + o];
            }
        }
        return w;
    }

    /**
     * Folds an inference-mode BatchNormalization into the layer that produces its input: per output channel,
     * {@code w' = w * f} and {@code b' = (b - mean) * f + beta} with {@code f = gamma / sqrt(var + epsilon)},
     * computed in double and rounded once.
     *
     * @param layer the layer (changed in place)
     * @param node  the BatchNormalization node, its scale, bias, mean and variance inputs constant
     */
    static void foldBatchNorm(LayerDraft layer, ImportNode node) {
        Attributes a = node.attributes();
        if (a.getInt("training_mode", 0) != 0) {
            throw a.error("training_mode=1 is not supported (export the model in eval mode)");
        }
        double eps = a.getFloat("epsilon", 1e-5f);
        Tensor[] in = node.in();
        int oc = layer.geometry.outChannels();
        float[] gamma = in[1].floatData();
        float[] beta = in[2].floatData();
        float[] mean = in[3].floatData();
        float[] var = in[4].floatData();
        if (gamma.length != oc || beta.length != oc || mean.length != oc || var.length != oc) {
            throw a.error("expected " + oc + " channels of scale, bias, mean and variance to fold into " + layer.name);
        }
        float[] w = layer.weights;
        float[] b = layer.bias;
        int taps = layer.geometry.taps();
        for (int o = 0; o < oc; o++) {
            double f = gamma[o] / Math.sqrt(var[o] + eps);
            for (int t = 0; t < taps; t++) {
                w[o * taps + t] = (float) (w[o * taps + t] * f);
            }
            b[o] = (float) ((b[o] - mean[o]) * f + beta[o]);
        }
    }

    /**
     * Folds a constant added to a dense layer's output into its bias, when it is a vector of one value per output
     * ({@code [M]} or {@code [1, M]}).
     *
     * @param layer the layer (changed in place when folded)
     * @param c     the constant
     * @return whether it was folded
     */
    static boolean foldBias(LayerDraft layer, Tensor c) {
        int m = layer.geometry.outChannels();
        boolean vector = layer.kind == ApproxLayer.Kind.DENSE && c.size() == m
                && (c.rank() == 1 || (c.rank() == 2 && c.dim(0) == 1));
        if (!vector) {
            return false;
        }
        float[] b = layer.bias;
        float[] cv = c.floatData();
        for (int o = 0; o < m; o++) {
            b[o] += cv[o];
        }
        return true;
    }
}
