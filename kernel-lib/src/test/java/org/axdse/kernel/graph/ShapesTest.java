package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.assertLongs;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.longs;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** Flatten, Reshape, Shape, Unsqueeze and Squeeze: new shapes over the same values in the same order. */
class ShapesTest {
    private static final float[] SIX = {1f, 2f, 3f, 4f, 5f, 6f};

    @Test
    void flattenSplitsTheShapeAtTheAxis() {
        Tensor x = floats(shape(1, 2, 3), SIX);
        assertFloats(shape(1, 6), SIX, run("Flatten", attrs(), 13, x));
        assertFloats(shape(2, 3), SIX, run("Flatten", attrs().integer("axis", 2), 13, x));
        assertFloats(shape(1, 6), SIX, run("Flatten", attrs().integer("axis", 0), 13, x));
        assertFloats(shape(6, 1), SIX, run("Flatten", attrs().integer("axis", 3), 13, x));
        assertFloats(shape(2, 3), SIX, run("Flatten", attrs().integer("axis", -1), 13, x));
        Tensor out = run("Flatten", attrs(), 13, x);
        assertSame(x.floatData(), out.floatData(), "the values are shared, not copied");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run("Flatten", attrs().integer("axis", 4), 13, x));
        assertEquals("node: axis 4 is out of range for rank 3", e.getMessage());
    }

    @Test
    void reshapeInfersMinusOneAndCopiesZeroFromTheInput() {
        Tensor x = floats(shape(2, 3), SIX);
        assertFloats(shape(3, 2), SIX, run("Reshape", attrs(), 13, x, longs(shape(2), 3, -1)));
        assertFloats(shape(2, 3, 1), SIX, run("Reshape", attrs(), 13, x, longs(shape(3), 0, -1, 1)));
        assertFloats(shape(6), SIX, run("Reshape", attrs(), 13, x, longs(shape(1), -1)));
        assertFloats(shape(2, 3), SIX, run("Reshape", attrs(), 13, x, longs(shape(2), 0, 0)));
        // allowzero=1: 0 is a real zero-size dimension, which six values cannot fill.
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Reshape", attrs().integer("allowzero", 1), 14, x, longs(shape(2), 0, 6)));
        assertEquals("node: cannot reshape float[2, 3] (6 values) to [0, 6]", e.getMessage());
    }

    @Test
    void reshapeRejectsImpossibleShapes() {
        Tensor x = floats(shape(2, 3), SIX);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Reshape", attrs(), 13, x, longs(shape(2), -1, -1)));
        assertEquals("node: shape [-1, -1] has more than one -1", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Reshape", attrs(), 13, x, longs(shape(2), 4, -1)));
        assertEquals("node: cannot reshape float[2, 3] to [4, -1]", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Reshape", attrs(), 13, x, longs(shape(3), 1, 1, 0)));
        assertEquals("node: shape [1, 1, 0] copies dimension 2 of a rank-2 input", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> run("Reshape", attrs(), 13, x, longs(shape(2), -2, 3)));
        assertEquals("node: invalid shape [-2, 3]", e.getMessage());
    }

    @Test
    void shapeGivesTheDimensionsAsInt64BetweenStartAndEnd() {
        Tensor x = floats(shape(2, 3, 4, 5), new float[120]);
        assertLongs(shape(4), new long[] {2, 3, 4, 5}, run("Shape", attrs(), 13, x));
        assertLongs(shape(2), new long[] {3, 4}, run("Shape", attrs().integer("start", 1).integer("end", -1), 15, x));
        assertLongs(shape(0), new long[0], run("Shape", attrs().integer("start", 9), 15, x));
    }

    @Test
    void unsqueezeInsertsOnesAtOutputAxes() {
        Tensor x = floats(shape(2, 3), SIX);
        assertFloats(shape(1, 2, 1, 3), SIX, run("Unsqueeze", attrs().ints("axes", 0, 2), 11, x));
        assertFloats(shape(2, 3, 1), SIX, run("Unsqueeze", attrs(), 13, x, longs(shape(1), -1)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> run("Unsqueeze", attrs(), 11, x));
        assertEquals("node: axes are required", e.getMessage());
    }

    @Test
    void squeezeDropsTheGivenAxesOrEverySizeOneAxis() {
        Tensor x = floats(shape(1, 2, 1, 3), SIX);
        assertFloats(shape(2, 3), SIX, run("Squeeze", attrs(), 13, x));
        assertFloats(shape(2, 1, 3), SIX, run("Squeeze", attrs(), 13, x, longs(shape(1), 0)));
        assertFloats(shape(1, 2, 3), SIX, run("Squeeze", attrs().ints("axes", -2), 11, x));
        assertArrayEquals(new int[0], run("Squeeze", attrs(), 13, floats(shape(1, 1), 7f)).shape());
    }
}
