package org.axdse.job.config;

/** The search strategies of {@code axdse.strategy}. */
public enum StrategyKind implements Choice {
    /** Every allowed multiplier on every approximable layer, one candidate per multiplier. */
    UNIFORM("uniform"),
    /** Every assignment of the space (bounded by {@code axdse.strategy.exhaustive.max}). */
    EXHAUSTIVE("exhaustive"),
    /** Seeded random assignments. */
    RANDOM("random"),
    /** The assignments of a user's file ({@code axdse.strategy.list.file}). */
    LIST("list"),
    /** NSGA-II, per-layer or ALWANN's tiled genome. */
    NSGA2("nsga2"),
    /** The error model's tolerance sweep and its refinement around the measured front. */
    ERROR_MODEL("error-model");

    private final String spelling;

    StrategyKind(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
