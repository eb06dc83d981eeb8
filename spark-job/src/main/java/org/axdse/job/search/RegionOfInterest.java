package org.axdse.job.search;

import java.util.List;

/**
 * The accuracy range a search should spend its evaluations on: candidates that lose more than
 * {@code maxDrop} against the exact 8-bit baseline are outside it. NSGA-II ranks them below every candidate
 * inside (Deb's constrained domination, by how far they fall short); the error-model refinement does not
 * explore towards them. The baseline's accuracy is looked up in the history, so the region applies from the
 * first generation after the baseline was evaluated.
 *
 * @param baselineId the exact 8-bit baseline's candidate id
 * @param maxDrop    largest accuracy drop of interest; 1 or more: no limit
 */
public record RegionOfInterest(String baselineId, double maxDrop) {
    /** No limit. */
    public static final RegionOfInterest EVERYTHING = new RegionOfInterest("", 1.0);

    /**
     * @param history evaluations so far
     * @return the lowest accuracy of interest; -infinity when there is no limit or the baseline is not evaluated yet
     */
    public double floor(List<Strategy.Evaluated> history) {
        if (maxDrop >= 1) {
            return Double.NEGATIVE_INFINITY;
        }
        for (Strategy.Evaluated e : history) {
            if (e.candidate().id().equals(baselineId)) {
                return e.accuracy() - maxDrop;
            }
        }
        return Double.NEGATIVE_INFINITY;
    }
}
