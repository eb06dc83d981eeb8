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

/** Add, Sub, Mul and Div with NumPy broadcasting, in float32 or int64. */
class BroadcastTest {
    @Test
    void aVectorIsAddedToEveryRow() {
        Tensor m = floats(shape(2, 3), 1f, 2f, 3f, 4f, 5f, 6f);
        Tensor v = floats(shape(3), 10f, 20f, 30f);
        assertFloats(shape(2, 3), new float[] {11f, 22f, 33f, 14f, 25f, 36f}, run("Add", attrs(), 13, m, v));
        assertFloats(shape(2, 3), new float[] {11f, 22f, 33f, 14f, 25f, 36f}, run("Add", attrs(), 13, v, m));
    }

    @Test
    void aColumnAndARowBroadcastToTheirOuterShape() {
        Tensor column = floats(shape(2, 1), 1f, 2f);
        Tensor row = floats(shape(1, 3), 1f, 10f, 100f);
        assertFloats(shape(2, 3), new float[] {1f, 10f, 100f, 2f, 20f, 200f}, run("Mul", attrs(), 13, column, row));
        assertFloats(shape(2, 3), new float[] {0f, -9f, -99f, 1f, -8f, -98f}, run("Sub", attrs(), 13, column, row));
        // A scalar (rank 0) against a 4-D tensor.
        assertFloats(shape(1, 2, 1, 2), new float[] {0.5f, 1f, 1.5f, 2f},
                run("Div", attrs(), 13, floats(shape(1, 2, 1, 2), 1f, 2f, 3f, 4f), floats(shape(), 2f)));
    }

    @Test
    void floatDivisionFollowsIeee() {
        assertFloats(shape(3), new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN},
                run("Div", attrs(), 13, floats(shape(3), 1f, -1f, 0f), floats(shape(3), 0f, 0f, 0f)));
    }

    @Test
    void integersStayInt64AndDivisionTruncatesTowardsZero() {
        Tensor a = longs(shape(4), 7, -7, 7, -7);
        Tensor b = longs(shape(4), 2, 2, -2, -2);
        assertLongs(shape(4), new long[] {3, -3, -3, 3}, run("Div", attrs(), 13, a, b));
        assertLongs(shape(4), new long[] {9, -5, 5, -9}, run("Add", attrs(), 13, a, b));
        // One float operand makes the result float.
        assertFloats(shape(2), new float[] {7.5f, -6.5f}, run("Add", attrs(), 13, longs(shape(2), 7, -7), floats(shape(), 0.5f)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Div", attrs(), 13, a, longs(shape(), 0)));
        assertEquals("node: integer division by zero", e.getMessage());
    }

    @Test
    void shapesThatDoNotBroadcastAreRejected() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Add", attrs(), 13, floats(shape(2, 3), new float[6]), floats(shape(2), 1f, 2f)));
        assertEquals("node: shapes [2, 3] and [2] do not broadcast", e.getMessage());
    }
}
