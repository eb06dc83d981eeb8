package org.axdse.kernel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.graph.Tensor;

/**
 * Evaluates the assignments of one {@link ForwardPass#logits(float[], int, List)} call with prefix reuse: they are
 * visited in the order of their layers' keys, so assignments that share their first k multipliers come one after
 * the other, and each resumes from the values its predecessor had before layer k instead of starting over. An
 * assignment with the same multipliers as its predecessor gets its logits (the same array).
 */
final class PrefixReuse {
    /** Evaluates one assignment from a step on; records the values before each layer it runs in the snapshots. */
    @FunctionalInterface
    interface Pass {
        /**
         * @param values    the values before step {@code from} (the pass's own copy)
         * @param from      the first step to run
         * @param a         the assignment
         * @param snapshots where to record the values before each layer
         * @return the logits
         */
        float[] run(Map<String, Tensor> values, int from, Assignment a, Snapshots snapshots);
    }

    /** The values before each layer, as the latest pass that ran the layer saw them. */
    static final class Snapshots {
        private final List<Map<String, Tensor>> before;

        private Snapshots(int layers) {
            before = new ArrayList<>(Collections.nCopies(layers, null));
        }

        /** Keeps a copy of {@code values}, the values right before layer {@code layer} runs. */
        void beforeLayer(int layer, Map<String, Tensor> values) {
            before.set(layer, new HashMap<>(values));
        }
    }

    /** Per layer: the index of its step, where a pass that resumes before the layer starts. */
    private final int[] layerStep;

    PrefixReuse(Network network) {
        layerStep = new int[network.layers().size()];
        List<Step> steps = network.steps();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).layer() >= 0) {
                layerStep[steps.get(i).layer()] = i;
            }
        }
    }

    /**
     * @param assignments assignments, each with one multiplier per layer
     * @param start       the values before the first step (constants and the input)
     * @param pass        evaluates one assignment
     * @return logits per assignment, in the order given
     */
    float[][] evaluate(List<Assignment> assignments, Map<String, Tensor> start, Pass pass) {
        int layers = layerStep.length;
        Snapshots snapshots = new Snapshots(layers);
        float[][] results = new float[assignments.size()][];
        Assignment previous = null;
        int previousIndex = -1;
        for (int idx : visitingOrder(assignments)) {
            Assignment a = assignments.get(idx);
            int k = previous == null ? 0 : previous.commonPrefix(a);
            if (k == 0) {
                results[idx] = pass.run(new HashMap<>(start), 0, a, snapshots);
            } else if (k >= layers) { // the same multipliers: the same logits
                results[idx] = results[previousIndex];
            } else {
                results[idx] = pass.run(new HashMap<>(snapshots.before.get(k)), layerStep[k], a, snapshots);
            }
            previous = a;
            previousIndex = idx;
        }
        return results;
    }

    /** @return the assignments' indices sorted by their layers' keys (a stable sort: ties keep their order) */
    private static Integer[] visitingOrder(List<Assignment> assignments) {
        Integer[] order = new Integer[assignments.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        List<String> sortKeys = assignments.stream().map(a -> String.join("\u0000", a.keys())).toList();
        Arrays.sort(order, Comparator.comparing(sortKeys::get));
        return order;
    }
}
