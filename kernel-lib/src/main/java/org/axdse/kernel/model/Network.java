package org.axdse.kernel.model;

import java.util.List;
import java.util.Map;

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

    Network(String source, String sha256, int opset, String inputName, int[] inputShape, String outputName, int outputSize,
            List<Step> steps, Map<String, Tensor> constants, List<ApproxLayer> layers) {
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

    List<Step> steps() {
        return steps;
    }

    Map<String, Tensor> constants() {
        return constants;
    }
}
