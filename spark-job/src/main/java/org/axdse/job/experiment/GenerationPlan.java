package org.axdse.job.experiment;

/**
 * How many NSGA-II generations a search may run within what is left of an experiment's time budget, from the cost
 * per image-evaluation measured in the experiment's own uniform run (which racing does not shorten, since uniform
 * assignments are never raced out). The plan assumes no racing savings and no shared layer prefixes, so searches
 * tend to finish early rather than late; a share of the time is kept for validation and table writes.
 */
public final class GenerationPlan {
    /** Share of the remaining time kept for the validation stages, tables and reports. */
    static final double RESERVE = 0.2;

    private GenerationPlan() {
    }

    /**
     * @param secondsLeft               time left of the budget
     * @param searchesLeft              searches still to run, this one included
     * @param secondsPerImageEvaluation measured wall seconds per image-evaluation
     * @param population                NSGA-II population (candidates per later generation)
     * @param initial                   candidates of generation 0 (the population, or more when every uniform
     *                                  assignment seeds it: {@code axdse.strategy.nsga2.seed-uniform=all})
     * @param images                    search images per candidate
     * @return generations after the initial population (0: the initial population only)
     */
    public static int generations(double secondsLeft, int searchesLeft, double secondsPerImageEvaluation, int population,
                                  int initial, int images) {
        if (searchesLeft < 1 || population < 1 || initial < 1 || images < 1 || !(secondsPerImageEvaluation > 0)) {
            throw new IllegalArgumentException("searchesLeft, population, initial, images and the cost must be positive");
        }
        double perSearch = Math.max(0, secondsLeft) * (1 - RESERVE) / searchesLeft;
        double perCandidate = images * secondsPerImageEvaluation;
        double afterInitial = perSearch - Math.max(initial, population) * perCandidate;
        long affordable = (long) Math.floor(afterInitial / (population * perCandidate));
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, affordable));
    }
}
