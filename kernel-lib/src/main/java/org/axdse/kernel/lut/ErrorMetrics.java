package org.axdse.kernel.lut;

/**
 * Error metrics of a multiplier table against the exact product, over the uniform distribution of
 * all 65,536 operand pairs (the convention of EvoApproxLib), with {@code e = table(a, w) - a * w}:
 *
 * <ul>
 *   <li>{@code mae}: mean |e|; {@code wce}: max |e|; {@code mse}: mean e^2; {@code meanError}: mean e
 *       (bias); {@code errorProbability}: fraction of pairs with e != 0;</li>
 *   <li>{@code mre}: mean of |e| / |a*w| over all pairs, where pairs with an exact product of 0
 *       contribute 0 (their relative error is undefined); as EvoApproxLib reports it;</li>
 *   <li>{@code wcre}: max |e| / |a*w| over pairs with a non-zero exact product.</li>
 * </ul>
 *
 * The {@code ...Percent} accessors express MAE and WCE as % of the largest exact product magnitude
 * (65,025 unsigned, 16,384 signed), and EP, MRE, WCRE as percentages.
 *
 * @param mae              mean absolute error
 * @param wce              worst-case absolute error
 * @param mse              mean squared error
 * @param meanError        mean signed error (negative: the multiplier underestimates on average)
 * @param errorProbability fraction of operand pairs with a wrong product, 0..1
 * @param mre              mean relative error, as a fraction
 * @param wcre             worst-case relative error, as a fraction
 * @param maxExactProduct  largest exact product magnitude used for the percentages
 */
public record ErrorMetrics(double mae, long wce, double mse, double meanError, double errorProbability,
                           double mre, double wcre, int maxExactProduct) {

    /**
     * @param table a multiplier table
     * @return its metrics against the exact multiplier of the same signedness
     */
    public static ErrorMetrics of(MultiplierTable table) {
        Signedness s = table.signedness();
        long sumAbs = 0;
        long sum = 0;
        long maxAbs = 0;
        long errors = 0;
        double sumSq = 0;
        double sumRel = 0;
        double maxRel = 0;
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            long exact = (long) s.codeOf(i >>> 8) * s.codeOf(i & 0xFF);
            long e = table.entry(i) - exact;
            long abs = Math.abs(e);
            sumAbs += abs;
            sum += e;
            sumSq += (double) e * e;
            maxAbs = Math.max(maxAbs, abs);
            if (e != 0) {
                errors++;
                if (exact != 0) {
                    double rel = (double) abs / Math.abs(exact);
                    sumRel += rel;
                    maxRel = Math.max(maxRel, rel);
                }
            }
        }
        double n = MultiplierTable.ENTRIES;
        return new ErrorMetrics(sumAbs / n, maxAbs, sumSq / n, sum / n, errors / n, sumRel / n, maxRel,
                s.maxExactProductMagnitude());
    }

    /** @return MAE as % of the largest exact product */
    public double maePercent() {
        return 100.0 * mae / maxExactProduct;
    }

    /** @return WCE as % of the largest exact product */
    public double wcePercent() {
        return 100.0 * wce / maxExactProduct;
    }

    /** @return error probability in % */
    public double errorProbabilityPercent() {
        return 100.0 * errorProbability;
    }

    /** @return mean relative error in % */
    public double mrePercent() {
        return 100.0 * mre;
    }

    /** @return worst-case relative error in % */
    public double wcrePercent() {
        return 100.0 * wcre;
    }
}
