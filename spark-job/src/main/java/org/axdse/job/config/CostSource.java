package org.axdse.job.config;

/** Where the error-model strategy takes the per-layer cost of a multiplier ({@code axdse.strategy.error-model.cost}). */
public enum CostSource implements Choice {
    /** Measured when the sensitivity stage runs, predicted otherwise. */
    AUTO("auto"),
    /** The error model's predicted accuracy drop. */
    PREDICTED("predicted"),
    /** The sensitivity stage's measured accuracy drop (needs {@code axdse.sensitivity=true}). */
    MEASURED("measured");

    private final String spelling;

    CostSource(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }

    /**
     * @param sensitivity whether the run has the sensitivity stage
     * @return whether the costs are measured ones
     */
    public boolean measured(boolean sensitivity) {
        return this == MEASURED || (this == AUTO && sensitivity);
    }
}
