package org.axdse.kernel.quant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The two quantization schemes, their rounding rules and their edge cases. */
class QuantParamsTest {
    @Test
    void unsignedAffineUsesTensorFlowNudgedZeroPoint() {
        QuantParams p = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -1f, 3f);
        assertEquals(4f / 255f, p.scale());
        // -min/scale = 63.75 -> 64 (half away from zero does not matter here; nudged to an integer)
        assertEquals(64, p.zeroPoint());
        assertEquals(64, p.quantize(0f));
        assertEquals(0f, p.dequantize(p.zeroPoint()));
        assertEquals(0, p.quantize(-5f));
        assertEquals(255, p.quantize(100f));
    }

    @Test
    void zeroPointRoundsHalfAwayFromZero() {
        // scale = 255 / 255 = 1 exactly, so -min/scale lands on .5: half away from zero rounds up
        // (round-half-even would give 0 and 2).
        assertEquals(1, QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -0.5f, 254.5f).zeroPoint());
        QuantParams q = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -2.5f, 252.5f);
        assertEquals(1f, q.scale());
        assertEquals(3, q.zeroPoint());
    }

    @Test
    void unsignedAffineCodeIsFloorOfXOverScalePlusZpPlusHalf() {
        QuantParams p = new QuantParams(QuantScheme.UNSIGNED_AFFINE, 0.5f, 10);
        assertEquals(11, p.quantize(0.25f)); // 0.5 + 10 + 0.5 = 11.0 -> 11 (half rounds up)
        assertEquals(10, p.quantize(-0.25f)); // -0.5 + 10.5 = 10.0 -> 10
        assertEquals(9, p.quantize(-0.26f));
        assertEquals(0, p.quantize(Float.NEGATIVE_INFINITY));
        assertEquals(255, p.quantize(Float.POSITIVE_INFINITY));
        assertEquals(0, p.quantize(Float.NaN));
    }

    @Test
    void positiveMinimumRepresentsZeroToMaxMinusMin() {
        QuantParams p = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 1f, 2f);
        assertEquals(0, p.zeroPoint());
        assertEquals(1f / 255f, p.scale());
        assertEquals(1f, p.dequantize(255), 1e-6f); // the nudged range is [0, max - min]
        assertEquals(255, p.quantize(2f));
    }

    @Test
    void negativeMaximumPutsTheZeroPointAtTheTop() {
        QuantParams p = QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -3f, -1f);
        assertEquals(255, p.zeroPoint());
        assertEquals(255, p.quantize(0f));
        assertEquals(0, p.quantize(-3f));
    }

    @Test
    void allZeroAndConstantTensorsAreRepresentedExactly() {
        for (QuantScheme s : QuantScheme.values()) {
            QuantParams zero = QuantParams.fromValues(s, new float[16], 0, 16);
            assertEquals(1f, zero.scale());
            assertEquals(0, zero.zeroPoint());
            assertEquals(0f, zero.fakeQuantize(0f));
            for (float c : new float[] {2.5f, -0.75f}) {
                QuantParams p = QuantParams.fromRange(s, c, c);
                assertEquals(c, p.fakeQuantize(c), Math.abs(c) * 1e-6f, s + " constant " + c);
            }
        }
    }

    @Test
    void signedSymmetricRoundsHalfToEvenAndClampsAtMinus128() {
        QuantParams p = QuantParams.fromRange(QuantScheme.SIGNED_SYMMETRIC, -2f, 1.27f);
        assertEquals(0, p.zeroPoint());
        assertEquals(2f / 127f, p.scale());
        QuantParams unit = new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 1f, 0);
        assertEquals(2, unit.quantize(2.5f));
        assertEquals(4, unit.quantize(3.5f));
        assertEquals(-2, unit.quantize(-2.5f));
        assertEquals(-128, unit.quantize(-1000f));
        assertEquals(127, unit.quantize(1000f));
        assertEquals(-127, p.quantize(-2f));
    }

    @Test
    void roundTripErrorIsAtMostHalfAStepInsideTheRange() {
        Random r = new Random(9);
        for (QuantScheme s : QuantScheme.values()) {
            for (int trial = 0; trial < 50; trial++) {
                float lo = -r.nextFloat() * 5f;
                float hi = r.nextFloat() * 7f;
                QuantParams p = QuantParams.fromRange(s, lo, hi);
                for (int i = 0; i < 200; i++) {
                    float x = lo + (hi - lo) * r.nextFloat();
                    float err = Math.abs(p.fakeQuantize(x) - x);
                    // unsigned-affine nudging can shift the range by up to half a step at its ends
                    assertTrue(err <= p.scale() * (s == QuantScheme.UNSIGNED_AFFINE ? 1.0f : 0.5f) * 1.0001f,
                            s + " [" + lo + "," + hi + "] x=" + x + " err=" + err + " scale=" + p.scale());
                }
                for (int q = s.signedness().minCode(); q <= s.signedness().maxCode(); q++) {
                    assertEquals(q, p.quantize(p.dequantize(q)), s + " code " + q);
                }
            }
        }
    }

    @Test
    void invalidRangesAndParametersAreRefused() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 2f, 1f));
        assertTrue(e.getMessage().contains("min <= max, got [2.0, 1.0]"), e.getMessage());
        assertThrows(InvalidInputException.class, () -> QuantParams.fromRange(QuantScheme.SIGNED_SYMMETRIC, Float.NaN, 1f));
        e = assertThrows(InvalidInputException.class, () -> QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC,
                new float[] {1f, 2f, 3f, Float.NaN}, 2, true));
        assertTrue(e.getMessage().equals("weights[oc=1]: value at index 1 is NaN; cannot quantize"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, -3e38f, 3e38f));
        assertTrue(e.getMessage().startsWith("quantization range [-3.0E38, 3.0E38]: its UNSIGNED_AFFINE scale Infinity"),
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> QuantParams.fromRange(QuantScheme.SIGNED_SYMMETRIC, 1e-44f, 1e-44f));
        assertTrue(e.getMessage().contains("scale 0.0 is not a positive finite float32"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> QuantParams.fromValues(QuantScheme.SIGNED_SYMMETRIC,
                new float[3], 1, 5));
        assertTrue(e.getMessage().equals("tensor: range [1, 5) is outside its 3 values"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new QuantParams(QuantScheme.SIGNED_SYMMETRIC, 1f, 3));
        assertTrue(e.getMessage().contains("expected 0, got 3"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> new QuantParams(QuantScheme.UNSIGNED_AFFINE, 0f, 3));
        assertTrue(e.getMessage().contains("positive finite"), e.getMessage());
    }

    @Test
    void perChannelWeightsGetTheirOwnRanges() {
        float[] w = {-1f, 1f, 0f, 0f, 10f, 20f};
        QuantizedWeights pc = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC, w, 3, true);
        assertEquals(1f / 127f, pc.scale(0));
        assertEquals(1f, pc.scale(1)); // all-zero channel
        assertEquals(20f / 127f, pc.scale(2));
        assertEquals(127, pc.code(5));
        assertEquals(-127, pc.code(0));
        QuantizedWeights pt = QuantizedWeights.quantize(QuantScheme.SIGNED_SYMMETRIC, w, 3, false);
        assertEquals(20f / 127f, pt.scale(0));
        assertEquals(pt.scale(0), pt.scale(1));
        assertEquals(-6, pt.code(0)); // -1 / (20/127) = -6.35 -> -6
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(QuantScheme.class)
    void bulkQuantizationGivesTheCodesOfTheScalarOne(QuantScheme scheme) {
        java.util.Random r = new java.util.Random(scheme.ordinal());
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, Float.MIN_VALUE,
                -Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, -1e-30f};
        for (QuantParams p : java.util.List.of(QuantParams.fromRange(scheme, -1.3f, 2.7f), QuantParams.fromRange(scheme, 0f, 6f),
                QuantParams.fromRange(scheme, 0.2f, 0.3f), QuantParams.fromRange(scheme, -5e-4f, 1e-3f))) {
            int n = 200_000;
            float[] x = new float[n + special.length];
            for (int i = 0; i < n; i++) {
                // Values around every code boundary (k - zp - 0.5) * scale, and spread ones.
                float boundary = ((r.nextInt(300) - 150) - p.zeroPoint() + (scheme == QuantScheme.UNSIGNED_AFFINE ? -0.5f : 0.5f))
                        * p.scale();
                x[i] = i % 2 == 0 ? Math.nextAfter(boundary, r.nextBoolean() ? 1e9 : -1e9) + (r.nextInt(3) - 1) * Math.ulp(boundary)
                        : (float) r.nextGaussian() * 300 * p.scale();
            }
            System.arraycopy(special, 0, x, n, special.length);
            byte[] codes = new byte[x.length + 3];
            p.quantize(x, 0, codes, 3, x.length);
            for (int i = 0; i < x.length; i++) {
                assertEquals((byte) p.quantize(x[i]), codes[i + 3], p + " at " + x[i]);
            }
        }
    }
}
