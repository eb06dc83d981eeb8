package org.axdse.job.search;

import org.axdse.job.config.UniformSeeding;

/**
 * Settings of the NSGA-II search.
 *
 * @param population    parents kept and offspring made per generation (at least 2)
 * @param generations   generations after the initial population (0 = the initial population only)
 * @param crossoverRate probability that a child mixes two parents gene by gene instead of copying one, in [0, 1]
 * @param mutationRate  per-gene mutation probability in [0, 1]; NaN = 1 / number of genes
 * @param tiles         0 = one gene per approximable layer; T &gt; 0 = ALWANN's tiled genome (T multipliers
 *                      shared by the layers, plus a layer-to-tile gene per approximable layer)
 * @param seed          seed; with the same settings, space and evaluations a search proposes the same candidates
 * @param seeding       which uniform assignments (one multiplier on every approximable layer) the initial population
 *                      holds besides random genomes
 */
public record Nsga2Settings(int population, int generations, double crossoverRate, double mutationRate, int tiles, long seed,
                            UniformSeeding seeding) {
    /** Settings with the default seeding, {@link UniformSeeding#ON}. */
    public Nsga2Settings(int population, int generations, double crossoverRate, double mutationRate, int tiles, long seed) {
        this(population, generations, crossoverRate, mutationRate, tiles, seed, UniformSeeding.ON);
    }

    /** Checks the ranges. */
    public Nsga2Settings {
        if (seeding == null) {
            throw new IllegalArgumentException("NSGA-II seeding: expected off, on or all, got null");
        }
        if (population < 2) {
            throw new IllegalArgumentException("NSGA-II population: expected >= 2, got " + population);
        }
        if (generations < 0) {
            throw new IllegalArgumentException("NSGA-II generations: expected >= 0, got " + generations);
        }
        if (!(crossoverRate >= 0 && crossoverRate <= 1)) {
            throw new IllegalArgumentException("NSGA-II crossover rate: expected a probability in [0, 1], got " + crossoverRate);
        }
        if (!Double.isNaN(mutationRate) && !(mutationRate >= 0 && mutationRate <= 1)) {
            throw new IllegalArgumentException("NSGA-II mutation rate: expected a probability in [0, 1] or NaN (1 / genes), got "
                    + mutationRate);
        }
        if (tiles < 0) {
            throw new IllegalArgumentException("NSGA-II tiles: expected >= 0 (0 = one gene per layer), got " + tiles);
        }
    }
}
