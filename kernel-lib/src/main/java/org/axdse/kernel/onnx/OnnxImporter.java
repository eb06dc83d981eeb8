package org.axdse.kernel.onnx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.google.protobuf.InvalidProtocolBufferException;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Operators;
import org.axdse.kernel.model.Network;

/**
 * Imports ONNX models (opset {@value #MIN_OPSET}..{@value #MAX_OPSET}) as exported by torch.onnx.export and
 * tf2onnx for ordinary CNNs.
 *
 * <ul>
 *   <li>The graph has one real input, {@code [batch, ...]} with a dynamic or fixed batch dimension and
 *       known other dimensions; its first output is the logits.</li>
 *   <li>Conv, Gemm and MatMul (with constant weights; a MatMul may read {@code [N, ..., K]}, a dense layer over
 *       the last axis) become the approximable layers, numbered in graph order. A BatchNormalization that directly follows a Conv or Gemm (and is its only consumer) is
 *       folded into its weights and bias; an Add of a constant bias vector after a MatMul is folded
 *       likewise. Other nodes become operators ({@link Operators}).</li>
 *   <li>Nodes whose inputs are all constants are folded at import (PyTorch's pad and shape arithmetic).</li>
 *   <li>Shapes are found by evaluating the graph once on a zero image, so every layer knows its input and
 *       output shapes and MACs.</li>
 *   <li>An export with a fixed batch (no dynamic batch axis): a Reshape to a constant shape that starts with that
 *       batch is read as keeping the batch axis ({@link Network#importNotes()} says so); the network is then run
 *       on a second batch size, and where that fails it runs only on its fixed batch
 *       ({@link Network#fixedBatch()}), refusing others with what to do.</li>
 * </ul>
 * Errors name the model file and, for nodes, the node name, its op type and the opset.
 *
 * <p>The work is done by package-private classes: {@code ModelGraph} reads and checks the graph (opset,
 * initializers, the image input, the outputs), {@code NetworkBuilder} walks its nodes into steps, and
 * {@code LayerImport} turns Conv, Gemm and MatMul into layers and folds BatchNormalization and bias Adds into them.
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
        return new NetworkBuilder(ModelGraph.read(model, source, sha256(bytes))).build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
