package org.axdse.job.config;

/** How racing bounds its wrong drops ({@code axdse.racing.correction}). */
public enum RacingCorrection implements Choice {
    /**
     * Simes' test over a candidate's comparisons (and a reference family): a given candidate on the front is wrongly
     * dropped with probability at most {@code 1 - confidence}.
     */
    SIMES("simes"),
    /**
     * Each comparison on its own at the confidence (Bonferroni over rounds only): many more candidates go early; the
     * bound holds per comparison, so a front candidate with many near-equal cheaper rivals may be dropped more often.
     */
    NONE("none");

    private final String spelling;

    RacingCorrection(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
