package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The vector ReLU gives the scalar rule's bits ({@code v > 0 ? v : +0.0}) on special values and every tail length. */
class FloatLoopsTest {
    @Test
    void vectorAndScalarReluAgreeBitForBit() {
        float[] special = {Float.NaN, -0f, 0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, Float.intBitsToFloat(0xffc00001), 1f, -1f};
        Random r = new Random(5);
        for (int n = 0; n < 70; n++) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 3 == 0 ? special[r.nextInt(special.length)] : (float) r.nextGaussian();
            }
            float[] viaApi = new float[n];
            FloatLoops.relu(x, viaApi, n);
            float[] vector = new float[n];
            VectorFloatLoops.relu(x, vector, n);
            float[] inPlace = x.clone();
            FloatLoops.relu(inPlace, inPlace, n);
            for (int i = 0; i < n; i++) {
                int expected = Float.floatToRawIntBits(x[i] > 0f ? x[i] : 0f);
                assertEquals(expected, Float.floatToRawIntBits(viaApi[i]), "n " + n + " at " + x[i]);
                assertEquals(expected, Float.floatToRawIntBits(vector[i]), "vector, n " + n + " at " + x[i]);
                assertEquals(expected, Float.floatToRawIntBits(inPlace[i]), "in place, n " + n + " at " + x[i]);
            }
        }
    }
}
