package org.axdse.kernel.quant;

import org.axdse.kernel.InvalidInputException;

/**
 * Scale and zero point of one 8-bit quantized tensor (or one output channel of a weight tensor).
 *
 * <p>All arithmetic is float32 in the order written here, so every backend (Java, CUDA) reproduces the
 * same codes bit for bit:
 * <ul>
 *   <li>{@link QuantScheme#UNSIGNED_AFFINE}: {@code scale = (max - min) / 255f};
 *       {@code zp = clamp(round_half_away_from_zero(-min / scale), 0, 255)};
 *       {@code q = clamp(floor(x / scale + zp + 0.5f), 0, 255)}. A range with {@code min > 0} thus
 *       represents [0, max - min], as TensorFlow's nudging does.</li>
 *   <li>{@link QuantScheme#SIGNED_SYMMETRIC}: {@code scale = max(|min|, |max|) / 127f}; {@code zp = 0};
 *       {@code q = clamp(round_half_even(x / scale), -128, 127)}.</li>
 * </ul>
 * Degenerate ranges, where the formula would give scale 0: a constant tensor {@code c != 0} gets
 * the range spanned by c and 0 (so c is represented exactly); an all-zero tensor gets scale 1, zp 0.
 *
 * @param scheme    the quantization scheme
 * @param scale     real value of one code step; positive and finite
 * @param zeroPoint code that represents real 0 (0 for signed-symmetric)
 */
public record QuantParams(QuantScheme scheme, float scale, int zeroPoint) {

    /** Validates the fields. */
    public QuantParams {
        if (scheme == null) {
            throw new InvalidInputException("quantization scheme: expected one of UNSIGNED_AFFINE, SIGNED_SYMMETRIC, got null");
        }
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new InvalidInputException("quantization scale: expected a positive finite number, got " + scale);
        }
        int lo = scheme.signedness().minCode();
        int hi = scheme.signedness().maxCode();
        if (scheme == QuantScheme.SIGNED_SYMMETRIC ? zeroPoint != 0 : zeroPoint < lo || zeroPoint > hi) {
            throw new InvalidInputException("quantization zero point for " + scheme + ": expected "
                    + (scheme == QuantScheme.SIGNED_SYMMETRIC ? "0" : lo + ".." + hi) + ", got " + zeroPoint);
        }
    }

    /**
     * Quantization parameters for values observed in {@code [min, max]}.
     *
     * @param scheme the scheme
     * @param min    smallest observed value
     * @param max    largest observed value
     * @return the parameters
     * @throws InvalidInputException if min or max is not finite or {@code min > max}
     */
    public static QuantParams fromRange(QuantScheme scheme, float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new InvalidInputException("quantization range: expected finite min <= max, got [" + min + ", " + max + "]");
        }
        if (min == max) {
            // Degenerate: widen to include 0 so the constant is represented exactly.
            if (min == 0f) {
                return new QuantParams(scheme, 1f, 0);
            }
            min = Math.min(min, 0f);
            max = Math.max(max, 0f);
        }
        float scale = scheme == QuantScheme.UNSIGNED_AFFINE ? (max - min) / 255f
                : Math.max(Math.abs(min), Math.abs(max)) / 127f;
        if (!(scale > 0f) || Float.isInfinite(scale)) {
            throw new InvalidInputException("quantization range [" + min + ", " + max + "]: its " + scheme
                    + " scale " + scale + " is not a positive finite float32 (range too wide or too narrow)");
        }
        return scheme == QuantScheme.UNSIGNED_AFFINE ? unsignedAffine(min, scale) : new QuantParams(scheme, scale, 0);
    }

    /**
     * @param scheme the scheme
     * @param values values to cover
     * @param from   first index
     * @param to     end index (exclusive)
     * @return parameters for the min/max of {@code values[from, to)}
     */
    public static QuantParams fromValues(QuantScheme scheme, float[] values, int from, int to) {
        return fromValues(scheme, values, from, to, "tensor");
    }

    /**
     * As {@link #fromValues(QuantScheme, float[], int, int)}, naming the tensor in errors.
     *
     * @param scheme the scheme
     * @param values values to cover
     * @param from   first index
     * @param to     end index (exclusive)
     * @param what   the tensor's name for error messages, e.g. {@code "weights[oc=3]"}
     * @return parameters for the min/max of {@code values[from, to)}
     */
    public static QuantParams fromValues(QuantScheme scheme, float[] values, int from, int to, String what) {
        if (from < 0 || to > values.length || from > to) {
            throw new InvalidInputException(what + ": range [" + from + ", " + to + ") is outside its " + values.length
                    + " values");
        }
        if (from == to) {
            return fromRange(scheme, 0f, 0f);
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            float v = values[i];
            if (Float.isNaN(v)) {
                throw new InvalidInputException(what + ": value at index " + (i - from) + " is NaN; cannot quantize");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return fromRange(scheme, min, max);
    }

    private static QuantParams unsignedAffine(float min, float scale) {
        float zpFromMin = -min / scale;
        int zp = zpFromMin <= 0f ? 0 : zpFromMin >= 255f ? 255 : roundHalfAwayFromZero(zpFromMin);
        return new QuantParams(QuantScheme.UNSIGNED_AFFINE, scale, zp);
    }

    private static int roundHalfAwayFromZero(float v) {
        return (int) (v >= 0f ? Math.floor(v + 0.5) : -Math.floor(-v + 0.5));
    }

    /**
     * @param x a real value
     * @return its code (NaN maps to code 0)
     */
    public int quantize(float x) {
        if (scheme == QuantScheme.UNSIGNED_AFFINE) {
            float t = (float) Math.floor(x / scale + zeroPoint + 0.5f);
            return t <= 0f ? 0 : t >= 255f ? 255 : (int) t;
        }
        float t = (float) Math.rint(x / scale);
        return t <= -128f ? -128 : t >= 127f ? 127 : (int) t;
    }

    /**
     * Quantizes a run of values into code patterns, with exactly the codes of {@link #quantize(float)}: the
     * same float expression, and a clamp before the integer conversion in place of {@code floor} (equal for
     * every float, NaN and infinities included), so the loop has no call or branch and C2 can vectorise it.
     * Measured: quantization was 23 % of ResNet-8's evaluation time with the per-value method.
     *
     * @param in   values
     * @param from first value
     * @param out  codes as bytes (the pattern: {@code (byte) quantize(x)})
     * @param to   first code
     * @param n    values
     */
    public void quantize(float[] in, int from, byte[] out, int to, int n) {
        // The strided loop below with stride 1 would give the same codes, but measured 1.4x slower here.
        float s = scale;
        if (scheme == QuantScheme.UNSIGNED_AFFINE) {
            float zp = zeroPoint;
            for (int i = 0; i < n; i++) {
                // floor(t) clamped to [0, 255] equals trunc(t clamped to [0, 255]); NaN converts to 0 either way.
                // Comparisons rather than Math.min/max (same results, NaN and -0 included): 1.5x faster here, as C2
                // compiles the float min/max of JDK 17 into branches around their NaN and signed-zero cases.
                float t = in[from + i] / s + zp + 0.5f;
                t = t < 0f ? 0f : t;
                t = t > 255f ? 255f : t;
                out[to + i] = (byte) (int) t;
            }
        } else {
            for (int i = 0; i < n; i++) {
                float t = (float) Math.rint(in[from + i] / s);
                t = t < -128f ? -128f : t;
                t = t > 127f ? 127f : t;
                out[to + i] = (byte) (int) t;
            }
        }
    }

    /**
     * As {@link #quantize(float[], int, byte[], int, int)} for every {@code inStride}-th value:
     * {@code out[to + i] = (byte) quantize(in[from + i * inStride])} for {@code i < n} (a convolution's input
     * split into stride phases).
     *
     * @param in       values
     * @param from     first value
     * @param inStride distance between the values read (1: consecutive)
     * @param out      codes as bytes
     * @param to       first code
     * @param n        values
     */
    public void quantize(float[] in, int from, int inStride, byte[] out, int to, int n) {
        float s = scale;
        if (scheme == QuantScheme.UNSIGNED_AFFINE) {
            float zp = zeroPoint;
            for (int i = 0; i < n; i++) {
                float t = in[from + i * inStride] / s + zp + 0.5f;
                t = t < 0f ? 0f : t;
                t = t > 255f ? 255f : t;
                out[to + i] = (byte) (int) t;
            }
        } else {
            for (int i = 0; i < n; i++) {
                float t = (float) Math.rint(in[from + i * inStride] / s);
                t = t < -128f ? -128f : t;
                t = t > 127f ? 127f : t;
                out[to + i] = (byte) (int) t;
            }
        }
    }

    /**
     * @param q a code
     * @return its real value {@code (q - zp) * scale}
     */
    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }

    /**
     * @param x a real value
     * @return {@code dequantize(quantize(x))}, the fake-quantized value
     */
    public float fakeQuantize(float x) {
        return dequantize(quantize(x));
    }
}
