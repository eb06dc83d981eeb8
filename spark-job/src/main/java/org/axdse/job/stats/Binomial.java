package org.axdse.job.stats;

import org.axdse.kernel.InvalidInputException;

/**
 * Exact tails of the binomial distribution {@code X ~ Bin(n, p)}, for exact tests such as McNemar's.
 *
 * <p>Each term is the probability mass computed by Loader's saddle-point form (C. Loader, "Fast and accurate
 * computation of binomial probabilities", 2000): {@code log pmf(j) = stirlerr(n) - stirlerr(j) - stirlerr(n-j) -
 * bd0(j, np) - bd0(n-j, nq) - log(2 pi j (n-j) / n) / 2}, where {@code stirlerr} is the remainder of Stirling's
 * formula for the log-factorial and {@code bd0(x, m) = x log(x/m) + m - x} is evaluated by a series near
 * {@code x = m}. No large logarithms cancel, so each term keeps a relative error of a few ulps even for
 * {@code n} in the millions, where the plain {@code log n! - log k! - log (n-k)!} would lose eight digits.
 *
 * <p>A tail is summed from its end nearest the mode outward, where the terms decrease, until they no longer
 * change the sum; a tail that contains the mode is one minus the other tail (then at least about one half, so
 * the subtraction costs no relative accuracy). Neighbouring terms follow by the ratio
 * {@code pmf(j+1)/pmf(j) = (n-j) p / ((j+1) q)}, re-anchored on an exact term every {@value #ANCHOR} terms.
 */
public final class Binomial {
    /** Terms between two exact evaluations of the mass function while summing a tail. */
    private static final int ANCHOR = 64;
    private static final double LN_2PI = Math.log(2.0 * Math.PI);
    /** Below this size the log-factorial and Stirling's remainder come from n! itself. */
    private static final int SMALL = 16;
    /** log n! for n < SMALL, from n! computed exactly in double (n! < 2^53 up to 18!). */
    private static final double[] LOG_FACTORIAL = new double[SMALL];
    /**
     * Stirling's remainder for n < SMALL, to 20 digits (computed from lgamma in 40-digit arithmetic): from the
     * doubles {@code log n! - (n + 1/2) log n + n - log(2 pi)/2} would cancel to an absolute error of a few 1e-15.
     */
    private static final double[] STIRLERR = {
        0.0,
        0.08106146679532725822,
        0.041340695955409294094,
        0.027677925684998339149,
        0.020790672103765093112,
        0.016644691189821192163,
        0.013876128823070747999,
        0.011896709945891770095,
        0.010411265261972096497,
        0.0092554621827127329177,
        0.0083305634333628712565,
        0.007573675487951840795,
        0.0069428401072095298657,
        0.0064089941880042070684,
        0.0059513701127588477356,
        0.005554733551962801371,
    };

    static {
        double factorial = 1.0;
        for (int n = 0; n < SMALL; n++) {
            factorial *= Math.max(n, 1);
            LOG_FACTORIAL[n] = Math.log(factorial);
        }
    }

    private Binomial() {
    }

    /**
     * {@code P(X >= k)} for {@code X ~ Bin(n, p)}, exact to about 1e-13 relative (tiny tails included) for n up to
     * millions.
     *
     * @param k the threshold; {@code k <= 0} gives 1 and {@code k > n} gives 0
     * @param n the number of trials, {@code >= 0}
     * @param p the success probability, in [0, 1]
     * @return the upper tail probability
     * @throws InvalidInputException when n is negative or p is not in [0, 1]
     */
    public static double upperTail(long k, long n, double p) {
        check(n, p);
        if (k <= 0) {
            return 1.0;
        }
        if (k > n) {
            return 0.0;
        }
        if (p == 0.0 || p == 1.0) {
            return p == 0.0 ? 0.0 : 1.0; // X = 0 or X = n, and 0 < k <= n
        }
        return k > n * p ? sumUp(k, n, p) : 1.0 - sumDown(k - 1, n, p);
    }

    /**
     * {@code P(X <= k)} for {@code X ~ Bin(n, p)}, with the accuracy of {@link #upperTail}.
     *
     * @param k the threshold; {@code k < 0} gives 0 and {@code k >= n} gives 1
     * @param n the number of trials, {@code >= 0}
     * @param p the success probability, in [0, 1]
     * @return the lower tail probability
     * @throws InvalidInputException when n is negative or p is not in [0, 1]
     */
    public static double lowerTail(long k, long n, double p) {
        check(n, p);
        if (k < 0) {
            return 0.0;
        }
        if (k >= n) {
            return 1.0;
        }
        if (p == 0.0 || p == 1.0) {
            return p == 0.0 ? 1.0 : 0.0; // X = 0 or X = n, and 0 <= k < n
        }
        return k < n * p ? sumDown(k, n, p) : 1.0 - sumUp(k + 1, n, p);
    }

    private static void check(long n, double p) {
        if (n < 0) {
            throw new InvalidInputException("binomial: expected a number of trials n >= 0, got " + n);
        }
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new InvalidInputException("binomial: expected a success probability p in [0, 1], got " + p);
        }
    }

    /** sum_{j >= k} pmf(j) for n p < k <= n, where the terms decrease with j. */
    private static double sumUp(long k, long n, double p) {
        double q = 1.0 - p;
        double ratio = p / q;
        double sum = 0.0;
        double term = 0.0;
        for (long j = k; j <= n; j++) {
            if ((j - k) % ANCHOR == 0) {
                term = pmf(j, n, p, q);
            } else {
                term *= (double) (n - j + 1) / j * ratio;
            }
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return sum;
    }

    /** sum_{j <= k} pmf(j) for 0 <= k < n p, where the terms decrease as j goes down. */
    private static double sumDown(long k, long n, double p) {
        double q = 1.0 - p;
        double ratio = q / p;
        double sum = 0.0;
        double term = 0.0;
        for (long j = k; j >= 0; j--) {
            if ((k - j) % ANCHOR == 0) {
                term = pmf(j, n, p, q);
            } else {
                term *= (double) (j + 1) / (n - j) * ratio;
            }
            double next = sum + term;
            if (next == sum) {
                break;
            }
            sum = next;
        }
        return sum;
    }

    /** P(X = x) for 0 <= x <= n, 0 < p < 1, q = 1 - p (Loader's saddle-point form). */
    static double pmf(long x, long n, double p, double q) {
        if (x == 0) {
            return Math.exp(n * Math.log1p(-p)); // q^n from p itself: 1 - p may have been rounded
        }
        if (x == n) {
            return Math.exp(n * Math.log(p));
        }
        double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) - bd0(n - x, n * q);
        double lf = LN_2PI + Math.log(x) + Math.log1p(-(double) x / n);
        return Math.exp(lc - 0.5 * lf);
    }

    /**
     * {@code log n!}: exact (to rounding) for small n, else Stirling's formula plus its remainder
     * {@link #stirlerr}.
     */
    static double logFactorial(long n) {
        if (n < 0) {
            throw new InvalidInputException("log-factorial: expected n >= 0, got " + n);
        }
        if (n < SMALL) {
            return LOG_FACTORIAL[(int) n];
        }
        return (n + 0.5) * Math.log(n) - n + 0.5 * LN_2PI + stirlerr(n);
    }

    /**
     * Stirling's remainder {@code log n! - log(sqrt(2 pi n) (n/e)^n)}, about {@code 1/(12 n)}: from the table below
     * {@value #SMALL}, else from its asymptotic series {@code 1/(12n) - 1/(360n^3) + 1/(1260n^5) - 1/(1680n^7) +
     * 1/(1188n^9)}, cut where the next term is below the double's resolution.
     */
    static double stirlerr(long n) {
        if (n < SMALL) {
            return STIRLERR[(int) n];
        }
        final double s0 = 1.0 / 12;
        final double s1 = 1.0 / 360;
        final double s2 = 1.0 / 1260;
        final double s3 = 1.0 / 1680;
        final double s4 = 1.0 / 1188;
        double nn = (double) n * n;
        if (n > 500) {
            return (s0 - s1 / nn) / n;
        }
        if (n > 80) {
            return (s0 - (s1 - s2 / nn) / nn) / n;
        }
        if (n > 35) {
            return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
        }
        return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
    }

    /**
     * The deviance term {@code x log(x/m) + m - x >= 0}; near {@code x = m}, where the two parts cancel, from the
     * series {@code (x-m)^2/(x+m) + 2x sum_{j>=1} v^(2j+1)/(2j+1)} with {@code v = (x-m)/(x+m)}.
     */
    static double bd0(double x, double m) {
        if (Math.abs(x - m) < 0.1 * (x + m)) {
            double v = (x - m) / (x + m);
            double s = (x - m) * v;
            double ej = 2.0 * x * v;
            double v2 = v * v;
            for (int j = 1; j < 1000; j++) {
                ej *= v2;
                double s1 = s + ej / (2 * j + 1);
                if (s1 == s) {
                    return s1;
                }
                s = s1;
            }
            return s;
        }
        return x * Math.log(x / m) + m - x;
    }
}
