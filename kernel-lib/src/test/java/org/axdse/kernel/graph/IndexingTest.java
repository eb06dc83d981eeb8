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

/** Transpose, Gather and Slice: which input element lands where. */
class IndexingTest {
    @Test
    void transposeReversesTheAxesByDefault() {
        Tensor x = floats(shape(2, 3), 1f, 2f, 3f, 4f, 5f, 6f);
        assertFloats(shape(3, 2), new float[] {1f, 4f, 2f, 5f, 3f, 6f}, run("Transpose", attrs(), 13, x));
    }

    @Test
    void transposeByPermutationOnFloatsAndInt64() {
        // NCHW [1, 2, 2, 3] -> NHWC [1, 2, 3, 2]: the two channels interleave.
        Tensor x = floats(shape(1, 2, 2, 3), 1f, 2f, 3f, 4f, 5f, 6f, 10f, 20f, 30f, 40f, 50f, 60f);
        assertFloats(shape(1, 2, 3, 2), new float[] {1f, 10f, 2f, 20f, 3f, 30f, 4f, 40f, 5f, 50f, 6f, 60f},
                run("Transpose", attrs().ints("perm", 0, 2, 3, 1), 13, x));
        assertLongs(shape(3, 1, 2), new long[] {1, 4, 2, 5, 3, 6},
                run("Transpose", attrs().ints("perm", 2, 0, 1), 13, longs(shape(1, 2, 3), 1, 2, 3, 4, 5, 6)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Transpose", attrs().ints("perm", 1, 0), 13, x));
        assertEquals("node: perm [1, 0] does not match rank 4", e.getMessage());
    }

    @Test
    void gatherTakesSlicesAtIndicesCountingNegativesFromTheEnd() {
        Tensor data = floats(shape(3, 2), 1f, 2f, 3f, 4f, 5f, 6f);
        assertFloats(shape(2, 2), new float[] {5f, 6f, 1f, 2f}, run("Gather", attrs(), 13, data, longs(shape(2), 2, -3)));
        // A scalar index removes the axis.
        assertFloats(shape(3), new float[] {2f, 4f, 6f}, run("Gather", attrs().integer("axis", 1), 13, data, longs(shape(), 1)));
        // The shape-subgraph idiom: one dimension of a Shape output.
        assertLongs(shape(), new long[] {3}, run("Gather", attrs(), 13, longs(shape(4), 2, 3, 4, 5), longs(shape(), 1)));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Gather", attrs(), 13, data, longs(shape(1), 3)));
        assertEquals("node: index 3 is out of range for dimension 3", e.getMessage());
    }

    @Test
    void sliceClampsLikePythonAndStepsBothWays() {
        Tensor x = floats(shape(10), 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f);
        assertFloats(shape(9), new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f},
                run("Slice", attrs(), 13, x, longs(shape(1), 1), longs(shape(1), Long.MAX_VALUE)));
        assertFloats(shape(4), new float[] {1f, 3f, 5f, 7f},
                run("Slice", attrs(), 13, x, longs(shape(1), 1), longs(shape(1), 8), null, longs(shape(1), 2)));
        assertFloats(shape(10), new float[] {9f, 8f, 7f, 6f, 5f, 4f, 3f, 2f, 1f, 0f},
                run("Slice", attrs(), 13, x, longs(shape(1), -1), longs(shape(1), Long.MIN_VALUE), null, longs(shape(1), -1)));
        assertFloats(shape(3), new float[] {7f, 8f, 9f}, run("Slice", attrs(), 13, x, longs(shape(1), -3), longs(shape(1), 100)));
        assertFloats(shape(0), new float[0], run("Slice", attrs(), 13, x, longs(shape(1), 5), longs(shape(1), 2)));
    }

    @Test
    void sliceOnChosenAxesFromInputsOrFromAttributesBeforeOpset10() {
        Tensor x = floats(shape(2, 3), 1f, 2f, 3f, 4f, 5f, 6f);
        assertFloats(shape(2, 2), new float[] {2f, 3f, 5f, 6f},
                run("Slice", attrs(), 13, x, longs(shape(1), 1), longs(shape(1), 3), longs(shape(1), -1)));
        assertFloats(shape(1, 2), new float[] {4f, 5f},
                run("Slice", attrs().ints("starts", 1, 0).ints("ends", 2, 2), 9, x));
        assertFloats(shape(2, 1), new float[] {3f, 6f},
                run("Slice", attrs().ints("starts", 2).ints("ends", 3).ints("axes", 1), 9, x));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("Slice", attrs(), 13, x, longs(shape(1), 0), longs(shape(1), 1), null, longs(shape(1), 0)));
        assertEquals("node: slice step 0", e.getMessage());
    }
}
