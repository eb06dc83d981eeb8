package org.axdse.job.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.axdse.kernel.InvalidInputException;

/**
 * Error-model guided selection (agnapprox-style, no training): every (layer, multiplier) pair has a cost, the
 * damage that multiplier alone is expected to do when it runs that layer, on a scale shared by all layers.
 * For a sweep of tolerance levels {@code t}, each approximable layer takes the multiplier with the least
 * energy ({@code MACs_l * P(m)}) among those whose cost is at most {@code t}; each level gives one candidate.
 *
 * <p>The driver supplies the costs: either the error model's predicted accuracy cost of the multiplier on the
 * layer alone (see {@code org.axdse.kernel.estimate.ErrorModel#predictedAccuracyDrop}: the layer's modelled
 * error, per-channel offset plus Gaussian noise, injected into an FP32 pass over the labelled calibration
 * images; the accuracy lost), or the accuracy drops measured by the sensitivity stage. Either way a level
 * {@code t} is a per-layer tolerance: a multiplier qualifies on a layer when its cost there is at most
 * {@code t}.
 *
 * <p>The levels are the distinct costs themselves (every level at which some layer's choice can change),
 * thinned to at most {@code levels} at evenly spaced ranks, lowest and highest kept. The sweep is proposed in
 * generation 0, in increasing level order.
 *
 * <p>Refinement (generations 1..{@code refineGenerations}): a Pareto local search guided by the same costs.
 * The measured front ({@link ParetoFront2D}) of everything evaluated so far is taken from the history; each
 * front member's one-layer neighbours (one layer switched to another option) that were not evaluated yet get a
 * predicted accuracy (the member's measured accuracy minus the cost difference of the switched layer, i.e.
 * costs are treated as additive accuracy drops) and an exact energy (energies are additive); those predicted
 * above the measured front (more accurate than {@link ParetoFront2D#accuracyAt} at their energy, so neither
 * dominated by a member nor equal to one) and inside the {@link RegionOfInterest} are proposed, highest
 * predicted accuracy first, at most {@code refineBatch} per generation. It stops early when no neighbour
 * qualifies.
 */
public final class ErrorModelStrategy implements Strategy {
    private final SearchSpace space;
    private final double[][] cost;
    private final double[][] energyWeight;
    private final List<Double> thresholds;
    private final List<Candidate> proposals;
    private final int refineBatch;
    private final int refineGenerations;
    private final RegionOfInterest region;
    private final java.util.function.ToDoubleFunction<List<String>> relativeEnergy;
    /** Assignments proposed so far (membership only). */
    private final java.util.Set<List<String>> proposed = new java.util.HashSet<>();

    /**
     * @param space        the space
     * @param cost         {@code cost[l][k]}: cost of option {@code k} of layer {@code l} (NaN = unknown, never chosen
     *                     while another option qualifies); ignored for layers that are not approximable
     * @param energyWeight {@code energyWeight[l][k]}: {@code MACs_l * P(option k)} (NaN = unknown, treated as largest)
     * @param levels       at most this many tolerance levels
     */
    public ErrorModelStrategy(SearchSpace space, double[][] cost, double[][] energyWeight, int levels) {
        this(space, cost, energyWeight, levels, 0, 0);
    }

    /**
     * @param space             the space
     * @param cost              {@code cost[l][k]} (see the other constructor)
     * @param energyWeight      {@code energyWeight[l][k]}
     * @param levels            at most this many tolerance levels
     * @param refineBatch       candidates per refinement generation
     * @param refineGenerations refinement generations after the sweep (0: none)
     */
    public ErrorModelStrategy(SearchSpace space, double[][] cost, double[][] energyWeight, int levels, int refineBatch,
                              int refineGenerations) {
        this(space, cost, energyWeight, levels, refineBatch, refineGenerations, RegionOfInterest.EVERYTHING);
    }

    /**
     * @param space             the space
     * @param cost              {@code cost[l][k]} (see the first constructor)
     * @param energyWeight      {@code energyWeight[l][k]}
     * @param levels            at most this many tolerance levels
     * @param refineBatch       candidates per refinement generation
     * @param refineGenerations refinement generations after the sweep (0: none)
     * @param region            the refinement proposes no neighbour predicted below this region
     */
    public ErrorModelStrategy(SearchSpace space, double[][] cost, double[][] energyWeight, int levels, int refineBatch,
                              int refineGenerations, RegionOfInterest region) {
        this(space, cost, energyWeight, levels, refineBatch, refineGenerations, region, null);
    }

    /**
     * @param space             the space
     * @param cost              {@code cost[l][k]} (see the first constructor)
     * @param energyWeight      {@code energyWeight[l][k]}
     * @param levels            at most this many tolerance levels
     * @param refineBatch       candidates per refinement generation
     * @param refineGenerations refinement generations after the sweep (0: none)
     * @param region            the refinement proposes no neighbour predicted below this region
     * @param relativeEnergy    the exact relative energy of an assignment (NaN when unknown), for the refinement's
     *                          neighbours; null: scale the member's energy by the change of {@code sum energyWeight},
     *                          which is exact only when every layer is approximable and shares one exact multiplier
     */
    public ErrorModelStrategy(SearchSpace space, double[][] cost, double[][] energyWeight, int levels, int refineBatch,
                              int refineGenerations, RegionOfInterest region,
                              java.util.function.ToDoubleFunction<List<String>> relativeEnergy) {
        this.region = region;
        this.relativeEnergy = relativeEnergy;
        if (refineBatch < 0 || refineGenerations < 0) {
            throw new InvalidInputException("error-model: expected refinement batch and generations >= 0, got " + refineBatch
                    + " and " + refineGenerations);
        }
        this.space = space;
        this.cost = cost;
        this.energyWeight = energyWeight;
        this.refineBatch = refineBatch;
        this.refineGenerations = refineGenerations;
        if (levels < 1) {
            throw new InvalidInputException("error-model: expected at least 1 level, got " + levels);
        }
        int n = space.layers();
        if (cost.length != n || energyWeight.length != n) {
            throw new InvalidInputException("error-model: expected costs and energies for " + n + " layers, got " + cost.length
                    + " and " + energyWeight.length);
        }
        TreeSet<Double> distinct = new TreeSet<>();
        for (int l = 0; l < n; l++) {
            int options = space.options().get(l).size();
            if (cost[l].length != options || energyWeight[l].length != options) {
                throw new InvalidInputException("error-model: layer " + l + " has " + options + " options, got " + cost[l].length
                        + " costs and " + energyWeight[l].length + " energies");
            }
            if (space.approximable(l)) {
                for (double c : cost[l]) {
                    if (!Double.isNaN(c)) {
                        distinct.add(c);
                    }
                }
            }
        }
        this.thresholds = thin(new ArrayList<>(distinct), levels);
        Map<List<String>, Candidate> unique = new LinkedHashMap<>();
        for (double t : thresholds) {
            List<String> names = choose(space, cost, energyWeight, t);
            unique.putIfAbsent(names, Candidate.of(0, names));
        }
        this.proposals = List.copyOf(unique.values());
        proposed.addAll(unique.keySet());
    }

    /** @return the tolerance levels swept, ascending */
    public List<Double> thresholds() {
        return thresholds;
    }

    @Override
    public List<Candidate> propose(int generation, List<Evaluated> history) {
        if (generation == 0) {
            return proposals;
        }
        if (generation > refineGenerations || refineBatch == 0) {
            return List.of();
        }
        return refine(generation, history);
    }

    /** One Pareto-local-search step around the measured front (see the class documentation). */
    private List<Candidate> refine(int generation, List<Evaluated> history) {
        Map<List<String>, Evaluated> known = new java.util.HashMap<>();
        for (Evaluated e : history) {
            if (fits(e.candidate().names())) {
                known.put(e.candidate().names(), e);
            }
        }
        // The measured front (ParetoFront2D's rule: NaN left out, equal points all on it), in ascending energy; the
        // history is read in id order, so equal members come in id order whatever the history's order.
        // Raced-out candidates are left out: racing found another one significantly better at no more energy.
        List<Evaluated> byId = new ArrayList<>(known.values().stream().filter(e -> !e.racedOut()).toList());
        byId.sort(java.util.Comparator.comparing(e -> e.candidate().id()));
        ParetoFront2D<Evaluated> front = ParetoFront2D.of(byId, Evaluated::accuracy, Evaluated::relativeEnergy);
        record Move(List<String> names, double accuracy, double energy) {
        }
        double floor = region.floor(history);
        record Switch(int layer, int option, double costDelta, double weightDelta) {
        }
        Map<List<String>, Move> moves = new LinkedHashMap<>();
        for (Evaluated p : front.members()) {
            List<String> names = p.candidate().names();
            double weight = weight(names);
            List<Switch> switches = new ArrayList<>();
            for (int l = 0; l < space.layers(); l++) {
                if (!space.approximable(l)) {
                    continue;
                }
                List<String> options = space.options().get(l);
                int current = options.indexOf(names.get(l));
                for (int k = 0; k < options.size(); k++) {
                    double delta = cost[l][k] - cost[l][current];
                    if (k != current && !Double.isNaN(delta)) {
                        switches.add(new Switch(l, k, delta, energyWeight[l][k] - energyWeight[l][current]));
                    }
                }
            }
            for (Switch x : switches) {
                List<String> n = new ArrayList<>(names);
                n.set(x.layer(), space.options().get(x.layer()).get(x.option()));
                if (known.containsKey(n) || proposed.contains(n)) {
                    continue;
                }
                double energy = relativeEnergy != null ? relativeEnergy.applyAsDouble(n)
                        : weight == 0 ? p.relativeEnergy() : p.relativeEnergy() * (weight + x.weightDelta()) / weight;
                if (Double.isNaN(energy)) { // unknown power: nothing to compare with the front
                    continue;
                }
                double accuracy = p.accuracy() - x.costDelta();
                Move m = new Move(List.copyOf(n), accuracy, energy);
                Move old = moves.get(m.names());
                if ((old == null || m.accuracy() > old.accuracy()) && accuracy > front.accuracyAt(energy)
                        && accuracy >= floor) {
                    moves.put(m.names(), m);
                }
            }
        }
        List<Move> ranked = new ArrayList<>(moves.values());
        // Highest predicted accuracy first: the low-drop end of the front is what users look for.
        ranked.sort(java.util.Comparator.comparingDouble(Move::accuracy).reversed().thenComparingDouble(Move::energy)
                .thenComparing(m -> String.join(",", m.names())));
        List<Candidate> out = new ArrayList<>();
        for (Move m : ranked.subList(0, Math.min(refineBatch, ranked.size()))) {
            proposed.add(m.names());
            out.add(Candidate.of(generation, m.names()));
        }
        return out;
    }

    private boolean fits(List<String> names) {
        if (names.size() != space.layers()) {
            return false;
        }
        for (int l = 0; l < names.size(); l++) {
            if (!space.options().get(l).contains(names.get(l))) {
                return false;
            }
        }
        return true;
    }

    private double weight(List<String> names) {
        double w = 0;
        for (int l = 0; l < names.size(); l++) {
            if (space.approximable(l)) {
                w += energyWeight[l][space.options().get(l).indexOf(names.get(l))];
            }
        }
        return w;
    }

    /** At most {@code levels} values at evenly spaced ranks, first and last kept. */
    static List<Double> thin(List<Double> sorted, int levels) {
        if (sorted.size() <= levels) {
            return List.copyOf(sorted);
        }
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            int rank = levels == 1 ? sorted.size() - 1 : (int) Math.round((double) i * (sorted.size() - 1) / (levels - 1));
            if (out.isEmpty() || !out.get(out.size() - 1).equals(sorted.get(rank))) {
                out.add(sorted.get(rank));
            }
        }
        return out;
    }

    /** Per layer: the least-energy option within the level (ties: lower cost, then option order). */
    static List<String> choose(SearchSpace space, double[][] cost, double[][] energyWeight, double level) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            List<String> options = space.options().get(l);
            if (!space.approximable(l)) {
                names.add(options.get(0));
                continue;
            }
            int best = -1;
            for (int k = 0; k < options.size(); k++) {
                if (!(cost[l][k] <= level)) {
                    continue;
                }
                if (best < 0 || better(energyWeight[l][k], cost[l][k], energyWeight[l][best], cost[l][best])) {
                    best = k;
                }
            }
            if (best < 0) { // nothing within the level: the least damaging option
                best = 0;
                for (int k = 1; k < options.size(); k++) {
                    if (cost[l][k] < cost[l][best] || Double.isNaN(cost[l][best])) {
                        best = k;
                    }
                }
            }
            names.add(options.get(best));
        }
        return names;
    }

    private static boolean better(double energy, double cost, double bestEnergy, double bestCost) {
        double e = Double.isNaN(energy) ? Double.POSITIVE_INFINITY : energy;
        double b = Double.isNaN(bestEnergy) ? Double.POSITIVE_INFINITY : bestEnergy;
        return e < b || (e == b && cost < bestCost);
    }

    @Override
    public String toString() {
        return "error-model(" + proposals.size() + " candidates from levels " + Arrays.toString(thresholds.toArray()) + ")";
    }
}
