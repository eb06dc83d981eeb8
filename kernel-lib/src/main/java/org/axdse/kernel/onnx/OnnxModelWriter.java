package org.axdse.kernel.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.graph.Tensor;

/**
 * Writes small ONNX models (the bundled models, test graphs): a chain of nodes with FP32 initializers, one
 * NCHW input with a dynamic batch dimension ({@code N}) and one output.
 */
public final class OnnxModelWriter {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
    private final int opset;
    private int nodes;

    /**
     * @param graphName  the graph's name
     * @param inputName  the input's name
     * @param inputShape the input's shape per image
     * @param opset      the default-domain opset to declare
     */
    public OnnxModelWriter(String graphName, String inputName, int[] inputShape, int opset) {
        this.opset = opset;
        graph.setName(graphName);
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (int d : inputShape) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        graph.addInput(Onnx.ValueInfoProto.newBuilder().setName(inputName).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(shape))));
    }

    /**
     * @param name   initializer name
     * @param tensor its value
     * @return name
     */
    public String initializer(String name, Tensor tensor) {
        graph.addInitializer(Tensors.toProto(name, tensor));
        return name;
    }

    /**
     * Adds a node.
     *
     * @param opType     ONNX op type
     * @param inputs     input value names
     * @param output     output value name
     * @param attributes attributes
     * @return output
     */
    public String node(String opType, List<String> inputs, String output, Onnx.AttributeProto... attributes) {
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(opType).setName(opType.toLowerCase() + "_" + nodes++)
                .addAllInput(inputs).addOutput(output);
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return output;
    }

    /** @return an INTS attribute */
    public static Onnx.AttributeProto ints(String name, int... values) {
        Onnx.AttributeProto.Builder b = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (int v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    /** @return an INT attribute */
    public static Onnx.AttributeProto integer(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    /** @return a FLOAT attribute */
    public static Onnx.AttributeProto real(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    /**
     * @param outputName the graph output (logits [N, classes])
     * @param classes    logits per image
     * @param doc        a description stored in the model
     * @return the model's bytes
     */
    public byte[] build(String outputName, int classes, String doc) {
        graph.addOutput(Onnx.ValueInfoProto.newBuilder().setName(outputName).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(Onnx.TensorProto.DataType.FLOAT_VALUE)
                        .setShape(Onnx.TensorShapeProto.newBuilder()
                                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(classes))))));
        return Onnx.ModelProto.newBuilder().setIrVersion(7).setProducerName("AxDSE").setProducerVersion("0.1")
                .setDocString(doc).addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setVersion(opset))
                .setGraph(graph).build().toByteArray();
    }

    /**
     * @param bytes a model
     * @param file  destination, written atomically
     */
    public static void write(byte[] bytes, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AxdseException(file + ": cannot write the model (" + e + ")", e);
        }
    }

    /** @return a list of names */
    public static List<String> of(String... names) {
        return new ArrayList<>(List.of(names));
    }
}
