package org.axdse.job.search;

import java.util.List;

/**
 * A search strategy: proposes candidates generation by generation. One-shot strategies propose everything
 * in generation 0 and nothing after; iterative ones (NSGA-II) look at the evaluated history and propose
 * the next generation, each run as one Spark job over the same cached shards.
 */
public interface Strategy {
    /**
     * @param generation the generation to propose (0, 1, ...)
     * @param history    every evaluation so far (accuracy and energy per candidate)
     * @return the candidates to evaluate; empty when the search is done
     */
    List<Candidate> propose(int generation, List<Evaluated> history);

    /**
     * An evaluated candidate, as strategies see it.
     *
     * @param candidate      the candidate
     * @param accuracy       top-1 accuracy
     * @param relativeEnergy energy relative to the exact multiplier
     * @param racedOut       dropped by racing: {@code accuracy} is that of the images it saw, on which a candidate
     *                       of lower or equal energy was significantly better (NSGA-II ranks it behind every
     *                       complete evaluation; the error-model refinement leaves it out of its measured front)
     */
    record Evaluated(Candidate candidate, double accuracy, double relativeEnergy, boolean racedOut) {
        /** A full evaluation (not raced out). */
        public Evaluated(Candidate candidate, double accuracy, double relativeEnergy) {
            this(candidate, accuracy, relativeEnergy, false);
        }
    }
}
