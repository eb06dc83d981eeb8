package org.axdse.kernel.onnx;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Tensor;

/**
 * An ONNX model's graph as read and checked before its nodes are imported: the default-domain opset, the
 * initializers, the one image input and its shape, the logits output, and how often each value is read (folding
 * needs a layer's output to have one reader). The maps are read only.
 *
 * @param source       where the model comes from, for messages
 * @param sha256       SHA-256 of the model's bytes
 * @param opset        the default-domain opset, {@value OnnxImporter#MIN_OPSET}..{@value OnnxImporter#MAX_OPSET}
 * @param graph        the graph
 * @param initializers the initializers by name
 * @param inputName    the value that holds the images
 * @param imageShape   the input's shape per image (without the batch dimension)
 * @param fixedBatch   the input's batch dimension when the model declares a fixed one (an export without a dynamic
 *                     batch axis), 0 when it is symbolic or unknown
 * @param outputName   the graph's first output (the logits)
 * @param consumers    per value: how many node inputs and graph outputs read it
 */
record ModelGraph(String source, String sha256, int opset, Onnx.GraphProto graph, Map<String, Tensor> initializers,
                  String inputName, int[] imageShape, int fixedBatch, String outputName, Map<String, Integer> consumers) {

    /**
     * @param model  a parsed model with a non-empty graph
     * @param source where it comes from, for messages
     * @param sha256 SHA-256 of its bytes
     * @return its checked graph
     * @throws InvalidInputException naming {@code source} when the opset, the input or the outputs are not supported
     */
    static ModelGraph read(Onnx.ModelProto model, String source, String sha256) {
        Onnx.GraphProto graph = model.getGraph();
        int opset = opset(model, source);
        Map<String, Tensor> initializers = new HashMap<>();
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), Tensors.fromProto(t, source));
        }
        // Exporters may list initializers among the inputs too: the images are the one input that is not one.
        List<Onnx.ValueInfoProto> inputs = graph.getInputList().stream()
                .filter(i -> !initializers.containsKey(i.getName())).toList();
        if (inputs.size() != 1) {
            throw new InvalidInputException(source + ": expected one graph input (the images), got " + inputs.size() + " "
                    + inputs.stream().map(Onnx.ValueInfoProto::getName).toList());
        }
        Onnx.ValueInfoProto input = inputs.get(0);
        int[] imageShape = imageShape(input, source);
        if (graph.getOutputCount() == 0) {
            throw new InvalidInputException(source + ": the graph has no output");
        }
        Map<String, Integer> consumers = new HashMap<>();
        for (Onnx.NodeProto n : graph.getNodeList()) {
            for (String in : n.getInputList()) {
                consumers.merge(in, 1, Integer::sum);
            }
        }
        for (Onnx.ValueInfoProto o : graph.getOutputList()) {
            consumers.merge(o.getName(), 1, Integer::sum);
        }
        Onnx.TensorShapeProto.Dimension batch = input.getType().getTensorType().getShape().getDim(0);
        int fixedBatch = batch.hasDimValue() && batch.getDimValue() > 0 ? Math.toIntExact(batch.getDimValue()) : 0;
        return new ModelGraph(source, sha256, opset, graph, Collections.unmodifiableMap(initializers), input.getName(),
                imageShape, fixedBatch, graph.getOutput(0).getName(), Collections.unmodifiableMap(consumers));
    }

    private static int opset(Onnx.ModelProto model, String source) {
        int v = -1;
        for (Onnx.OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                v = (int) o.getVersion();
            }
        }
        if (v < 0) {
            throw new InvalidInputException(source + ": the model imports no default-domain (ai.onnx) opset");
        }
        if (v < OnnxImporter.MIN_OPSET || v > OnnxImporter.MAX_OPSET) {
            throw new InvalidInputException(source + ": opset " + v + " is not supported; expected " + OnnxImporter.MIN_OPSET
                    + ".." + OnnxImporter.MAX_OPSET + " (re-export with opset_version in that range)");
        }
        return v;
    }

    /** The input's shape without its batch dimension, which alone may be dynamic. */
    private static int[] imageShape(Onnx.ValueInfoProto input, String source) {
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
}
