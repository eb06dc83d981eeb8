package org.axdse.kernel.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Op;
import org.axdse.kernel.graph.Operators;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.model.FloatLayers;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.Step;

/**
 * One import of a checked {@link ModelGraph}: walks the nodes once in graph order, evaluating each on one zero
 * image to infer shapes, and builds the {@link Network}'s steps. Conv, Gemm and MatMul become approximable layers
 * ({@link LayerImport}); a BatchNormalization or constant bias Add that alone reads a layer's output is folded
 * into it; a node whose inputs are all constants becomes a constant itself; any other node becomes an operator
 * step.
 */
final class NetworkBuilder {
    private final ModelGraph graph;
    /** Values known before any image: initializers, then the outputs of nodes with constant inputs. */
    private final Map<String, Tensor> constants;
    /** Every value computed so far for the zero image. */
    private final Map<String, Tensor> values = new HashMap<>();
    /** Values written by a layer, to the layer's index (the candidates for folding). */
    private final Map<String, Integer> producedByLayer = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<LayerDraft> layers = new ArrayList<>();

    NetworkBuilder(ModelGraph graph) {
        this.graph = graph;
        this.constants = new HashMap<>(graph.initializers());
    }

    /**
     * @return the network
     * @throws InvalidInputException naming the model (and the node) when a node or the logits are not supported
     */
    Network build() {
        int[] inputShape = graph.imageShape();
        int[] batchOne = new int[inputShape.length + 1];
        batchOne[0] = 1;
        System.arraycopy(inputShape, 0, batchOne, 1, inputShape.length);
        values.putAll(constants);
        values.put(graph.inputName(), Tensor.floats(batchOne, new float[(int) Tensor.size(batchOne)]));
        Onnx.GraphProto g = graph.graph();
        for (int i = 0; i < g.getNodeCount(); i++) {
            importNode(g.getNode(i), i);
        }
        String source = graph.source();
        String outputName = graph.outputName();
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
        return new Network(source, graph.sha256(), graph.opset(), graph.inputName(), inputShape, outputName, out.dim(1), steps,
                constants, layers.stream().map(LayerDraft::layer).toList());
    }

    private void importNode(Onnx.NodeProto n, int index) {
        String name = n.getName().isEmpty() ? n.getOpType() + "_" + index : n.getName();
        String where = graph.source() + ": node " + name + " (" + n.getOpType() + ", opset " + graph.opset() + ")";
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
        ImportNode node = new ImportNode(n, name, where, in);
        switch (n.getOpType()) {
            case "Conv", "Gemm", "MatMul" -> {
                try {
                    LayerDraft layer = switch (n.getOpType()) {
                        case "Conv" -> LayerImport.conv(node, layers.size(), constants);
                        case "Gemm" -> LayerImport.gemm(node, layers.size(), constants);
                        default -> LayerImport.matMul(node, layers.size(), constants);
                    };
                    addLayer(layer, in[0]);
                } catch (InvalidInputException e) {
                    throw e.getMessage().startsWith(where) ? e : new InvalidInputException(where + ": " + e.getMessage(), e);
                }
            }
            case "BatchNormalization" -> {
                if (!foldBatchNorm(node)) {
                    op(node);
                }
            }
            case "Add" -> {
                if (!foldBias(node)) {
                    op(node);
                }
            }
            default -> op(node);
        }
    }

    /** Evaluates an operator node; it becomes a constant when all its inputs are, otherwise a step. */
    private void op(ImportNode node) {
        Onnx.NodeProto n = node.proto();
        String where = node.where();
        if (!Operators.supports(n.getOpType())) {
            throw new InvalidInputException(where + ": unsupported operator " + n.getOpType() + " (opset " + graph.opset()
                    + "); AxDSE supports Conv, Gemm, MatMul and " + String.join(", ", Operators.SUPPORTED));
        }
        Op op = Operators.create(n.getOpType(), node.attributes(), graph.opset());
        Tensor[] out;
        try {
            out = op.run(node.in());
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
            steps.add(new Step(node.name(), n.getOpType(), op, -1, n.getInputList(), n.getOutputList().subList(0, 1)));
        }
    }

    private void addLayer(LayerDraft layer, Tensor x) {
        layers.add(layer);
        producedByLayer.put(layer.output, layer.index);
        steps.add(new Step(layer.name, layer.opType, null, layer.index, List.of(layer.input), List.of(layer.output)));
        values.put(layer.output, evaluate(layer, x));
    }

    private static Tensor evaluate(LayerDraft layer, Tensor x) {
        // A layer per evaluation during import: weights may still change by folding.
        return FloatLayers.evaluate(layer.layer(), x);
    }

    /** Folds a BatchNormalization into the Conv/Gemm that produces its input, when it is that output's only consumer. */
    private boolean foldBatchNorm(ImportNode node) {
        Onnx.NodeProto n = node.proto();
        Integer li = producedByLayer.get(n.getInput(0));
        if (li == null || graph.consumers().getOrDefault(n.getInput(0), 0) != 1 || n.getInputCount() < 5) {
            return false;
        }
        for (int i = 1; i < 5; i++) {
            if (!constants.containsKey(n.getInput(i))) {
                return false;
            }
        }
        LayerDraft layer = layers.get(li);
        LayerImport.foldBatchNorm(layer, node);
        rewire(layer, n.getOutput(0));
        return true;
    }

    /** Folds {@code MatMul + Add(constant [M])} into the dense layer's bias. */
    private boolean foldBias(ImportNode node) {
        Onnx.NodeProto n = node.proto();
        if (n.getInputCount() != 2) {
            return false;
        }
        for (int side = 0; side < 2; side++) {
            Integer li = producedByLayer.get(n.getInput(side));
            String other = n.getInput(1 - side);
            if (li == null || !constants.containsKey(other) || graph.consumers().getOrDefault(n.getInput(side), 0) != 1) {
                continue;
            }
            LayerDraft layer = layers.get(li);
            if (LayerImport.foldBias(layer, constants.get(other))) {
                rewire(layer, n.getOutput(0));
                return true;
            }
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
