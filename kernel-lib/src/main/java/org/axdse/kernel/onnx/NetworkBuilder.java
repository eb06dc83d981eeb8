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
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.QuantConfig;
import org.axdse.kernel.model.FloatLayers;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One import of a checked {@link ModelGraph}: walks the nodes once in graph order, evaluating each on one zero
 * image to infer shapes, and builds the {@link Network}'s steps. Conv, Gemm and MatMul become approximable layers
 * ({@link LayerImport}); a BatchNormalization or constant bias Add that alone reads a layer's output is folded
 * into it; a node whose inputs are all constants becomes a constant itself; any other node becomes an operator
 * step. A model exported with a fixed batch has its constant batch-leading Reshapes read as keeping the batch axis,
 * and is checked on a second batch size.
 */
final class NetworkBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkBuilder.class);
    /** The batch of the zero images that the import evaluates. */
    private static final int IMPORT_BATCH = 1;
    /** A second batch size that an export with a fixed batch is checked on. */
    private static final int CHECK_BATCH = 2;
    private final ModelGraph graph;
    /** Values known before any image: initializers, then the outputs of nodes with constant inputs. */
    private final Map<String, Tensor> constants;
    /** Every value computed so far for the zero image. */
    private final Map<String, Tensor> values = new HashMap<>();
    /** Values written by a layer, to the layer's index (the candidates for folding). */
    private final Map<String, Integer> producedByLayer = new HashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final List<LayerDraft> layers = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

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
        batchOne[0] = IMPORT_BATCH;
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
        if (out.rank() != 2 || out.dim(0) != IMPORT_BATCH) {
            throw new InvalidInputException(source + ": expected logits of shape [batch, classes] as the first output, got "
                    + Arrays.toString(out.shape()) + " for one image");
        }
        if (layers.isEmpty()) {
            throw new InvalidInputException(source + ": the model has no Conv, Gemm or MatMul layer to approximate");
        }
        Network net = network(out.dim(1), 0);
        if (graph.fixedBatch() == 0) {
            return net;
        }
        String failure = failureAtOtherBatch(net);
        if (failure == null) {
            return net;
        }
        String advice = "exported with a fixed batch of " + graph.fixedBatch() + " (dimension 0 of input " + graph.inputName()
                + ") and fails on other batch sizes: " + failure + "; re-export with a dynamic batch axis"
                + " (torch.onnx.export(..., dynamic_axes={'" + graph.inputName() + "': {0: 'batch'}, '" + outputName
                + "': {0: 'batch'}})) or evaluate with --batch " + graph.fixedBatch();
        notes.add(advice);
        LOG.warn("{}: {}", source, advice);
        return network(out.dim(1), graph.fixedBatch());
    }

    private Network network(int classes, int fixedBatch) {
        return new Network(graph.source(), graph.sha256(), graph.opset(), graph.inputName(), graph.imageShape(),
                graph.outputName(), classes, steps, constants, layers.stream().map(LayerDraft::layer).toList(), notes, fixedBatch);
    }

    /** Runs the network in FP32 on zero images of another batch size: null when that works, else why not. */
    private String failureAtOtherBatch(Network net) {
        try (ForwardPass pass = new ForwardPass(net, QuantConfig.DEFAULT, null)) {
            float[] logits = pass.logits(new float[CHECK_BATCH * net.inputSize()], CHECK_BATCH,
                    Assignment.uniform(null, net.layers().size()));
            return logits.length == CHECK_BATCH * net.outputSize() ? null : "the logits do not follow the batch";
        } catch (RuntimeException e) {
            return "at batch " + CHECK_BATCH + ", " + e.getMessage();
        }
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
        Op op = fixedBatchReshape(node) ? Operators.batchReshape(node.attributes(), graph.opset())
                : Operators.create(n.getOpType(), node.attributes(), graph.opset());
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
            steps.add(new Step(node.name(), n.getOpType(), op, -1, n.getInputList(),
                    n.getOutputList().subList(0, Math.min(n.getOutputCount(), out.length))));
        }
    }

    /**
     * Whether a Reshape's constant shape starts with the graph input's fixed batch while its data follows the batch
     * (not a constant, its leading dimension the import's batch): how {@code x.view(x.size(0), -1)} is exported
     * without a dynamic batch axis. Its leading dimension is then read as the batch axis, with a note.
     */
    private boolean fixedBatchReshape(ImportNode node) {
        Onnx.NodeProto n = node.proto();
        int batch = graph.fixedBatch();
        if (batch == 0 || !n.getOpType().equals("Reshape") || n.getInputCount() < 2 || constants.containsKey(n.getInput(0))
                || !constants.containsKey(n.getInput(1))) {
            return false;
        }
        long[] spec = constants.get(n.getInput(1)).longData();
        Tensor x = node.in()[0];
        if (spec.length == 0 || spec[0] != batch || x.rank() == 0 || x.dim(0) != IMPORT_BATCH) {
            return false;
        }
        String note = node.where() + ": the constant shape " + Arrays.toString(spec) + " starts with the input's fixed batch "
                + batch + "; read as the batch axis (export with a dynamic batch axis to avoid this)";
        notes.add(note);
        LOG.info(note);
        return true;
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
        if (layer.kind == ApproxLayer.Kind.DENSE && layer.inputShape.length > 1) {
            return false; // BatchNormalization scales axis 1, a dense layer over [N, ..., K] writes its outputs on the last
        }
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
