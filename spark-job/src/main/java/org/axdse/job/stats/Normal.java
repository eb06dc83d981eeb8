package org.axdse.job.stats;

import org.axdse.kernel.InvalidInputException;

/**
 * The standard normal distribution: its inverse CDF (quantile), for the critical values {@code z} of confidence
 * intervals.
 */
public final class Normal {
    // Acklam's rational approximations of the quantile (relative error below 1.15e-9 before refinement):
    // central region numerator A, denominator B; tail numerator C, denominator D.
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    /** Below this probability the tail approximation applies; above it the central one. */
    private static final double P_LOW = 0.02425;

    private static final double SQRT_2 = Math.sqrt(2.0);
    private static final double SQRT_2PI = Math.sqrt(2.0 * Math.PI);
    private static final double SQRT_PI_OVER_2 = Math.sqrt(Math.PI / 2.0);
    private static final double HALF_LN_2PI = 0.5 * Math.log(2.0 * Math.PI);
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Normal() {
    }

    /**
     * The inverse of the standard normal CDF: the {@code x} with {@code P(Z <= x) = p}, to a relative error far
     * below {@code 1e-8} (Acklam's approximation, then one Halley step on the CDF computed from {@link #erfc}).
     * Symmetric: {@code quantile(1 - p) == -quantile(p)} whenever {@code 1 - p} is exact in floating point.
     *
     * @param p a probability in the open interval (0, 1)
     * @return the p-quantile; e.g. {@code quantile(0.975) = 1.959963984540054}
     * @throws InvalidInputException when p is not in (0, 1) (0, 1 and NaN included)
     */
    public static double quantile(double p) {
        if (!(p > 0.0 && p < 1.0)) {
            throw new InvalidInputException("normal quantile: expected a probability p in (0, 1), got " + p);
        }
        // 1 - p is exact for p >= 0.5 (Sterbenz), so the upper half reuses the lower half's accuracy.
        return p > 0.5 ? -lowerHalf(1.0 - p) : lowerHalf(p);
    }

    /** The quantile for p in (0, 0.5]. */
    private static double lowerHalf(double p) {
        if (p == 0.5) {
            return 0.0;
        }
        double x;
        double u; // the Newton step (CDF(x) - p) / density(x), computed without cancellation or overflow
        if (p < P_LOW) {
            double q = Math.sqrt(-2.0 * Math.log(p));
            x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                    / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0);
            // With t = -x/sqrt 2 (>= 1.39 here): CDF(x) / density(x) = sqrt(pi/2) erfcx(t), the Mills ratio, and
            // p / density(x) = exp(log p + x^2/2 + log(2 pi)/2), which stays finite even for subnormal p.
            u = SQRT_PI_OVER_2 * erfcx(-x / SQRT_2) - Math.exp(Math.log(p) + 0.5 * x * x + HALF_LN_2PI);
        } else {
            double q = p - 0.5;
            double r = q * q;
            x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                    / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0);
            // CDF(x) - 1/2 = erf(x / sqrt 2) / 2 keeps its relative accuracy near the median, where x is tiny.
            u = (0.5 * erf(x / SQRT_2) - q) * SQRT_2PI * Math.exp(0.5 * x * x);
        }
        // One Halley step on CDF(x) = p (the density's derivative is -x times the density).
        return x - u / (1.0 + 0.5 * x * u);
    }

    /**
     * The error function, for |t| below about 3 (relative error a few ulps): the series
     * {@code erf(t) = 2/sqrt(pi) exp(-t^2) sum_n 2^n t^(2n+1) / (1*3*...*(2n+1))}, whose terms are all positive.
     */
    static double erf(double t) {
        if (t < 0) {
            return -erf(-t);
        }
        if (t > 3.0) {
            return 1.0 - erfc(t);
        }
        double t2 = t * t;
        double term = t;
        double sum = t;
        for (int n = 1; n < 200; n++) {
            term *= 2.0 * t2 / (2 * n + 1);
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return TWO_OVER_SQRT_PI * Math.exp(-t2) * sum;
    }

    /**
     * The complementary error function {@code erfc(t) = 1 - erf(t)} with a small relative error over the whole
     * range, tails included: {@code 1 - erf(t)} below 1 (where erfc is above 0.15, so the subtraction is harmless),
     * {@code exp(-t^2) erfcx(t)} from 1 on.
     */
    static double erfc(double t) {
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        if (t < 1.0) {
            return 1.0 - erf(t);
        }
        return t > 27.3 ? 0.0 : Math.exp(-t * t) * erfcx(t); // 0 when below Double.MIN_VALUE
    }

    /**
     * The scaled complementary error function {@code erfcx(t) = exp(t^2) erfc(t)} for t >= 1, from the continued
     * fraction {@code erfc(t) = exp(-t^2)/sqrt(pi) / (t + (1/2)/(t + 1/(t + (3/2)/(t + ...))))} evaluated by the
     * modified Lentz method; about {@code 1/(t sqrt(pi))} for large t, never overflowing.
     */
    static double erfcx(double t) {
        if (!(t >= 1.0)) {
            throw new InvalidInputException("erfcx: the continued fraction needs t >= 1, got " + t);
        }
        // f = t + a1/(t + a2/(t + ...)) with a_j = j/2; no partial denominator can vanish for t >= 1.
        double f = t;
        double c = f;
        double d = 0.0;
        for (int j = 1; j < 10_000; j++) {
            double a = 0.5 * j;
            d = 1.0 / (t + a * d);
            c = t + a / c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return 1.0 / (Math.sqrt(Math.PI) * f);
    }
}
