package org.axdse.kernel.model;

import java.util.List;
import java.util.Map;

import org.axdse.kernel.graph.Tensor;

/**
 * An imported CNN: its evaluation steps in graph order, constants, the NCHW input and the logits output,
 * and its approximable layers. Immutable after import and safe to share between threads (evaluation
 * state lives in {@link ForwardPass}).
 */
public final class Network {
    private final String source;
    private final String sha256;
    private final int opset;
    private final String inputName;
    private final int[] inputShape;
    private final String outputName;
    private final int outputSize;
    private final List<Step> steps;
    private final Map<String, Tensor> constants;
    private final List<ApproxLayer> layers;
    private final List<String> importNotes;
    private final int fixedBatch;

    /**
     * Built by an importer ({@code org.axdse.kernel.onnx.OnnxImporter}); lists and maps are copied.
     *
     * @param source      where the model was read from
     * @param sha256      SHA-256 of the model file's bytes
     * @param opset       the default-domain opset
     * @param inputName   the value that holds the images
     * @param inputShape  the input's shape per image (not copied)
     * @param outputName  the value that holds the logits, {@code [batch, outputSize]}
     * @param outputSize  logits per image
     * @param steps       the evaluation steps in graph order; layer steps refer to {@code layers} by index
     * @param constants   values known before any image (initializers, folded constants)
     * @param layers      the approximable layers, {@code layers.get(i).index() == i}
     * @param importNotes what the importer read differently from the file, for the user (e.g. a fixed-batch Reshape
     *                    read as the batch axis)
     * @param fixedBatch  0 when the network runs on any batch size, otherwise the one batch size it runs on (an
     *                    export with a fixed batch that the importer could not generalise)
     */
    public Network(String source, String sha256, int opset, String inputName, int[] inputShape, String outputName, int outputSize,
                   List<Step> steps, Map<String, Tensor> constants, List<ApproxLayer> layers, List<String> importNotes,
                   int fixedBatch) {
        this.source = source;
        this.sha256 = sha256;
        this.opset = opset;
        this.inputName = inputName;
        this.inputShape = inputShape;
        this.outputName = outputName;
        this.outputSize = outputSize;
        this.steps = List.copyOf(steps);
        this.constants = Map.copyOf(constants);
        this.layers = List.copyOf(layers);
        this.importNotes = List.copyOf(importNotes);
        this.fixedBatch = fixedBatch;
    }

    /** @return what the importer read differently from the file, one line each (unmodifiable; usually empty) */
    public List<String> importNotes() {
        return importNotes;
    }

    /**
     * @return 0 when the network runs on batches of any size; otherwise the one batch size it runs on (the model was
     *     exported with a fixed batch; {@link #importNotes()} says why it could not be generalised)
     */
    public int fixedBatch() {
        return fixedBatch;
    }

    /** @return where the model was read from */
    public String source() {
        return source;
    }

    /** @return SHA-256 of the model file's bytes */
    public String sha256() {
        return sha256;
    }

    /** @return the default-domain opset */
    public int opset() {
        return opset;
    }

    /** @return the input's shape per image (e.g. C, H, W) */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** @return floats per input image */
    public int inputSize() {
        return (int) Tensor.size(inputShape);
    }

    /** @return logits per image (classes) */
    public int outputSize() {
        return outputSize;
    }

    /** @return the approximable layers in graph order */
    public List<ApproxLayer> layers() {
        return layers;
    }

    /** @return total multiply-accumulates of the approximable layers per image */
    public long macsPerImage() {
        return layers.stream().mapToLong(ApproxLayer::macsPerImage).sum();
    }

    String inputName() {
        return inputName;
    }

    String outputName() {
        return outputName;
    }

    /** @return the evaluation steps in graph order (operators and approximable layers; unmodifiable) */
    public List<Step> steps() {
        return steps;
    }

    Map<String, Tensor> constants() {
        return constants;
    }
}
