package org.axdse.kernel.model;

import java.util.Arrays;
import java.util.List;

/**
 * Which ReLU steps a {@link ForwardPass} may apply inside the layer before them: a ReLU that is the only reader
 * of a layer's output (not the network's output) can run in place on the layer's fresh output, saving a pass
 * and an allocation over the activations. Found once per network, from its steps.
 */
final class ReluFusion {
    /** Per layer: the index of the ReLU step that alone reads its output, or -1. */
    private final int[] reluOfLayer;
    /** Per step: whether it is a ReLU fused into its layer. */
    private final boolean[] fused;

    ReluFusion(Network network) {
        List<Step> steps = network.steps();
        reluOfLayer = new int[network.layers().size()];
        fused = new boolean[steps.size()];
        Arrays.fill(reluOfLayer, -1);
        for (int i = 0; i < steps.size(); i++) {
            int relu = soleReluReader(network, steps, i);
            if (steps.get(i).layer() >= 0 && relu >= 0) {
                reluOfLayer[steps.get(i).layer()] = relu;
                fused[relu] = true;
            }
        }
    }

    /**
     * @return the index of the step that is a ReLU and the only reader of step {@code i}'s output (which is not
     *         the network's output), or -1
     */
    private static int soleReluReader(Network network, List<Step> steps, int i) {
        String value = steps.get(i).outputs().get(0);
        if (value.equals(network.outputName())) {
            return -1;
        }
        int reader = -1;
        for (int j = i + 1; j < steps.size(); j++) {
            for (String in : steps.get(j).inputs()) {
                if (in.equals(value)) {
                    if (reader >= 0 && reader != j) {
                        return -1;
                    }
                    reader = j;
                }
            }
        }
        return reader >= 0 && steps.get(reader).opType().equals("Relu") && steps.get(reader).inputs().size() == 1 ? reader : -1;
    }

    /** @return the step index of the ReLU fused into layer {@code layer}, or -1 */
    int reluOf(int layer) {
        return reluOfLayer[layer];
    }

    /** @return whether step {@code step} is a ReLU fused into its layer */
    boolean isFused(int step) {
        return fused[step];
    }

    /** @return how many ReLU steps are fused */
    int count() {
        int count = 0;
        for (boolean f : fused) {
            count += f ? 1 : 0;
        }
        return count;
    }
}
