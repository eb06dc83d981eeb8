package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

import org.axdse.job.config.UniformSeeding;
import org.axdse.kernel.InvalidInputException;

/**
 * NSGA-II (Deb et al., 2002) over multiplier assignments, maximising accuracy and minimising relative energy.
 *
 * <p>Genome: either one gene per approximable layer (an index into that layer's options), or, with
 * {@code tiles = T > 0}, ALWANN's tiled genome: T tile genes (indices into the multipliers every approximable
 * layer allows) plus one layer-to-tile gene per approximable layer. Layers that are not approximable keep
 * their single option. Different genomes may decode to the same assignment; the candidate id (the
 * assignment) is what is evaluated, de-duplicated and looked up.
 *
 * <p>Initial population: the uniform assignments the settings' {@link UniformSeeding} asks for
 * ({@link #uniformSeeds()}), then random genomes. A random genome of a large library almost always holds a
 * multiplier that ruins the accuracy somewhere; seeded, the search starts from the uniform front and its mixes.
 *
 * <p>Replay: the job resumes a killed run with a fresh instance and the stored history. The proposal of
 * generation g is therefore a pure function of the settings, the space, g and the evaluations of the
 * candidates proposed before g: each generation draws from its own random stream seeded by (seed, g), the
 * history is read through maps keyed by candidate id (its order does not matter), and history entries
 * proposed in generation g or later are ignored. Calling {@code propose} out of order (or with a generation
 * already proposed) re-derives the state from generation 0.
 */
public final class Nsga2Strategy implements Strategy {
    /** Attempts allowed per offspring slot before a generation gives up on finding new assignments. */
    private static final int ATTEMPTS_PER_SLOT = 50;

    /** Objective offset of candidates outside the region of interest (accuracies and energies are far smaller). */
    private static final double OUTSIDE = 1e6;

    private final SearchSpace space;
    private final Nsga2Settings settings;
    private final RegionOfInterest region;
    /** The approximable layers, in layer order. */
    private final int[] approximable;
    /** The multipliers every approximable layer allows, in the option order of the first one. */
    private final List<String> common;
    /** Number of values of each gene. */
    private final int[] alphabet;
    private final double mutationRate;
    /** Relative energy of an assignment (NaN when unknown): spreads the uniform seeds when not all fit. */
    private final ToDoubleFunction<List<String>> energy;

    /** The next generation {@link #propose} expects; anything else replays from 0. */
    private int next;
    /** The parent population selected at the last generation, with rank and crowding from that selection. */
    private List<Ranked> parents = List.of();
    /** The candidates proposed at the last generation. */
    private List<Individual> offspring = List.of();
    /** Ids proposed by this run so far (membership only: never iterated). */
    private final Set<String> proposed = new HashSet<>();

    /** A genome and the candidate it decodes to. */
    private record Individual(int[] genes, Candidate candidate) {
        String id() {
            return candidate.id();
        }
    }

    /** A selected parent: its front and crowding distance in the population it was selected from. */
    private record Ranked(Individual individual, int rank, double crowding) {
    }

    /**
     * A search over the whole accuracy range.
     *
     * @param space    the options per layer
     * @param settings the search settings
     */
    public Nsga2Strategy(SearchSpace space, Nsga2Settings settings) {
        this(space, settings, RegionOfInterest.EVERYTHING);
    }

    /**
     * A search whose assignments' energies are unknown to it: when the uniform seeds do not all fit the population,
     * they are spread over the option order instead of over energy.
     *
     * @param space    the options per layer
     * @param settings the search settings
     * @param region   the accuracy range of interest
     */
    public Nsga2Strategy(SearchSpace space, Nsga2Settings settings, RegionOfInterest region) {
        this(space, settings, region, names -> Double.NaN);
    }

    /**
     * @param space    the options per layer
     * @param settings the search settings
     * @param region   the accuracy range of interest
     * @param energy   relative energy of an assignment (multiplier names in layer order), NaN when unknown; only
     *                 used to choose the uniform seeds when they outnumber the population
     * @throws InvalidInputException when the tiled genome is asked for but no multiplier is allowed by every
     *                               approximable layer
     */
    public Nsga2Strategy(SearchSpace space, Nsga2Settings settings, RegionOfInterest region,
                         ToDoubleFunction<List<String>> energy) {
        this.region = region;
        this.energy = energy;
        this.space = space;
        this.settings = settings;
        List<Integer> layers = new ArrayList<>();
        Set<String> shared = null;
        for (int l = 0; l < space.layers(); l++) {
            if (space.options().get(l).isEmpty()) {
                throw new InvalidInputException("NSGA-II: layer " + l + " expected at least one allowed multiplier, got none");
            }
            if (space.approximable(l)) {
                layers.add(l);
                if (shared == null) {
                    shared = new LinkedHashSet<>(space.options().get(l));
                } else {
                    shared.retainAll(space.options().get(l));
                }
            }
        }
        approximable = layers.stream().mapToInt(Integer::intValue).toArray();
        common = shared == null ? List.of() : List.copyOf(shared);
        int tiles = settings.tiles();
        if (tiles > 0) {
            if (common.isEmpty()) {
                throw new InvalidInputException("NSGA-II tiles = " + tiles + ": the tiled genome needs at least one multiplier"
                        + " allowed by every approximable layer, got none (" + approximable.length + " approximable layers)");
            }
            alphabet = new int[tiles + approximable.length];
            for (int t = 0; t < tiles; t++) {
                alphabet[t] = common.size();
            }
            for (int j = 0; j < approximable.length; j++) {
                alphabet[tiles + j] = tiles;
            }
        } else {
            alphabet = new int[approximable.length];
            for (int j = 0; j < approximable.length; j++) {
                alphabet[j] = space.options().get(approximable[j]).size();
            }
        }
        mutationRate = Double.isNaN(settings.mutationRate())
                ? (alphabet.length == 0 ? 0 : 1.0 / alphabet.length) : settings.mutationRate();
    }

    /**
     * Generation 0: the initial population. Generation g in 1..generations: elitist selection from the last
     * parents and offspring (looked up in {@code history} by candidate id), then new offspring whose
     * assignments were neither evaluated before g nor proposed by this run.
     *
     * @param generation the generation to propose
     * @param history    every evaluation so far, in any order; may hold other candidates (a baseline)
     * @return new candidates; empty after the last generation or when no new assignment could be made
     * @throws IllegalStateException when a parent or offspring of the previous generation has no evaluation
     */
    @Override
    public List<Candidate> propose(int generation, List<Evaluated> history) {
        if (generation < 0) {
            throw new IllegalArgumentException("NSGA-II generation: expected >= 0, got " + generation);
        }
        if (generation > settings.generations()) {
            return List.of();
        }
        if (generation != next) {
            parents = List.of();
            offspring = List.of();
            proposed.clear();
            for (int g = 0; g < generation; g++) {
                step(g, history);
            }
        }
        return step(generation, history);
    }

    /** The parents selected by the last {@link #propose} call (empty after generation 0), best first. */
    List<Candidate> parents() {
        return parents.stream().map(r -> r.individual().candidate()).toList();
    }

    /** Proposes generation {@code g}, advancing the state from generation g - 1. */
    private List<Candidate> step(int g, List<Evaluated> history) {
        SplittableRandom rng = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + g);
        List<Individual> made = g == 0 ? initial(rng) : evolve(g, history, rng);
        offspring = made;
        next = g + 1;
        for (Individual i : made) {
            proposed.add(i.id());
        }
        return made.stream().map(Individual::candidate).toList();
    }

    /** The uniform seeds ({@link #uniformSeeds()}), then distinct random genomes up to the population. */
    private List<Individual> initial(SplittableRandom rng) {
        int population = settings.population();
        Map<String, Individual> init = new LinkedHashMap<>();
        for (String m : uniformSeeds()) {
            Individual u = decode(uniformGenome(m), 0);
            init.putIfAbsent(u.id(), u);
        }
        for (int attempts = 0; init.size() < population && attempts < ATTEMPTS_PER_SLOT * population; attempts++) {
            int[] genes = new int[alphabet.length];
            for (int i = 0; i < genes.length; i++) {
                genes[i] = rng.nextInt(alphabet[i]);
            }
            Individual r = decode(genes, 0);
            init.putIfAbsent(r.id(), r);
        }
        return List.copyOf(init.values());
    }

    /**
     * The multipliers whose uniform assignments seed the initial population, in the order they are proposed:
     * none ({@code OFF}); every multiplier all approximable layers allow ({@code ALL}, or {@code ON} when they fit
     * the population); else ({@code ON}, more multipliers than the population) one per evenly spaced energy level
     * from the cheapest uniform assignment to the dearest one not dearer than exact (relative energy 1), each the
     * nearest not yet taken (ties: the earlier option). Without energies, evenly spaced over the option order.
     *
     * @return multiplier names of {@link #common}
     */
    public List<String> uniformSeeds() {
        int k = settings.population();
        int n = common.size();
        if (settings.seeding() == UniformSeeding.OFF) {
            return List.of();
        }
        if (settings.seeding() == UniformSeeding.ALL || n <= k) {
            return common;
        }
        double[] e = new double[n];
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double hiAtMostExact = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            e[i] = energy.applyAsDouble(decode(uniformGenome(common.get(i)), 0).candidate().names());
            if (Double.isFinite(e[i])) {
                lo = Math.min(lo, e[i]);
                hi = Math.max(hi, e[i]);
                if (e[i] <= 1) {
                    hiAtMostExact = Math.max(hiAtMostExact, e[i]);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) { // no energies known: spread over the option order
            for (int i = 0; i < n; i++) {
                e[i] = i;
            }
            lo = 0;
            hi = n - 1;
        } else if (hiAtMostExact >= lo) {
            hi = hiAtMostExact;
        }
        boolean[] taken = new boolean[n];
        List<String> seeds = new ArrayList<>(k);
        for (int s = 0; s < k; s++) {
            double level = lo + (hi - lo) * s / (k - 1);
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double d = Double.isFinite(e[i]) ? Math.abs(e[i] - level) : Double.POSITIVE_INFINITY; // unknown: last
                if (!taken[i] && (best < 0 || d < bestDistance)) {
                    best = i;
                    bestDistance = d;
                }
            }
            taken[best] = true;
            seeds.add(common.get(best));
        }
        return seeds;
    }

    /** Environmental selection on parents + offspring, then tournament, crossover and mutation. */
    private List<Individual> evolve(int g, List<Evaluated> history, SplittableRandom rng) {
        Map<String, double[]> fitness = new HashMap<>();
        Set<String> evaluated = new HashSet<>();
        Set<String> racedOut = new HashSet<>();
        for (Evaluated e : history) {
            if (e.racedOut()) {
                racedOut.add(e.candidate().id());
            }
            double[] f = {e.accuracy(), e.relativeEnergy()};
            double[] old = fitness.putIfAbsent(e.candidate().id(), f);
            if (old != null && !(Double.compare(old[0], f[0]) == 0 && Double.compare(old[1], f[1]) == 0)) {
                // Keeping either would make the result depend on the history's order.
                throw new IllegalStateException("NSGA-II generation " + g + ": candidate " + e.candidate().id()
                        + " has two different evaluations in the history");
            }
            if (e.candidate().generation() < g) { // later entries exist only when replaying with a longer history
                evaluated.add(e.candidate().id());
            }
        }

        Map<String, Individual> union = new LinkedHashMap<>();
        for (Ranked p : parents) {
            union.putIfAbsent(p.individual().id(), p.individual());
        }
        for (Individual o : offspring) {
            union.putIfAbsent(o.id(), o);
        }
        List<Individual> pool = List.copyOf(union.values());
        double floor = region.floor(history);
        double[][] objectives = new double[pool.size()][];
        for (int i = 0; i < pool.size(); i++) {
            double[] f = fitness.get(pool.get(i).id());
            if (f == null) {
                throw new IllegalStateException("NSGA-II generation " + g + ": candidate " + pool.get(i).id() + " (proposed in"
                        + " generation " + pool.get(i).candidate().generation() + ") has no evaluation in the history");
            }
            // An unknown energy (NaN) ranks as the worst value (ParetoFront2D's rule, which Dominance applies).
            objectives[i] = new double[] {-f[0], f[1]};
            if (f[0] < floor) { // outside the region of interest: behind every candidate inside, by shortfall
                objectives[i] = new double[] {OUTSIDE + floor - f[0], OUTSIDE + floor - f[0]};
            }
            // Raced out: a candidate of no more energy was significantly better on the same images. Its accuracy is
            // from fewer images, so comparing it with complete evaluations would favour lucky small samples: it
            // ranks behind every complete evaluation (among other raced-out ones by that accuracy).
            if (racedOut.contains(pool.get(i).id())) {
                objectives[i] = new double[] {2 * OUTSIDE - f[0], 2 * OUTSIDE - f[0]};
            }
        }

        List<Ranked> selected = new ArrayList<>();
        List<int[]> fronts = Dominance.fronts(objectives);
        for (int f = 0; f < fronts.size() && selected.size() < settings.population(); f++) {
            int[] front = fronts.get(f);
            double[] crowd = Dominance.crowding(objectives, front);
            List<Ranked> ranked = new ArrayList<>();
            for (int i = 0; i < front.length; i++) {
                ranked.add(new Ranked(pool.get(front[i]), f, crowd[i]));
            }
            // Most isolated first, so a front that does not fit keeps its spread; ids break ties reproducibly.
            ranked.sort(Comparator.comparingDouble((Ranked r) -> -r.crowding()).thenComparing(r -> r.individual().id()));
            selected.addAll(ranked.subList(0, Math.min(ranked.size(), settings.population() - selected.size())));
        }
        parents = List.copyOf(selected);
        if (parents.isEmpty()) {
            return List.of();
        }

        Map<String, Individual> children = new LinkedHashMap<>();
        for (int attempts = 0; children.size() < settings.population() && attempts < ATTEMPTS_PER_SLOT * settings.population();
             attempts++) {
            int[] a = tournament(rng).individual().genes();
            int[] b = tournament(rng).individual().genes();
            int[] child = a.clone();
            if (rng.nextDouble() < settings.crossoverRate()) {
                for (int i = 0; i < child.length; i++) {
                    if (rng.nextBoolean()) {
                        child[i] = b[i];
                    }
                }
            }
            for (int i = 0; i < child.length; i++) {
                if (alphabet[i] > 1 && rng.nextDouble() < mutationRate) {
                    int v = rng.nextInt(alphabet[i] - 1); // skip the current value: a mutation always changes the gene
                    child[i] = v >= child[i] ? v + 1 : v;
                }
            }
            Individual c = decode(child, g);
            if (!evaluated.contains(c.id()) && !proposed.contains(c.id())) {
                children.putIfAbsent(c.id(), c);
            }
        }
        return List.copyOf(children.values());
    }

    /** Binary tournament: lower front, then larger crowding distance, then a coin. */
    private Ranked tournament(SplittableRandom rng) {
        int n = parents.size();
        if (n == 1) {
            return parents.get(0);
        }
        int i = rng.nextInt(n);
        int j = rng.nextInt(n - 1);
        if (j >= i) {
            j++;
        }
        Ranked a = parents.get(i);
        Ranked b = parents.get(j);
        if (a.rank() != b.rank()) {
            return a.rank() < b.rank() ? a : b;
        }
        if (a.crowding() != b.crowding()) {
            return a.crowding() > b.crowding() ? a : b;
        }
        return rng.nextBoolean() ? a : b;
    }

    /** The genome giving every approximable layer multiplier {@code m} (which all of them allow). */
    private int[] uniformGenome(String m) {
        int[] genes = new int[alphabet.length];
        int tiles = settings.tiles();
        if (tiles > 0) {
            for (int t = 0; t < tiles; t++) {
                genes[t] = common.indexOf(m);
            }
            for (int j = 0; j < approximable.length; j++) {
                genes[tiles + j] = j % tiles; // spread the layers so a later tile mutation changes only some of them
            }
        } else {
            for (int j = 0; j < approximable.length; j++) {
                genes[j] = space.options().get(approximable[j]).indexOf(m);
            }
        }
        return genes;
    }

    private Individual decode(int[] genes, int generation) {
        List<String> names = new ArrayList<>(space.layers());
        for (int l = 0; l < space.layers(); l++) {
            names.add(space.options().get(l).get(0));
        }
        int tiles = settings.tiles();
        for (int j = 0; j < approximable.length; j++) {
            names.set(approximable[j], tiles > 0 ? common.get(genes[genes[tiles + j]])
                    : space.options().get(approximable[j]).get(genes[j]));
        }
        return new Individual(genes, Candidate.of(generation, names));
    }
}
