package org.axdse.kernel.conv;

/**
 * Element-wise FP32 loops of the forward pass that the JIT does not vectorise by itself (a float select
 * is not vectorised by C2 in JDK 17): the vector-API version where the CPU kernels use the vector API
 * ({@link TapAccumulators}), else a plain loop. Both give the same bits.
 */
public final class FloatLoops {
    private static final boolean VECTOR = TapAccumulators.best().name().equals("vector");

    private FloatLoops() {
    }

    /**
     * ReLU as the ONNX operator is evaluated here: {@code out[i] = in[i] > 0 ? in[i] : +0.0f} (NaN and -0.0
     * become +0.0). {@code in} and {@code out} may be the same array.
     *
     * @param in  values
     * @param out results, at least {@code n}
     * @param n   values
     */
    public static void relu(float[] in, float[] out, int n) {
        if (VECTOR) {
            VectorFloatLoops.relu(in, out, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            float v = in[i];
            out[i] = v > 0f ? v : 0f;
        }
    }
}
