package org.axdse.job.stats;

import org.axdse.kernel.InvalidInputException;

/**
 * Confidence intervals and tests for accuracies measured on a set of test images: the Wilson interval of one
 * accuracy, the interval of the paired difference of two accuracies on the same images, and the exact one-sided
 * McNemar test that one candidate is more accurate than another.
 *
 * <p>Confidence levels are two-sided: {@code 0.95} uses {@code z = Normal.quantile(0.975) = 1.96}.
 */
public final class Intervals {
    private Intervals() {
    }

    /**
     * Wilson score interval of a proportion {@code p = correct / total} at two-sided confidence level
     * {@code confidence}: with {@code z = Normal.quantile((1 + confidence) / 2)},
     * {@code (p + z^2/(2n) +- z sqrt(p (1-p)/n + z^2/(4n^2))) / (1 + z^2/n)}. Unlike the Wald interval it stays in
     * [0, 1] and is not empty at 0 of n or n of n.
     *
     * @param correct    the successes, in [0, total]
     * @param total      the trials, {@code >= 0}; 0 gives [0, 1]
     * @param confidence the two-sided confidence level, in (0, 1)
     * @return the interval, within [0, 1]
     * @throws InvalidInputException when the counts or the confidence are out of range
     */
    public static Interval wilson(long correct, long total, double confidence) {
        if (total < 0 || correct < 0 || correct > total) {
            throw new InvalidInputException("wilson: expected 0 <= correct <= total, got correct " + correct + ", total "
                    + total);
        }
        double z = z(confidence, "wilson");
        if (total == 0) {
            return new Interval(0.0, 1.0);
        }
        double n = total;
        double p = correct / n;
        double z2 = z * z;
        double centre = p + z2 / (2 * n);
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        double scale = 1 + z2 / n;
        // The ends are exactly 0 at 0 of n and exactly 1 at n of n; rounding must not push them outside [0, 1].
        double low = correct == 0 ? 0.0 : Math.max(0.0, (centre - half) / scale);
        double high = correct == total ? 1.0 : Math.min(1.0, (centre + half) / scale);
        return new Interval(low, high);
    }

    /**
     * Interval of the paired difference {@code accA - accB} of two candidates evaluated on the same n images: the
     * Wald interval for paired proportions (McNemar's setting), {@code d = (onlyA - onlyB) / n},
     * {@code se = sqrt(onlyA + onlyB - (onlyA - onlyB)^2 / n) / n}, {@code d +- z se} with
     * {@code z = Normal.quantile((1 + confidence) / 2)}, clipped to [-1, 1]. Only the discordant images matter:
     * swapping A and B negates the interval.
     *
     * @param onlyA      images A got right and B wrong, {@code >= 0}
     * @param onlyB      images B got right and A wrong, {@code >= 0}
     * @param n          images both were evaluated on, {@code >= onlyA + onlyB}; 0 gives [-1, 1]
     * @param confidence the two-sided confidence level, in (0, 1)
     * @return the interval, within [-1, 1]
     * @throws InvalidInputException when the counts or the confidence are out of range
     */
    public static Interval pairedDifference(long onlyA, long onlyB, long n, double confidence) {
        if (onlyA < 0 || onlyB < 0 || n < 0 || onlyA + onlyB > n) {
            throw new InvalidInputException("paired difference: expected onlyA >= 0, onlyB >= 0, onlyA + onlyB <= n, got"
                    + " onlyA " + onlyA + ", onlyB " + onlyB + ", n " + n);
        }
        double z = z(confidence, "paired difference");
        if (n == 0) {
            return new Interval(-1.0, 1.0);
        }
        double diff = onlyA - onlyB;
        double d = diff / n;
        // The variance term is >= 0 mathematically ((a-b)^2/n <= (a+b)^2/n <= a+b); max guards rounding.
        double se = Math.sqrt(Math.max(0.0, onlyA + onlyB - diff * diff / n)) / n;
        return new Interval(Math.max(-1.0, d - z * se), Math.min(1.0, d + z * se));
    }

    /**
     * Exact one-sided McNemar p-value for "A is more accurate than B" on paired images: among the
     * {@code onlyA + onlyB} discordant images, under the null hypothesis each is A's with probability at most 1/2,
     * so {@code p = P(X >= onlyA)} with {@code X ~ Bin(onlyA + onlyB, 1/2)}. E.g. 10 against 2 gives
     * {@code (C(12,10) + C(12,11) + C(12,12)) / 2^12 = 79/4096}.
     *
     * @param onlyA images A got right and B wrong, {@code >= 0}
     * @param onlyB images B got right and A wrong, {@code >= 0}
     * @return the p-value; 1 when there is no discordant image
     * @throws InvalidInputException when a count is negative
     */
    public static double mcNemarOneSided(long onlyA, long onlyB) {
        if (onlyA < 0 || onlyB < 0) {
            throw new InvalidInputException("McNemar: expected discordant counts >= 0, got onlyA " + onlyA + ", onlyB "
                    + onlyB);
        }
        if (onlyA + onlyB == 0) {
            return 1.0;
        }
        return Binomial.upperTail(onlyA, onlyA + onlyB, 0.5);
    }

    private static double z(double confidence, String where) {
        if (!(confidence > 0.0 && confidence < 1.0)) {
            throw new InvalidInputException(where + ": expected a confidence level in (0, 1), got " + confidence);
        }
        return Normal.quantile(0.5 + 0.5 * confidence);
    }
}
