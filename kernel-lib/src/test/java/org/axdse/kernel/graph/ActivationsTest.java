package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;

import org.junit.jupiter.api.Test;

/** Relu, LeakyRelu, Sigmoid, Tanh and Clip, element by element, with the edge values spelled out. */
class ActivationsTest {
    private static final float NAN = Float.NaN;
    private static final float INF = Float.POSITIVE_INFINITY;

    @Test
    void reluKeepsPositivesAndMakesEverythingElsePlusZero() {
        Tensor x = floats(shape(2, 3), -2f, -0.0f, 0f, 1.5f, NAN, INF);
        assertFloats(shape(2, 3), new float[] {0f, 0f, 0f, 1.5f, 0f, INF}, run("Relu", attrs(), 13, x));
    }

    @Test
    void leakyReluScalesNegativesByAlpha() {
        Tensor x = floats(shape(4), -4f, -0.0f, 3f, -1f);
        // v >= 0 ? v : alpha * v; -0.0 >= 0 holds, so -0.0 passes unchanged.
        assertFloats(shape(4), new float[] {-2f, -0.0f, 3f, -0.5f}, run("LeakyRelu", attrs().real("alpha", 0.5f), 13, x));
        // Default alpha 0.01: float products.
        assertFloats(shape(4), new float[] {-4f * 0.01f, -0.0f, 3f, -0.01f}, run("LeakyRelu", attrs(), 13, x));
    }

    @Test
    void sigmoidAndTanhAtTheirFixedPoints() {
        Tensor x = floats(shape(4), 0f, -0.0f, INF, -INF);
        assertFloats(shape(4), new float[] {0.5f, 0.5f, 1f, 0f}, run("Sigmoid", attrs(), 13, x));
        assertFloats(shape(4), new float[] {0f, -0.0f, 1f, -1f}, run("Tanh", attrs(), 13, x));
        // One ordinary value each, rounded from double: tanh(0.5) = 0.46211715726..., sigmoid(2) = 0.88079707797...
        assertFloats(shape(1), new float[] {0.46211716f}, run("Tanh", attrs(), 13, floats(shape(1), 0.5f)));
        assertFloats(shape(1), new float[] {0.8807971f}, run("Sigmoid", attrs(), 13, floats(shape(1), 2f)));
    }

    @Test
    void clipTakesItsBoundsFromAttributesBeforeOpset11AndFromInputsSince() {
        Tensor x = floats(shape(5), -3f, -0.5f, 2f, NAN, 1f);
        assertFloats(shape(5), new float[] {-1f, -0.5f, 1f, NAN, 1f},
                run("Clip", attrs().real("min", -1f).real("max", 1f), 6, x));
        // Opset 11+: min and max are optional inputs 1 and 2; a missing one is unbounded.
        assertFloats(shape(5), new float[] {0f, 0f, 2f, NAN, 1f}, run("Clip", attrs(), 13, x, floats(shape(), 0f)));
        assertFloats(shape(5), new float[] {-3f, -0.5f, 0.5f, NAN, 0.5f},
                run("Clip", attrs(), 13, x, null, floats(shape(), 0.5f)));
        assertFloats(shape(5), new float[] {-3f, -0.5f, 2f, NAN, 1f}, run("Clip", attrs(), 13, x));
        // ReLU6.
        assertFloats(shape(3), new float[] {0f, 6f, 3f},
                run("Clip", attrs(), 11, floats(shape(3), -1f, 7f, 3f), floats(shape(), 0f), floats(shape(), 6f)));
    }
}
