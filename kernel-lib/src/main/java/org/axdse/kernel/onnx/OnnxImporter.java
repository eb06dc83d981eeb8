package org.axdse.kernel.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.google.protobuf.InvalidProtocolBufferException;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.graph.Op;
import org.axdse.kernel.graph.Operators;
import org.axdse.kernel.graph.SpatialPads;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.FloatLayers;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.Step;

/**
 * Imports ONNX models (opset {@value #MIN_OPSET}..{@value #MAX_OPSET}) as exported by torch.onnx.export and
 * tf2onnx for ordinary CNNs.
 *
 * <ul>
 *   <li>The graph has one real input, {@code [batch, ...]} with a dynamic or fixed batch dimension and
 *       known other dimensions; its first output is the logits.</li>
 *   <li>Conv, Gemm and MatMul (with constant weights) become the approximable layers, numbered in graph
 *       order. A BatchNormalization that directly follows a Conv or Gemm (and is its only consumer) is
 *       folded into its weights and bias; an Add of a constant bias vector after a MatMul is folded
 *       likewise. Other nodes become operators ({@link Operators}).</li>
 *   <li>Nodes whose inputs are all constants are folded at import (PyTorch's pad and shape arithmetic).</li>
 *   <li>Shapes are found by evaluating the graph once on a zero image, so every layer knows its input and
 *       output shapes and MACs.</li>
 * </ul>
 * Errors name the model file and, for nodes, the node name, its op type and the opset.
 */
public final class OnnxImporter {
    /** Lowest supported default-domain opset. */
    public static final int MIN_OPSET = 11;
    /** Highest supported default-domain opset. */
    public static final int MAX_OPSET = 17;

    private OnnxImporter() {
    }

    /**
     * @param file an .onnx file
     * @return the network
     */
    public static Network load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": model file does not exist", e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read model (" + e + ")", e);
        }
        return load(bytes, file.toString());
    }

    /**
     * @param bytes  an ONNX model
     * @param source where it comes from, for messages
     * @return the network
     */
    public static Network load(byte[] bytes, String source) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException(source + ": not an ONNX model (protobuf parse error: " + e.getMessage() + ")", e);
        }
        if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
            throw new InvalidInputException(source + ": not an ONNX model (no graph or an empty graph)");
        }
        return new Builder(model, source, sha256(bytes)).build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** One import: walks the nodes once, building steps and layers and inferring shapes. */
    private static final class Builder {
        private final Onnx.ModelProto model;
        private final Onnx.GraphProto graph;
        private final String source;
        private final String sha;
        private final int opset;
        private final Map<String, Tensor> constants = new HashMap<>();
        private final Map<String, Tensor> values = new HashMap<>();
        private final Map<String, Integer> consumers = new HashMap<>();
        private final Map<String, Integer> producedByLayer = new HashMap<>();
        private final List<Step> steps = new ArrayList<>();
        private final List<LayerDraft> layers = new ArrayList<>();

        Builder(Onnx.ModelProto model, String source, String sha) {
            this.model = model;
            this.graph = model.getGraph();
            this.source = source;
            this.sha = sha;
            this.opset = opset();
        }

        private int opset() {
            int v = -1;
            for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
                if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                    v = (int) o.getVersion();
                }
            }
            if (v < 0) {
                throw new InvalidInputException(source + ": the model imports no default-domain (ai.onnx) opset");
            }
            if (v < MIN_OPSET || v > MAX_OPSET) {
                throw new InvalidInputException(source + ": opset " + v + " is not supported; expected " + MIN_OPSET + ".."
                        + MAX_OPSET + " (re-export with opset_version in that range)");
            }
            return v;
        }

        Network build() {
            for (Onnx.TensorProto t : graph.getInitializerList()) {
                constants.put(t.getName(), Tensors.fromProto(t, source));
            }
            List<Onnx.ValueInfoProto> inputs = graph.getInputList().stream()
                    .filter(i -> !constants.containsKey(i.getName())).toList();
            if (inputs.size() != 1) {
                throw new InvalidInputException(source + ": expected one graph input (the images), got " + inputs.size() + " "
                        + inputs.stream().map(Onnx.ValueInfoProto::getName).toList());
            }
            Onnx.ValueInfoProto input = inputs.get(0);
            int[] inputShape = imageShape(input);
            if (graph.getOutputCount() == 0) {
                throw new InvalidInputException(source + ": the graph has no output");
            }
            String outputName = graph.getOutput(0).getName();
            for (Onnx.NodeProto n : graph.getNodeList()) {
                for (String in : n.getInputList()) {
                    consumers.merge(in, 1, Integer::sum);
                }
            }
            for (Onnx.ValueInfoProto o : graph.getOutputList()) {
                consumers.merge(o.getName(), 1, Integer::sum);
            }
            int[] batchOne = new int[inputShape.length + 1];
            batchOne[0] = 1;
            System.arraycopy(inputShape, 0, batchOne, 1, inputShape.length);
            values.putAll(constants);
            values.put(input.getName(), Tensor.floats(batchOne, new float[(int) Tensor.size(batchOne)]));
            for (int i = 0; i < graph.getNodeCount(); i++) {
                importNode(graph.getNode(i), i);
            }
            Tensor out = values.get(outputName);
            if (out == null) {
                throw new InvalidInputException(source + ": graph output " + outputName + " is never computed");
            }
            if (out.rank() != 2 || out.dim(0) != 1) {
                throw new InvalidInputException(source + ": expected logits of shape [batch, classes] as the first output, got "
                        + Arrays.toString(out.shape()) + " for one image");
            }
            if (layers.isEmpty()) {
                throw new InvalidInputException(source + ": the model has no Conv, Gemm or MatMul layer to approximate");
            }
            return new Network(source, sha, opset, input.getName(), inputShape, outputName, out.dim(1), steps, constants,
                    layers.stream().map(LayerDraft::layer).toList());
        }

        private int[] imageShape(Onnx.ValueInfoProto input) {
            if (!input.getType().hasTensorType()) {
                throw new InvalidInputException(source + ": graph input " + input.getName() + " is not a tensor");
            }
            Onnx.TypeProto.Tensor t = input.getType().getTensorType();
            if (t.getElemType() != Onnx.TensorProto.DataType.FLOAT_VALUE) {
                throw new InvalidInputException(source + ": graph input " + input.getName() + " has element type "
                        + Onnx.TensorProto.DataType.forNumber(t.getElemType()) + ", expected FLOAT");
            }
            List<Onnx.TensorShapeProto.Dimension> dims = t.getShape().getDimList();
            if (dims.size() < 2) {
                throw new InvalidInputException(source + ": graph input " + input.getName() + " must be [batch, ...], got rank " + dims.size());
            }
            int[] shape = new int[dims.size() - 1];
            for (int i = 1; i < dims.size(); i++) {
                Onnx.TensorShapeProto.Dimension d = dims.get(i);
                if (!d.hasDimValue() || d.getDimValue() < 1) {
                    throw new InvalidInputException(source + ": graph input " + input.getName() + " dimension " + i + " is "
                            + (d.hasDimParam() ? "symbolic (" + d.getDimParam() + ")" : "unknown")
                            + "; only the batch dimension may be dynamic");
                }
                shape[i - 1] = (int) d.getDimValue();
            }
            return shape;
        }

        private String where(Onnx.NodeProto n, String name) {
            return source + ": node " + name + " (" + n.getOpType() + ", opset " + opset + ")";
        }

        private void importNode(Onnx.NodeProto n, int index) {
            String name = n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
            String where = where(n, name);
            if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
                throw new InvalidInputException(where + ": operator domain " + n.getDomain() + " is not supported");
            }
            Tensor[] in = new Tensor[n.getInputCount()];
            for (int i = 0; i < in.length; i++) {
                String v = n.getInput(i);
                if (v.isEmpty()) {
                    continue;
                }
                in[i] = values.get(v);
                if (in[i] == null) {
                    throw new InvalidInputException(where + ": input " + v + " is not computed before this node"
                            + " (nodes must be in topological order)");
                }
            }
            switch (n.getOpType()) {
                case "Conv", "Gemm", "MatMul" -> {
                    try {
                        switch (n.getOpType()) {
                            case "Conv" -> conv(n, name, where, in);
                            case "Gemm" -> gemm(n, name, where, in);
                            default -> matMul(n, name, where, in);
                        }
                    } catch (InvalidInputException e) {
                        throw e.getMessage().startsWith(where) ? e : new InvalidInputException(where + ": " + e.getMessage(), e);
                    }
                }
                case "BatchNormalization" -> {
                    if (!foldBatchNorm(n, where, in)) {
                        op(n, name, where, in);
                    }
                }
                case "Add" -> {
                    if (!foldBias(n, in)) {
                        op(n, name, where, in);
                    }
                }
                default -> op(n, name, where, in);
            }
        }

        private void op(Onnx.NodeProto n, String name, String where, Tensor[] in) {
            if (!Operators.supports(n.getOpType())) {
                throw new InvalidInputException(where + ": unsupported operator " + n.getOpType() + " (opset " + opset
                        + "); AxDSE supports Conv, Gemm, MatMul and " + String.join(", ", Operators.SUPPORTED));
            }
            Op op = Operators.create(n.getOpType(), new Attributes(n, where), opset);
            Tensor[] out;
            try {
                out = op.run(in);
            } catch (RuntimeException e) {
                throw e instanceof InvalidInputException ? e : new InvalidInputException(where + ": " + e, e);
            }
            boolean allConstant = n.getInputList().stream().allMatch(v -> v.isEmpty() || constants.containsKey(v));
            for (int i = 0; i < n.getOutputCount() && i < out.length; i++) {
                values.put(n.getOutput(i), out[i]);
                if (allConstant) {
                    constants.put(n.getOutput(i), out[i]);
                }
            }
            if (!allConstant) {
                steps.add(new Step(name, n.getOpType(), op, -1, n.getInputList(), n.getOutputList().subList(0, 1)));
            }
        }

        private Tensor constant(Onnx.NodeProto n, int i, String where, String what) {
            if (i >= n.getInputCount() || n.getInput(i).isEmpty()) {
                return null;
            }
            Tensor t = constants.get(n.getInput(i));
            if (t == null) {
                throw new InvalidInputException(where + ": " + what + " (" + n.getInput(i) + ") must be a constant initializer");
            }
            return t;
        }

        private void conv(Onnx.NodeProto n, String name, String where, Tensor[] in) {
            Attributes a = new Attributes(n, where);
            Tensor x = in[0];
            Tensor w = constant(n, 1, where, "the weight input");
            Tensor b = constant(n, 2, where, "the bias input");
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
            addLayer(n, name, ApproxLayer.Kind.CONV2D, g, w.floatData().clone(), bias, new int[] {c, x.dim(2), x.dim(3)}, in[0]);
        }

        private void gemm(Onnx.NodeProto n, String name, String where, Tensor[] in) {
            Attributes a = new Attributes(n, where);
            if (a.getInt("transA", 0) != 0) {
                throw a.error("transA=1 is not supported");
            }
            Tensor x = in[0];
            Tensor bT = constant(n, 1, where, "the B (weight) input");
            Tensor c = constant(n, 2, where, "the C (bias) input");
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
            addLayer(n, name, ApproxLayer.Kind.DENSE, Conv2dGeometry.dense(kIn, m), w, bias, new int[] {kIn}, x);
        }

        private void matMul(Onnx.NodeProto n, String name, String where, Tensor[] in) {
            Attributes a = new Attributes(n, where);
            Tensor x = in[0];
            Tensor b = constant(n, 1, where, "the second (weight) input");
            if (x.rank() != 2 || b.rank() != 2) {
                throw a.error("only [N, K] x [K, M] products with constant weights are supported, got " + x + " x " + b);
            }
            if (x.dim(1) != b.dim(0)) {
                throw a.error("inner dimensions differ: " + x + " x " + b);
            }
            int kIn = x.dim(1);
            int m = b.dim(1);
            addLayer(n, name, ApproxLayer.Kind.DENSE, Conv2dGeometry.dense(kIn, m), weightsOutByIn(b.floatData(), kIn, m, false),
                    new float[m], new int[] {kIn}, x);
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

        private void addLayer(Onnx.NodeProto n, String name, ApproxLayer.Kind kind, Conv2dGeometry g, float[] w, float[] bias,
                              int[] inputShape, Tensor x) {
            LayerDraft layer = new LayerDraft(layers.size(), name, n.getOpType(), kind, g, w, bias, inputShape, n.getInput(0),
                    n.getOutput(0));
            layers.add(layer);
            producedByLayer.put(n.getOutput(0), layer.index);
            steps.add(new Step(name, n.getOpType(), null, layer.index, List.of(n.getInput(0)), List.of(n.getOutput(0))));
            values.put(n.getOutput(0), evaluate(layer, x));
        }

        private static Tensor evaluate(LayerDraft layer, Tensor x) {
            // A layer per evaluation during import: weights may still change by folding.
            return FloatLayers.evaluate(layer.layer(), x);
        }

        /** Folds a BatchNormalization into the Conv/Gemm that produces its input, when it is that output's only consumer. */
        private boolean foldBatchNorm(Onnx.NodeProto n, String where, Tensor[] in) {
            Integer li = producedByLayer.get(n.getInput(0));
            if (li == null || consumers.getOrDefault(n.getInput(0), 0) != 1 || n.getInputCount() < 5) {
                return false;
            }
            for (int i = 1; i < 5; i++) {
                if (!constants.containsKey(n.getInput(i))) {
                    return false;
                }
            }
            Attributes a = new Attributes(n, where);
            if (a.getInt("training_mode", 0) != 0) {
                throw a.error("training_mode=1 is not supported (export the model in eval mode)");
            }
            double eps = a.getFloat("epsilon", 1e-5f);
            LayerDraft layer = layers.get(li);
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
            rewire(layer, n.getOutput(0));
            return true;
        }

        /** Folds {@code MatMul + Add(constant [M])} into the dense layer's bias. */
        private boolean foldBias(Onnx.NodeProto n, Tensor[] in) {
            if (n.getInputCount() != 2) {
                return false;
            }
            for (int side = 0; side < 2; side++) {
                Integer li = producedByLayer.get(n.getInput(side));
                String other = n.getInput(1 - side);
                if (li == null || !constants.containsKey(other) || consumers.getOrDefault(n.getInput(side), 0) != 1) {
                    continue;
                }
                LayerDraft layer = layers.get(li);
                Tensor c = constants.get(other);
                int m = layer.geometry.outChannels();
                boolean vector = layer.kind == ApproxLayer.Kind.DENSE && c.size() == m
                        && (c.rank() == 1 || (c.rank() == 2 && c.dim(0) == 1));
                if (!vector) {
                    continue;
                }
                float[] b = layer.bias;
                float[] cv = c.floatData();
                for (int o = 0; o < m; o++) {
                    b[o] += cv[o];
                }
                rewire(layer, n.getOutput(0));
                return true;
            }
            return false;
        }

        /** The layer now writes {@code newOutput}; its old output value disappears. */
        private void rewire(LayerDraft layer, String newOutput) {
            String old = layer.output;
            values.remove(old);
            producedByLayer.remove(old);
            layer.output = newOutput;
            producedByLayer.put(newOutput, layer.index);
            int at = -1;
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i).layer() == layer.index) {
                    at = i;
                }
            }
            Step s = steps.get(at);
            steps.set(at, new Step(s.name(), s.opType(), null, layer.index, s.inputs(), List.of(newOutput)));
            values.put(newOutput, evaluate(layer, values.get(layer.input)));
        }
    }
}
