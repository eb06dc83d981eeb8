package org.axdse.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link FloatLoops} on the vector API; loaded only when the module is present. */
final class VectorFloatLoops {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;

    private VectorFloatLoops() {
    }

    static void relu(float[] in, float[] out, int n) {
        FloatVector zero = FloatVector.zero(FLOATS);
        int i = 0;
        for (int end = FLOATS.loopBound(n); i < end; i += FLOATS.length()) {
            FloatVector v = FloatVector.fromArray(FLOATS, in, i);
            // Lanes not greater than zero (negative, -0.0, NaN) become +0.0, as in the scalar rule.
            zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
        for (; i < n; i++) {
            float v = in[i];
            out[i] = v > 0f ? v : 0f;
        }
    }
}
