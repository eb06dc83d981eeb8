package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The 2-D hypervolume of an (accuracy, relative energy) set, accuracy maximised and energy minimised: the area
 * dominated by the set and bounded by a reference point. It measures how close and how wide a front is, so a
 * search can be scored against the exhaustive front.
 */
public final class Hypervolume {
    private Hypervolume() {
    }

    /**
     * The area of {(acc, e) : referenceAccuracy &lt;= acc &lt;= a_p and e_p &lt;= e &lt;= referenceEnergy for some point p}.
     * Points with a NaN, with accuracy at or below the reference accuracy, or with energy at or above the
     * reference energy add nothing.
     *
     * @param points            {accuracy, relativeEnergy} pairs
     * @param referenceAccuracy the worst accuracy counted
     * @param referenceEnergy   the worst energy counted
     * @return the area, 0 for no contributing point
     * @throws IllegalArgumentException when a point is not a pair or a reference is not finite
     */
    public static double of(List<double[]> points, double referenceAccuracy, double referenceEnergy) {
        if (!Double.isFinite(referenceAccuracy) || !Double.isFinite(referenceEnergy)) {
            throw new IllegalArgumentException("hypervolume reference: expected finite accuracy and energy, got ("
                    + referenceAccuracy + ", " + referenceEnergy + ")");
        }
        List<double[]> inside = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            double[] p = points.get(i);
            if (p.length != 2) {
                throw new IllegalArgumentException("hypervolume point " + i + ": expected {accuracy, relativeEnergy}, got "
                        + p.length + " values");
            }
            // The negated form also drops NaN.
            if (p[0] > referenceAccuracy && p[1] < referenceEnergy) {
                inside.add(p);
            }
        }
        // Sweep from the most accurate point down: each point adds only the strip below the lowest energy seen so
        // far, since everything above it is already covered by a point at least as accurate.
        inside.sort(Comparator.<double[]>comparingDouble(p -> -p[0]).thenComparingDouble(p -> p[1]));
        double area = 0;
        double lowestEnergy = referenceEnergy;
        for (double[] p : inside) {
            if (p[1] < lowestEnergy) {
                area += (p[0] - referenceAccuracy) * (lowestEnergy - p[1]);
                lowestEnergy = p[1];
            }
        }
        return area;
    }

    /**
     * @param points          {accuracy, relativeEnergy} pairs to score
     * @param referenceFront  the front to compare against (e.g. the exhaustive one)
     * @param refAcc          reference accuracy
     * @param refEnergy       reference energy
     * @return {@code of(points) / of(referenceFront)}; NaN when the reference front's area is 0
     */
    public static double ratio(List<double[]> points, List<double[]> referenceFront, double refAcc, double refEnergy) {
        double whole = of(referenceFront, refAcc, refEnergy);
        return whole == 0 ? Double.NaN : of(points, refAcc, refEnergy) / whole;
    }
}
