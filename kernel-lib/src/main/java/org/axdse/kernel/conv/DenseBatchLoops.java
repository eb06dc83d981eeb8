package org.axdse.kernel.conv;

/**
 * Decides whether the dense kernel may use {@link BytePermuteDense}: only when the vector-API inner loops are
 * in use (the module is enabled and {@value TapAccumulators#PROPERTY} does not force the scalar loop) and
 * the CPU has one-instruction byte permutes. Keeps the incubator classes unloaded otherwise.
 */
final class DenseBatchLoops {
    private DenseBatchLoops() {
    }

    /** @return whether the byte-permute batch loop is usable in this JVM, on this CPU */
    static boolean bytePermuteAvailable() {
        return TapAccumulators.best().name().equals("vector") && BytePermuteDense.supported();
    }
}
