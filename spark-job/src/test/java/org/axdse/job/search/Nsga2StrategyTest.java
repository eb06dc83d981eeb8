package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.axdse.job.config.UniformSeeding;
import org.axdse.job.search.Strategy.Evaluated;
import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * NSGA-II on a synthetic problem: 5 approximable layers x 6 multipliers plus one layer kept exact. Multiplier
 * m_k has power P[k] (decreasing) and error E[k] (increasing); accuracy = 1 - sum_l W[l] E[k_l] and energy =
 * sum_l MACS[l] P[k_l] / sum_l MACS[l], so the front trades cheap multipliers on heavy, insensitive layers.
 */
class Nsga2StrategyTest {
    static final List<String> M = List.of("m0", "m1", "m2", "m3", "m4", "m5");
    static final double[] P = {1.00, 0.82, 0.66, 0.51, 0.38, 0.27};
    static final double[] E = {0.000, 0.004, 0.010, 0.019, 0.032, 0.050};
    /** Layer 3 is not approximable. */
    static final double[] W = {1.0, 0.6, 1.7, 0, 0.8, 1.3};
    static final double[] MACS = {120, 300, 80, 50, 260, 190};
    static final SearchSpace SPACE = new SearchSpace(List.of(M, M, M, List.of("exact-fp32"), M, M));
    /** What the job evaluates first, beside the strategy's proposals. */
    static final Candidate BASELINE = Candidate.of(0, List.of("exact-fp32", "exact-fp32", "exact-fp32", "exact-fp32",
            "exact-fp32", "exact-fp32"));

    static Nsga2Settings settings(int population, int generations, int tiles, long seed) {
        return new Nsga2Settings(population, generations, 0.9, Double.NaN, tiles, seed);
    }

    static Evaluated evaluate(Candidate c) {
        double error = 0;
        double energy = 0;
        double macs = 0;
        for (int l = 0; l < c.names().size(); l++) {
            String n = c.names().get(l);
            int k = n.equals("exact-fp32") ? 0 : M.indexOf(n);
            error += W[l] * E[k];
            energy += MACS[l] * P[k];
            macs += MACS[l];
        }
        return new Evaluated(c, 1 - error, energy / macs);
    }

    /**
     * Drives a strategy like the job: propose, evaluate what is new (the baseline too, in generation 0), repeat
     * until the strategy proposes nothing. {@code shuffle} hands each call the history in a random order.
     *
     * @return the proposals of each generation
     */
    static List<List<Candidate>> drive(Strategy s, List<Evaluated> history, int lastGeneration, Random shuffle) {
        List<List<Candidate>> proposals = new ArrayList<>();
        Set<String> evaluated = new HashSet<>();
        for (Evaluated e : history) {
            evaluated.add(e.candidate().id());
        }
        for (int g = 0; g <= lastGeneration; g++) {
            List<Evaluated> given = new ArrayList<>(history);
            if (shuffle != null) {
                Collections.shuffle(given, shuffle);
            }
            List<Candidate> proposed = s.propose(g, List.copyOf(given));
            if (proposed.isEmpty() && g > 0) {
                break;
            }
            proposals.add(proposed);
            if (g == 0 && evaluated.add(BASELINE.id())) {
                history.add(evaluate(BASELINE));
            }
            for (Candidate c : proposed) {
                if (evaluated.add(c.id())) {
                    history.add(evaluate(c));
                }
            }
        }
        return proposals;
    }

    static Nsga2Settings settings(int population, int generations, int tiles, long seed, UniformSeeding seeding) {
        return new Nsga2Settings(population, generations, 0.9, Double.NaN, tiles, seed, seeding);
    }

    /** Multiplier {@code m} on every approximable layer of {@link #SPACE}. */
    static List<String> uniform(String m) {
        return List.of(m, m, m, "exact-fp32", m, m);
    }

    /** The strategy with the synthetic problem's energies, as the job gives them. */
    static Nsga2Strategy withEnergies(Nsga2Settings settings) {
        return new Nsga2Strategy(SPACE, settings, RegionOfInterest.EVERYTHING,
                names -> evaluate(Candidate.of(0, names)).relativeEnergy());
    }

    @Test
    void theInitialPopulationStartsWithEveryUniformAssignmentThatFitsAndIsDistinct() {
        for (int tiles : new int[] {0, 2}) {
            List<Candidate> init = new Nsga2Strategy(SPACE, settings(24, 3, tiles, 1)).propose(0, List.of());
            assertEquals(24, init.size());
            assertEquals(24, init.stream().map(Candidate::id).distinct().count());
            for (int k = 0; k < 6; k++) { // 6 uniform ones fit a population of 24: all of them, first, in option order
                assertEquals(uniform(M.get(k)), init.get(k).names(), "tiles " + tiles);
            }
            assertTrue(init.stream().allMatch(c -> c.generation() == 0 && c.names().get(3).equals("exact-fp32")));
            assertEquals(init, new Nsga2Strategy(SPACE, settings(24, 3, tiles, 1)).propose(0, List.of()), "the same seed");
            assertNotEquals(init, new Nsga2Strategy(SPACE, settings(24, 3, tiles, 2)).propose(0, List.of()), "another seed");
            assertEquals(init.subList(0, 6), new Nsga2Strategy(SPACE, settings(24, 3, tiles, 2)).propose(0, List.of()).subList(0, 6),
                    "the seeds do not depend on the seed");
        }
    }

    @Test
    void moreMultipliersThanThePopulationAreSpreadOverEnergyUpToExact() {
        // Energies of the uniform assignments: m0 1.00, m1 0.82, m2 0.66, m3 0.51, m4 0.38, m5 0.27. Four levels from
        // 0.27 to 1.00 (0.27, 0.51, 0.76, 1.00) take m5, m3, m1 (0.82 is nearer 0.76 than 0.66) and m0.
        for (int tiles : new int[] {0, 2}) {
            List<Candidate> init = withEnergies(settings(4, 3, tiles, 1, UniformSeeding.ON)).propose(0, List.of());
            assertEquals(List.of(uniform("m5"), uniform("m3"), uniform("m1"), uniform("m0")),
                    init.stream().map(Candidate::names).toList(), "tiles " + tiles);
        }
        // Without energies: spread over the option order (levels 0, 1.7, 3.3, 5).
        assertEquals(List.of("m0", "m2", "m3", "m5"), new Nsga2Strategy(SPACE, settings(4, 3, 0, 1)).uniformSeeds());

        // A multiplier dearer than exact (m6, 1.5) is no level's target: the levels stop at exact (1.0).
        List<String> m = new ArrayList<>(M);
        m.add("m6");
        SearchSpace space = new SearchSpace(List.of(m, m));
        double[] power = {1.00, 0.82, 0.66, 0.51, 0.38, 0.27, 1.5};
        Nsga2Strategy s = new Nsga2Strategy(space, settings(3, 1, 0, 1, UniformSeeding.ON), RegionOfInterest.EVERYTHING,
                names -> power[m.indexOf(names.get(0))]);
        assertEquals(List.of("m5", "m2", "m0"), s.uniformSeeds(), "levels 0.27, 0.635, 1.0");
    }

    @Test
    void seedingAllGrowsGenerationZeroAndOffSeedsNothing() {
        for (int tiles : new int[] {0, 3}) {
            Nsga2Strategy all = withEnergies(settings(4, 3, tiles, 1, UniformSeeding.ALL));
            List<Evaluated> history = new ArrayList<>();
            List<List<Candidate>> run = drive(all, history, 3, null);
            assertEquals(M.stream().map(Nsga2StrategyTest::uniform).toList(), run.get(0).stream().map(Candidate::names).toList(),
                    "every uniform assignment, beyond the population of 4 (tiles " + tiles + ")");
            assertEquals(4, all.parents().size(), "selection keeps the population");
            assertTrue(run.get(1).size() <= 4);

            List<Candidate> off = new Nsga2Strategy(SPACE, settings(24, 3, tiles, 1, UniformSeeding.OFF)).propose(0, List.of());
            assertEquals(24, off.size());
            long uniforms = off.stream().filter(c -> M.stream().anyMatch(k -> uniform(k).equals(c.names()))).count();
            // Random genomes only: per layer, a uniform one is 6 in 7,776 assignments; a tiled genome with 3 tiles
            // decodes to one more often (all layers on tiles of one multiplier), but not to all six.
            assertTrue(tiles == 0 ? uniforms == 0 : uniforms < 6, "tiles " + tiles + ": " + uniforms + " uniform");
        }
    }

    @Test
    void theSameSeedGivesTheSameProposalsAndAnotherSeedOthers() {
        List<List<Candidate>> a = drive(new Nsga2Strategy(SPACE, settings(12, 6, 0, 42)), new ArrayList<>(), 6, null);
        List<List<Candidate>> b = drive(new Nsga2Strategy(SPACE, settings(12, 6, 0, 42)), new ArrayList<>(), 6, null);
        List<List<Candidate>> c = drive(new Nsga2Strategy(SPACE, settings(12, 6, 0, 43)), new ArrayList<>(), 6, null);
        assertEquals(7, a.size(), "generations 0..6");
        assertEquals(a, b);
        assertNotEquals(a.get(0), c.get(0));
        assertNotEquals(a.get(6), c.get(6));
    }

    @Test
    void aFreshInstanceFedTheFullHistoryReplaysTheRun() {
        Nsga2Settings s = settings(16, 12, 0, 7);
        List<Evaluated> history = new ArrayList<>();
        Nsga2Strategy first = new Nsga2Strategy(SPACE, s);
        List<List<Candidate>> run = drive(first, history, 5, null);
        assertEquals(6, run.size());

        Nsga2Strategy resumed = new Nsga2Strategy(SPACE, s);
        for (int g = 0; g <= 5; g++) {
            assertEquals(run.get(g), resumed.propose(g, history), "generation " + g);
        }
        assertEquals(first.parents(), resumed.parents());
        assertEquals(run.get(5), new Nsga2Strategy(SPACE, s).propose(5, history), "straight to generation 5");
        assertEquals(run.get(2), resumed.propose(2, history), "back to generation 2");
    }

    @Test
    void theOrderOfTheHistoryDoesNotMatter() {
        List<List<Candidate>> ordered = drive(new Nsga2Strategy(SPACE, settings(12, 8, 0, 3)), new ArrayList<>(), 8, null);
        List<List<Candidate>> shuffled = drive(new Nsga2Strategy(SPACE, settings(12, 8, 0, 3)), new ArrayList<>(), 8, new Random(99));
        assertEquals(ordered, shuffled);
    }

    @Test
    void noAssignmentIsProposedTwiceNorOneAlreadyEvaluated() {
        // An assignment evaluated before the run (as a listed candidate would be): never proposed after generation 0.
        Candidate known = Candidate.of(0, List.of("m1", "m2", "m3", "exact-fp32", "m4", "m5"));
        List<Evaluated> history = new ArrayList<>(List.of(evaluate(known)));
        Nsga2Strategy s = new Nsga2Strategy(SPACE, settings(24, 12, 0, 5));
        Set<String> seen = new HashSet<>();
        for (int g = 0; g <= 12; g++) {
            Set<String> before = new HashSet<>();
            history.forEach(e -> before.add(e.candidate().id()));
            List<Candidate> proposed = s.propose(g, List.copyOf(history));
            for (Candidate c : proposed) {
                assertTrue(seen.add(c.id()), "generation " + g + " proposes " + c.names() + " again");
                assertTrue(g == 0 || !before.contains(c.id()), "generation " + g + " proposes evaluated " + c.names());
                assertEquals(g, c.generation());
                history.add(evaluate(c));
            }
        }
        assertTrue(seen.size() > 24 * 10, "most generations fill up: " + seen.size());
    }

    @Test
    void theTiledGenomeUsesAtMostTilesMultipliersPerCandidate() {
        List<List<Candidate>> run = drive(new Nsga2Strategy(SPACE, settings(16, 6, 2, 11)), new ArrayList<>(), 6, null);
        Set<Integer> distinctCounts = new HashSet<>();
        for (List<Candidate> generation : run) {
            for (Candidate c : generation) {
                Set<String> used = new HashSet<>(c.names());
                used.remove("exact-fp32");
                assertTrue(used.size() <= 2, c.names().toString());
                distinctCounts.add(used.size());
            }
        }
        assertEquals(Set.of(1, 2), distinctCounts);

        SearchSpace disjoint = new SearchSpace(List.of(List.of("a", "b"), List.of("exact-fp32"), List.of("c")));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> new Nsga2Strategy(disjoint, settings(4, 1, 2, 1)));
        assertEquals("NSGA-II tiles = 2: the tiled genome needs at least one multiplier allowed by every approximable layer,"
                + " got none (2 approximable layers)", e.getMessage());
    }

    static List<double[]> objectives(List<Evaluated> evaluations) {
        return evaluations.stream().map(e -> new double[] {e.accuracy(), e.relativeEnergy()}).toList();
    }

    /**
     * Everything a 24 x 12 run evaluates, scored by hypervolume against the exhaustive front of the 6^5 space
     * (reference: the worst exhaustive accuracy, energy 1), and against random sampling with the same budget.
     */
    @Test
    void aShortRunComesCloseToTheExhaustiveFrontAndBeatsRandomSampling() {
        List<Evaluated> history = new ArrayList<>();
        drive(new Nsga2Strategy(SPACE, settings(24, 12, 0, 2024)), history, 12, null);
        List<Candidate> all = Strategies.exhaustive(SPACE, 10_000, "k").propose(0, List.of());
        assertEquals(7776, all.size());
        List<double[]> exhaustive = objectives(all.stream().map(Nsga2StrategyTest::evaluate).toList());
        double refAccuracy = exhaustive.stream().mapToDouble(p -> p[0]).min().orElseThrow();

        ParetoFront2D<double[]> exhaustiveFront = ParetoFront2D.ofPairs(exhaustive);
        double r = ParetoFront2D.ofPairs(objectives(history)).hypervolumeRatio(exhaustiveFront, refAccuracy, 1.0);
        List<Candidate> sampled = Strategies.random(SPACE, history.size(), 2024).propose(0, List.of());
        double random = ParetoFront2D.ofPairs(objectives(sampled.stream().map(Nsga2StrategyTest::evaluate).toList()))
                .hypervolumeRatio(exhaustiveFront, refAccuracy, 1.0);
        System.out.printf(java.util.Locale.ROOT, "NSGA-II 24 x 12: %d evaluations, hypervolume ratio vs exhaustive %.4f"
                + " (random sampling, same budget: %.4f)%n", history.size(), r, random);
        assertTrue(r >= 0.95 && r <= 1 + 1e-12, "ratio " + r);
        assertTrue(r > random, "NSGA-II " + r + " vs random " + random);
    }

    @Test
    void aSmallSpaceRunsOutOfNewAssignments() {
        SearchSpace tiny = new SearchSpace(List.of(List.of("m0", "m1"), List.of("m0", "m1")));
        Nsga2Strategy s = new Nsga2Strategy(tiny, settings(6, 5, 0, 1));
        List<Evaluated> history = new ArrayList<>();
        List<List<Candidate>> run = drive(s, history, 5, null);
        assertEquals(1, run.size(), "everything is proposed in generation 0");
        assertEquals(4, run.get(0).size(), "fewer than the population: the space has 4 assignments");
        assertTrue(s.propose(1, history).isEmpty());
        assertTrue(s.propose(6, history).isEmpty(), "past the last generation");
    }

    @Test
    void aMissingEvaluationIsNamed() {
        Nsga2Strategy s = new Nsga2Strategy(SPACE, settings(4, 3, 0, 1));
        List<Candidate> init = s.propose(0, List.of());
        List<Evaluated> partial = init.subList(1, init.size()).stream().map(Nsga2StrategyTest::evaluate).toList();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.propose(1, partial));
        assertEquals("NSGA-II generation 1: candidate " + init.get(0).id() + " (proposed in generation 0) has no evaluation"
                + " in the history", e.getMessage());
    }

    @Test
    void failedEvaluationsWithNaNEnergyLoseButDoNotBreakTheSearch() {
        List<Evaluated> history = new ArrayList<>();
        Nsga2Strategy s = new Nsga2Strategy(SPACE, settings(8, 3, 0, 1));
        for (int g = 0; g <= 3; g++) {
            for (Candidate c : s.propose(g, List.copyOf(history))) {
                Evaluated e = evaluate(c);
                history.add(c.names().contains("m5") ? new Evaluated(c, e.accuracy(), Double.NaN) : e);
            }
        }
        assertFalse(s.parents().isEmpty());
        assertTrue(s.parents().stream().limit(2).noneMatch(c -> c.names().contains("m5")), s.parents().toString());
    }

    /**
     * Racing drops a candidate because a cheaper one was significantly better on the images it saw; its accuracy
     * from those few images may still look excellent. Such candidates rank behind every complete evaluation: here
     * the raced-out ones claim a near-perfect accuracy at low energy and still never become parents.
     */
    @Test
    void racedOutCandidatesRankBehindCompleteEvaluations() {
        List<Evaluated> history = new ArrayList<>();
        Nsga2Strategy s = new Nsga2Strategy(SPACE, settings(8, 3, 0, 1));
        int racedOut = 0;
        for (int g = 0; g <= 3; g++) {
            for (Candidate c : s.propose(g, List.copyOf(history))) {
                Evaluated e = evaluate(c);
                boolean dropped = c.names().contains("m5") && !c.names().stream().filter(n -> !n.equals("exact-fp32")).allMatch("m5"::equals);
                racedOut += dropped ? 1 : 0;
                history.add(dropped ? new Evaluated(c, 0.999, e.relativeEnergy() / 10, true) : e);
            }
        }
        assertTrue(racedOut > 0, "the test races some candidates out");
        assertFalse(s.parents().isEmpty());
        assertTrue(s.parents().stream().noneMatch(c -> c.names().contains("m5")
                && !c.names().stream().filter(n -> !n.equals("exact-fp32")).allMatch("m5"::equals)), s.parents().toString());
    }

    @Test
    void settingsAreChecked() {
        assertEquals("NSGA-II population: expected >= 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(1, 5, 0.9, Double.NaN, 0, 1)).getMessage());
        assertEquals("NSGA-II generations: expected >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(4, -1, 0.9, Double.NaN, 0, 1)).getMessage());
        assertEquals("NSGA-II crossover rate: expected a probability in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(4, 5, 1.5, Double.NaN, 0, 1)).getMessage());
        assertEquals("NSGA-II crossover rate: expected a probability in [0, 1], got NaN",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(4, 5, Double.NaN, 0.1, 0, 1)).getMessage());
        assertEquals("NSGA-II mutation rate: expected a probability in [0, 1] or NaN (1 / genes), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(4, 5, 0.9, -0.1, 0, 1)).getMessage());
        assertEquals("NSGA-II tiles: expected >= 0 (0 = one gene per layer), got -2",
                assertThrows(IllegalArgumentException.class, () -> new Nsga2Settings(4, 5, 0.9, Double.NaN, -2, 1)).getMessage());
        assertEquals(0, new Nsga2Settings(2, 0, 0, 1, 0, 1).generations(), "the edges are allowed");
    }
}
