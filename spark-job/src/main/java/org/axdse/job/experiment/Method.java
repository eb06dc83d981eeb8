package org.axdse.job.experiment;

import org.axdse.job.config.JobConfig;
import org.axdse.job.config.StrategyKind;

/**
 * The ways an ALWANN experiment assigns multipliers to layers, each one AxDSE run: one multiplier on every layer
 * (the uniform assignments; ALWANN's baseline), ALWANN's tiled NSGA-II (a few multipliers and a layer-to-tile
 * map) and NSGA-II over one multiplier gene per layer.
 */
public enum Method {
    /** Every multiplier of the library on every layer (and the exact 8-bit baseline). */
    UNIFORM("uniform"),
    /** NSGA-II with ALWANN's tiled genome ({@code axdse.strategy.nsga2.tiles}, 4 unless the settings say otherwise). */
    TILED("tiled"),
    /** NSGA-II with one multiplier gene per layer. */
    PER_LAYER("per-layer");

    /** Tiles of the tiled genome when the settings leave {@code axdse.strategy.nsga2.tiles} at 0 (ALWANN's 4 tiles). */
    public static final int DEFAULT_TILES = 4;

    private final String spelling;

    Method(String spelling) {
        this.spelling = spelling;
    }

    /** @return the name in run ids, tables and the summary */
    public String spelling() {
        return spelling;
    }

    /** @return whether this method is a search whose size (generations) a time budget may set */
    public boolean isSearch() {
        return this != UNIFORM;
    }

    /**
     * @param base  the experiment's settings
     * @param runId this method's run id
     * @return the settings of this method's run
     */
    JobConfig configure(JobConfig base, String runId) {
        JobConfig cfg = base.with(JobConfig.RUN_ID, runId);
        return switch (this) {
            case UNIFORM -> cfg.with(JobConfig.STRATEGY, StrategyKind.UNIFORM);
            case TILED -> cfg.with(JobConfig.STRATEGY, StrategyKind.NSGA2).with(JobConfig.NSGA2_TILES,
                    base.get(JobConfig.NSGA2_TILES) > 0 ? base.get(JobConfig.NSGA2_TILES) : DEFAULT_TILES);
            case PER_LAYER -> cfg.with(JobConfig.STRATEGY, StrategyKind.NSGA2).with(JobConfig.NSGA2_TILES, 0);
        };
    }
}
