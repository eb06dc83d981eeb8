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

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Concat and Pad: inputs joined along an axis, or surrounded by a constant. */
class ConcatPadTest {
    @Test
    void concatJoinsAlongTheAxis() {
        Tensor a = floats(shape(2, 1), 1f, 2f);
        Tensor b = floats(shape(2, 2), 3f, 4f, 5f, 6f);
        assertFloats(shape(2, 3), new float[] {1f, 3f, 4f, 2f, 5f, 6f}, run("Concat", attrs().integer("axis", 1), 13, a, b));
        assertFloats(shape(2, 3), new float[] {1f, 3f, 4f, 2f, 5f, 6f}, run("Concat", attrs().integer("axis", -1), 13, a, null, b));
        assertFloats(shape(4, 1), new float[] {1f, 2f, 1f, 2f}, run("Concat", attrs().integer("axis", 0), 13, a, a));
    }

    @Test
    void concatOfInt64StaysInt64UnlessAFloatJoins() {
        assertLongs(shape(3), new long[] {7, 8, 9},
                run("Concat", attrs().integer("axis", 0), 13, longs(shape(1), 7), longs(shape(2), 8, 9)));
        assertFloats(shape(3), new float[] {7f, 0.5f, 1.5f},
                run("Concat", attrs().integer("axis", 0), 13, longs(shape(1), 7), floats(shape(2), 0.5f, 1.5f)));
    }

    @Test
    void concatRejectsAMissingAxisAndMismatchedShapes() {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Operators.create("Concat", attrs(), 13));
        assertEquals("node: attribute axis is required", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Concat", attrs().integer("axis", 1), 13,
                floats(shape(2, 1), 1f, 2f), floats(shape(3, 1), 1f, 2f, 3f)));
        assertEquals("node: input shapes [2, 1] and [3, 1] differ off axis 1", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Concat", attrs().integer("axis", 0), 13,
                floats(shape(2, 1), 1f, 2f), floats(shape(1), 3f)));
        assertEquals("node: inputs of ranks 2 and 1", e.getMessage());
    }

    @Test
    void padSurroundsWithTheValueBeginsFirstThenEnds() {
        Tensor x = floats(shape(2, 2), 1f, 2f, 3f, 4f);
        // pads [begin_0, begin_1, end_0, end_1] = one column before, one row after.
        assertFloats(shape(3, 3), new float[] {9f, 1f, 2f, 9f, 3f, 4f, 9f, 9f, 9f},
                run("Pad", attrs(), 13, x, longs(shape(4), 0, 1, 1, 0), floats(shape(), 9f)));
        assertFloats(shape(2, 4), new float[] {0f, 1f, 2f, 0f, 0f, 3f, 4f, 0f},
                run("Pad", attrs(), 11, x, longs(shape(4), 0, 1, 0, 1)));
        // Negative pads crop.
        assertFloats(shape(2, 1), new float[] {2f, 4f}, run("Pad", attrs(), 13, x, longs(shape(4), 0, -1, 0, 0)));
        // Before opset 11, pads and value are attributes.
        assertFloats(shape(2, 3), new float[] {1f, 2f, -1f, 3f, 4f, -1f},
                run("Pad", attrs().ints("pads", 0, 0, 0, 1).real("value", -1f), 10, x));
    }

    @Test
    void padRejectsOtherModesWrongPadsAndTheAxesInput() {
        Tensor x = floats(shape(2, 2), 1f, 2f, 3f, 4f);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Operators.create("Pad", attrs().string("mode", "reflect"), 13));
        assertEquals("node: mode reflect is not supported (constant only)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Pad", attrs(), 13, x, longs(shape(2), 1, 1)));
        assertEquals("node: pads: expected 4 values for rank 2, got 2", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Pad", attrs(), 13, x, longs(shape(4), 0, -3, 0, 0)));
        assertEquals("node: pads [0, -3, 0, 0] crop dimension 1 below zero", e.getMessage());
        e = assertThrows(InvalidInputException.class,
                () -> run("Pad", attrs(), 18, x, longs(shape(2), 1, 1), null, longs(shape(1), 1)));
        assertEquals("node: the axes input of Pad is not supported", e.getMessage());
    }
}
