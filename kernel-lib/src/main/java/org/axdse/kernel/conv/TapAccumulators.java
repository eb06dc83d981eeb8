package org.axdse.kernel.conv;

import java.util.ArrayList;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the {@link TapAccumulator}: the vector-API loop when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the launchers and the test setup do this), else the
 * portable scalar loop. System property {@value #PROPERTY}{@code =scalar} forces the scalar loop.
 */
final class TapAccumulators {
    /** System property that picks the inner loop: {@code vector} (default when available) or {@code scalar}. */
    static final String PROPERTY = "axdse.kernel.loop";

    private static final Logger LOG = LoggerFactory.getLogger(TapAccumulators.class);
    private static final List<TapAccumulator> AVAILABLE = detect();

    private TapAccumulators() {
    }

    static TapAccumulator best() {
        String wanted = System.getProperty(PROPERTY);
        return wanted == null || wanted.isBlank() ? AVAILABLE.get(0) : byName(wanted.trim());
    }

    /** @return every inner loop usable in this JVM, fastest first (tests run them all) */
    static List<TapAccumulator> available() {
        return AVAILABLE;
    }

    static TapAccumulator byName(String name) {
        for (TapAccumulator a : AVAILABLE) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new InvalidInputException(PROPERTY + ": expected one of "
                + AVAILABLE.stream().map(TapAccumulator::name).toList() + ", got " + name);
    }

    private static List<TapAccumulator> detect() {
        List<TapAccumulator> list = new ArrayList<>();
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                list.add(VectorTapAccumulator.INSTANCE);
            } catch (LinkageError e) {
                LOG.warn("vector API present but unusable ({}); using the scalar LUT loop", e.toString());
            }
        } else {
            LOG.info("jdk.incubator.vector not enabled (add --add-modules jdk.incubator.vector); using the scalar LUT loop");
        }
        list.add(ScalarTapAccumulator.INSTANCE);
        return List.copyOf(list);
    }
}
