package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.longs;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** BatchNormalization, Softmax, LogSoftmax and ReduceMean on hand-computed cases. */
class NormalizationTest {
    @Test
    void batchNormalizationScalesAndShiftsEachChannel() {
        // N=2, C=2, 1x1: channel 0 holds 1 and 2, channel 1 holds 3 and 4.
        Tensor x = floats(shape(2, 2, 1, 1), 1f, 3f, 2f, 4f);
        Tensor scale = floats(shape(2), 4f, 1f);
        Tensor bias = floats(shape(2), 1f, 0.5f);
        Tensor mean = floats(shape(2), 1f, 2f);
        Tensor var = floats(shape(2), 4f, 0.25f);
        // epsilon 0: channel 0 mul = 4 / sqrt(4) = 2, add = 1 - 1 * 2 = -1; channel 1 mul = 1 / 0.5 = 2, add = 0.5 - 4 = -3.5.
        assertFloats(shape(2, 2, 1, 1), new float[] {1f, 2.5f, 3f, 4.5f},
                run("BatchNormalization", attrs().real("epsilon", 0f), 13, x, scale, bias, mean, var));
    }

    @Test
    void batchNormalizationRefusesTrainingModeAndWrongChannelCounts() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Operators.create("BatchNormalization", attrs().integer("training_mode", 1), 15));
        assertEquals("node: training_mode=1 is not supported (export the model in eval mode)", e.getMessage());
        Tensor one = floats(shape(1), 1f);
        e = assertThrows(InvalidInputException.class, () -> run("BatchNormalization", attrs(), 13,
                floats(shape(1, 2, 1, 1), 1f, 2f), one, one, one, one));
        assertEquals("node: expected 2 channels of scale, bias, mean and variance", e.getMessage());
    }

    @Test
    void softmaxRunsAlongTheLastAxisSinceOpset13AndOverTheCoercedRowBefore() {
        Tensor zeros = floats(shape(1, 2, 2), new float[4]);
        assertFloats(shape(1, 2, 2), new float[] {0.5f, 0.5f, 0.5f, 0.5f}, run("Softmax", attrs(), 13, zeros));
        // Opset < 13: axis 1 by default, and the input is flattened to 2-D there: one softmax over all 4 values.
        assertFloats(shape(1, 2, 2), new float[] {0.25f, 0.25f, 0.25f, 0.25f}, run("Softmax", attrs(), 11, zeros));
        // An explicit axis, along columns.
        Tensor m = floats(shape(2, 2), 3f, 7f, 3f, 7f);
        assertFloats(shape(2, 2), new float[] {0.5f, 0.5f, 0.5f, 0.5f}, run("Softmax", attrs().integer("axis", 0), 13, m));
        // The maximum is subtracted first, so large logits do not overflow.
        assertFloats(shape(1, 2), new float[] {0.5f, 0.5f}, run("Softmax", attrs(), 13, floats(shape(1, 2), 1000f, 1000f)));
        // exp(-inf) = 0.
        assertFloats(shape(1, 2), new float[] {1f, 0f},
                run("Softmax", attrs(), 13, floats(shape(1, 2), 0f, Float.NEGATIVE_INFINITY)));
    }

    @Test
    void logSoftmaxIsTheLogOfTheSoftmaxRoundedToFloat() {
        assertFloats(shape(1, 2), new float[] {(float) Math.log(0.5), (float) Math.log(0.5)},
                run("LogSoftmax", attrs(), 13, floats(shape(1, 2), 2f, 2f)));
        assertFloats(shape(1, 4), new float[] {-1.3862944f, -1.3862944f, -1.3862944f, -1.3862944f},
                run("LogSoftmax", attrs(), 11, floats(shape(1, 4), new float[4])));
    }

    @Test
    void reduceMeanOverGivenAxesKeepsOrDropsThem() {
        Tensor x = floats(shape(2, 2), 1f, 2f, 3f, 4f);
        assertFloats(shape(2, 1), new float[] {1.5f, 3.5f}, run("ReduceMean", attrs().ints("axes", 1), 13, x));
        assertFloats(shape(2), new float[] {1.5f, 3.5f},
                run("ReduceMean", attrs().ints("axes", 1).integer("keepdims", 0), 13, x));
        assertFloats(shape(1, 2), new float[] {2f, 3f}, run("ReduceMean", attrs().ints("axes", -2), 13, x));
        assertFloats(shape(1, 1), new float[] {2.5f}, run("ReduceMean", attrs(), 13, x));
        assertFloats(shape(), new float[] {2.5f}, run("ReduceMean", attrs().integer("keepdims", 0), 13, x));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> run("ReduceMean", attrs().ints("axes", 2), 13, x));
        assertEquals("node: axis 2 is out of range for rank 2", e.getMessage());
    }

    @Test
    void reduceMeanReadsItsAxesFromInput1SinceOpset18() {
        Tensor x = floats(shape(2, 2), 1f, 2f, 3f, 4f);
        assertFloats(shape(2, 1), new float[] {1.5f, 3.5f}, run("ReduceMean", attrs(), 18, x, longs(shape(1), 1)));
        assertFloats(shape(1, 1), new float[] {2.5f}, run("ReduceMean", attrs(), 18, x));
    }
}
