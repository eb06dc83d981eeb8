package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.assertFloats;
import static org.axdse.kernel.graph.OpTests.assertLongs;
import static org.axdse.kernel.graph.OpTests.attrs;
import static org.axdse.kernel.graph.OpTests.floats;
import static org.axdse.kernel.graph.OpTests.longs;
import static org.axdse.kernel.graph.OpTests.run;
import static org.axdse.kernel.graph.OpTests.shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.onnx.Onnx;
import org.junit.jupiter.api.Test;

/** Constant, ConstantOfShape, Cast, Identity and Dropout. */
class ValuesTest {
    @Test
    void constantFromEachKindOfAttribute() {
        Tensor t = floats(shape(2), 1f, 2f);
        assertSame(t, run("Constant", attrs().tensor("value", t), 13));
        assertFloats(shape(), new float[] {2.5f}, run("Constant", attrs().real("value_float", 2.5f), 13));
        assertLongs(shape(), new long[] {-4}, run("Constant", attrs().integer("value_int", -4), 13));
        assertFloats(shape(3), new float[] {1f, 2f, 3f}, run("Constant", attrs().floats("value_floats", 1f, 2f, 3f), 13));
        assertLongs(shape(2), new long[] {5, 6}, run("Constant", attrs().ints("value_ints", 5, 6), 13));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Operators.create("Constant", attrs(), 13));
        assertEquals("node: a Constant needs value, value_float(s) or value_int(s)", e.getMessage());
    }

    @Test
    void constantOfShapeFillsWithTheFirstValueOrFloatZero() {
        assertFloats(shape(2, 3), new float[6], run("ConstantOfShape", attrs(), 13, longs(shape(2), 2, 3)));
        assertLongs(shape(3), new long[] {7, 7, 7},
                run("ConstantOfShape", attrs().tensor("value", longs(shape(1), 7)), 13, longs(shape(1), 3)));
        assertFloats(shape(2), new float[] {-1f, -1f},
                run("ConstantOfShape", attrs().tensor("value", floats(shape(1), -1f)), 13, longs(shape(1), 2)));
    }

    @Test
    void castToFloatCopiesAndToIntegersTruncatesTowardsZero() {
        Tensor x = floats(shape(4), -1.7f, 1.7f, 2f, -0.5f);
        assertLongs(shape(4), new long[] {-1, 1, 2, 0}, run("Cast", attrs().integer("to", 7), 13, x)); // INT64
        Tensor f = run("Cast", attrs().integer("to", 1), 13, x);
        assertFloats(shape(4), new float[] {-1.7f, 1.7f, 2f, -0.5f}, f);
        assertNotSame(x.floatData(), f.floatData(), "a copy");
        assertFloats(shape(2), new float[] {3f, -2f}, run("Cast", attrs().integer("to", 11), 13, longs(shape(2), 3, -2)));
        assertFloats(shape(1), new float[] {5f}, run("Cast", attrs().integer("to", 10), 13, longs(shape(1), 5)));
    }

    @Test
    void theFloatTypeCodesAreOnnxs() {
        assertEquals(Onnx.TensorProto.DataType.FLOAT_VALUE, Values.FLOAT);
        assertEquals(Onnx.TensorProto.DataType.FLOAT16_VALUE, Values.FLOAT16);
        assertEquals(Onnx.TensorProto.DataType.DOUBLE_VALUE, Values.DOUBLE);
    }

    @Test
    void identityAndDropoutPassTheSameTensorOn() {
        Tensor x = floats(shape(2), 1f, 2f);
        assertSame(x, run("Identity", attrs(), 13, x));
        assertSame(x, run("Dropout", attrs(), 13, x));
    }
}
