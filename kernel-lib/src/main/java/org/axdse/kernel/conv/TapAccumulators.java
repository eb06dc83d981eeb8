package org.axdse.kernel.conv;

import java.util.List;

import org.axdse.kernel.InvalidInputException;

/**
 * Chooses the fastest available {@link TapAccumulator}: for now the portable scalar loop.
 */
final class TapAccumulators {
    private TapAccumulators() {
    }

    static TapAccumulator best() {
        return ScalarTapAccumulator.INSTANCE;
    }

    /** @return every inner loop usable in this JVM (tests run them all) */
    static List<TapAccumulator> available() {
        return List.of(ScalarTapAccumulator.INSTANCE);
    }

    static TapAccumulator byName(String name) {
        for (TapAccumulator a : available()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new InvalidInputException("inner loop: expected one of " + available().stream().map(TapAccumulator::name).toList()
                + ", got " + name);
    }
}
