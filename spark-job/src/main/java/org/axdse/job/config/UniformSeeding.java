package org.axdse.job.config;

/**
 * Which uniform assignments (one multiplier on every approximable layer) seed NSGA-II's initial population
 * ({@code axdse.strategy.nsga2.seed-uniform}). A random genome of a large library almost always holds a ruinous
 * multiplier somewhere, so without seeds the search may never reach assignments as good as the best uniform one.
 */
public enum UniformSeeding implements Choice {
    /** None: the initial population is random genomes only. */
    OFF("off"),
    /**
     * The uniform assignment of every multiplier all approximable layers allow, as many as the population holds; when
     * there are more, a population's worth spread evenly over relative energy. Random genomes fill the rest.
     */
    ON("on"),
    /** Every uniform assignment, even when they outnumber the population (generation 0 is then larger). */
    ALL("all");

    private final String spelling;

    UniformSeeding(String spelling) {
        this.spelling = spelling;
    }

    @Override
    public String spelling() {
        return spelling;
    }
}
