package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.assertLongs;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.longs;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * The operators added for the model zoo (issue 17): MobileNetV3's HardSigmoid/HardSwish, exact GELU's Erf, LayerNorm
 * (LayerNormalization, or ReduceMean/Sub/Pow/Sqrt/Div), and Split, Expand, Equal/Where, Max/Min, Neg, Exp. Their FP32
 * equality with PyTorch on whole exports is OnnxZooTest's; these pin the definitions on small cases.
 */
class ModelCoverageOpsTest {
    @Test
    void hardSigmoidAndHardSwishFollowTheirOnnxDefinitions() {
        Tensor x = floats(shape(5), -4f, -3f, 0f, 1.5f, 3f);
        assertFloats(shape(5), new float[] {0f, 0f, 0.5f, 0.75f, 1f},
                run("HardSigmoid", attrs().real("alpha", 1f / 6).real("beta", 0.5f), 13, x));
        assertFloats(shape(5), new float[] {0f, 0f, 0.5f, 0.75f, 1f}, run("HardSigmoid", attrs().real("alpha", 1f / 6), 13, x));
        assertFloats(shape(5), new float[] {-0f, -0f, 0f, 1.5f * 0.75f, 3f}, run("HardSwish", attrs(), 14, x));
    }

    @Test
    void erfIsAccurateBeyondFloatPrecision() {
        // Reference values of erf (Abramowitz and Stegun, table 7.1, and erf(4) = 1 - 1.54e-8).
        double[][] table = {{0, 0}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465}, {1, 0.8427007929497149},
            {2, 0.9953222650189527}, {3, 0.9999779095030014}, {3.9, 0.9999999652077514}};
        for (double[] t : table) {
            assertEquals(t[1], Activations.erf(t[0]), 1e-15, "erf(" + t[0] + ")");
            assertEquals(-t[1], Activations.erf(-t[0]), 1e-15, "erf(-" + t[0] + ")");
        }
        assertFloats(shape(4), new float[] {1f, -1f, (float) 0.8427007929497149, Float.NaN},
                run("Erf", attrs(), 13, floats(shape(4), 4f, -30f, 1f, Float.NaN)));
    }

    @Test
    void unaryArithmetic() {
        Tensor x = floats(shape(3), 0f, 1f, 4f);
        assertFloats(shape(3), new float[] {1f, (float) Math.E, (float) Math.exp(4)}, run("Exp", attrs(), 13, x));
        assertFloats(shape(3), new float[] {-0f, -1f, -4f}, run("Neg", attrs(), 13, x));
        assertLongs(shape(2), new long[] {-3, 2}, run("Neg", attrs(), 13, longs(shape(2), 3, -2)));
        assertFloats(shape(3), new float[] {0f, 1f, 2f}, run("Sqrt", attrs(), 13, x));
    }

    @Test
    void powMaxAndMinBroadcast() {
        Tensor x = floats(shape(2, 2), -2f, 0.5f, 3f, -1f);
        assertFloats(shape(2, 2), new float[] {4f, 0.25f, 9f, 1f}, run("Pow", attrs(), 13, x, floats(shape(1), 2f)));
        assertFloats(shape(2, 2), new float[] {0f, 0.5f, 3f, 0f}, run("Max", attrs(), 13, x, floats(shape(1), 0f)));
        assertFloats(shape(2, 2), new float[] {-2f, 0.5f, 1f, -1f},
                run("Min", attrs(), 13, x, floats(shape(2, 1), 1f, 1f), floats(shape(2), 2f, 0.5f)));
        assertFloats(shape(2, 2), x.floatData(), run("Max", attrs(), 13, x));
    }

    @Test
    void expandEqualAndWhereAsPyTorchExportsExpandWithMinusOne() {
        Tensor bias = floats(shape(1, 2, 1), 5f, 6f);
        Tensor wanted = longs(shape(3), 3, -1, 2);
        Tensor minusOne = run("Equal", attrs(), 13, wanted, longs(shape(1), -1));
        assertLongs(shape(3), new long[] {0, 1, 0}, minusOne);
        Tensor resolved = run("Where", attrs(), 13, minusOne, longs(shape(3), 1, 1, 1), wanted);
        assertLongs(shape(3), new long[] {3, 1, 2}, resolved);
        assertFloats(shape(3, 2, 2), new float[] {5f, 5f, 6f, 6f, 5f, 5f, 6f, 6f, 5f, 5f, 6f, 6f},
                run("Expand", attrs(), 13, bias, resolved));
        assertFloats(shape(2), new float[] {1f, -2f},
                run("Where", attrs(), 13, longs(shape(2), 1, 0), floats(shape(1), 1f), floats(shape(2), 7f, -2f)));
    }

    @Test
    void splitCutsBySizesOrIntoEqualParts() {
        Tensor x = floats(shape(1, 5), 0f, 1f, 2f, 3f, 4f);
        Tensor[] bySizes = Operators.create("Split", attrs().integer("axis", 1).outputs(2), 13).run(new Tensor[] {x, longs(shape(2), 2, 3)});
        assertFloats(shape(1, 2), new float[] {0f, 1f}, bySizes[0]);
        assertFloats(shape(1, 3), new float[] {2f, 3f, 4f}, bySizes[1]);
        Tensor[] byAttribute = Operators.create("Split", attrs().integer("axis", -1).ints("split", 4, 1).outputs(2), 11)
                .run(new Tensor[] {x});
        assertFloats(shape(1, 1), new float[] {4f}, byAttribute[1]);
        Tensor[] equal = Operators.create("Split", attrs().integer("axis", 1).outputs(3), 13).run(new Tensor[] {x});
        assertFloats(shape(1, 2), new float[] {2f, 3f}, equal[1]);
        assertFloats(shape(1, 1), new float[] {4f}, equal[2]);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Operators.create("Split", attrs().integer("axis", 1).outputs(2), 13).run(new Tensor[] {x, longs(shape(2), 2, 2)}));
        assertTrue(e.getMessage().startsWith("node: split sizes [2, 2] do not cut axis 1 of float[1, 5] into 2 outputs"), e.getMessage());
    }

    @Test
    void layerNormalizationNormalisesTheLastAxes() {
        Tensor x = floats(shape(2, 2), 1f, 3f, 5f, -5f);
        Tensor y = run("LayerNormalization", attrs().real("epsilon", 0f), 17, x, floats(shape(2), 2f, 1f), floats(shape(2), 0f, 0.5f));
        assertFloats(shape(2, 2), new float[] {-2f, 1.5f, 2f, -0.5f}, y);
        Tensor all = run("LayerNormalization", attrs().integer("axis", 0).real("epsilon", 0f), 17, x,
                floats(shape(2, 2), 1f, 1f, 1f, 1f));
        // mean 1, variance (0 + 4 + 16 + 36) / 4 = 14
        assertEquals((float) (-1 / Math.sqrt(14)), all.floatData()[3] / 6, 1e-7f);
    }
}
