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
 * layer alone (see {@code org.axdse.kernel.model.ErrorModel#predictedDisagreement}: the layer's modelled error,
 * per-channel offset plus Gaussian noise, injected into an FP32 pass over calibration images; the fraction of
 * top-1 classes that change), or the accuracy drops measured by the sensitivity stage. Either way a level
 * {@code t} is a per-layer tolerance: a multiplier qualifies on a layer when its cost there is at most
 * {@code t}.
 *
 * <p>The levels are the distinct costs themselves (every level at which some layer's choice can change),
 * thinned to at most {@code levels} at evenly spaced ranks, lowest and highest kept. Everything is proposed in
 * generation 0, in increasing level order.
 */
public final class ErrorModelStrategy implements Strategy {
    private final List<Double> thresholds;
    private final List<Candidate> proposals;

    /**
     * @param space        the space
     * @param cost         {@code cost[l][k]}: cost of option {@code k} of layer {@code l} (NaN = unknown, never chosen
     *                     while another option qualifies); ignored for layers that are not approximable
     * @param energyWeight {@code energyWeight[l][k]}: {@code MACs_l * P(option k)} (NaN = unknown, treated as largest)
     * @param levels       at most this many tolerance levels
     */
    public ErrorModelStrategy(SearchSpace space, double[][] cost, double[][] energyWeight, int levels) {
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
    }

    /** @return the tolerance levels swept, ascending */
    public List<Double> thresholds() {
        return thresholds;
    }

    @Override
    public List<Candidate> propose(int generation, List<Evaluated> history) {
        return generation == 0 ? proposals : List.of();
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
