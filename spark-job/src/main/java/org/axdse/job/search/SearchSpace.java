package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.axdse.kernel.model.Assignment;

/**
 * The options of each approximable layer: the allowed multiplier names, or only {@code exact-fp32} for a
 * layer excluded from approximation.
 *
 * @param options per layer, in layer order
 */
public record SearchSpace(List<List<String>> options) {
    /** Copies the lists. */
    public SearchSpace {
        List<List<String>> copy = new ArrayList<>();
        for (List<String> o : options) {
            copy.add(List.copyOf(o));
        }
        options = Collections.unmodifiableList(copy);
    }

    /** @return number of layers */
    public int layers() {
        return options.size();
    }

    /** @return the number of assignments, saturating at Long.MAX_VALUE */
    public long size() {
        long n = 1;
        for (List<String> o : options) {
            try {
                n = Math.multiplyExact(n, o.size());
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    /** @return whether layer {@code i} may be approximated */
    public boolean approximable(int layer) {
        return !(options.get(layer).size() == 1 && options.get(layer).get(0).equals(Assignment.EXACT_FP32));
    }
}
