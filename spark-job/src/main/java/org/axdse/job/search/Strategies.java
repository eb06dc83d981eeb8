package org.axdse.job.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.io.Csv;

/** The one-shot strategies: uniform (ALWANN's baseline), exhaustive, random and list. */
public final class Strategies {
    private Strategies() {
    }

    /** Proposes a fixed list in generation 0. */
    private static Strategy once(List<Candidate> all) {
        return (generation, history) -> generation == 0 ? all : List.of();
    }

    /**
     * One multiplier for every approximable layer, for each multiplier all of them allow.
     *
     * @param space the space
     * @return the strategy
     */
    public static Strategy uniform(SearchSpace space) {
        Set<String> common = null;
        for (int l = 0; l < space.layers(); l++) {
            if (space.approximable(l)) {
                Set<String> s = new LinkedHashSet<>(space.options().get(l));
                if (common == null) {
                    common = s;
                } else {
                    common.retainAll(s);
                }
            }
        }
        List<Candidate> all = new ArrayList<>();
        for (String m : common == null ? Set.<String>of() : common) {
            List<String> names = new ArrayList<>();
            for (int l = 0; l < space.layers(); l++) {
                names.add(space.approximable(l) ? m : space.options().get(l).get(0));
            }
            all.add(Candidate.of(0, names));
        }
        return once(all);
    }

    /**
     * Every assignment of the space.
     *
     * @param space   the space
     * @param maximum refuse above this many
     * @param keyName the configuration key of the limit, for the message
     * @return the strategy
     */
    public static Strategy exhaustive(SearchSpace space, int maximum, String keyName) {
        long size = space.size();
        if (size > maximum) {
            StringBuilder shape = new StringBuilder();
            for (List<String> o : space.options()) {
                shape.append(shape.length() == 0 ? "" : " x ").append(o.size());
            }
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s: the exhaustive space has %s assignments (%s), more than the limit of %d; raise the limit or"
                            + " restrict axdse.layers / axdse.multipliers", keyName,
                    size == Long.MAX_VALUE ? "more than 9.2e18" : String.format(Locale.ROOT, "%,d", size), shape, maximum));
        }
        List<Candidate> all = new ArrayList<>();
        int[] idx = new int[space.layers()];
        for (long n = 0; n < size; n++) {
            List<String> names = new ArrayList<>();
            for (int l = 0; l < idx.length; l++) {
                names.add(space.options().get(l).get(idx[l]));
            }
            all.add(Candidate.of(0, names));
            for (int l = idx.length - 1; l >= 0; l--) {
                if (++idx[l] < space.options().get(l).size()) {
                    break;
                }
                idx[l] = 0;
            }
        }
        return once(all);
    }

    /**
     * Distinct seeded random assignments (fewer when the space is smaller).
     *
     * @param space   the space
     * @param samples how many
     * @param seed    seed
     * @return the strategy
     */
    public static Strategy random(SearchSpace space, int samples, long seed) {
        Random r = new Random(seed);
        Set<List<String>> seen = new LinkedHashSet<>();
        long want = Math.min(samples, space.size());
        int attempts = 0;
        while (seen.size() < want && attempts++ < 100 * samples) {
            List<String> names = new ArrayList<>();
            for (List<String> o : space.options()) {
                names.add(o.get(r.nextInt(o.size())));
            }
            seen.add(names);
        }
        return once(seen.stream().map(n -> Candidate.of(0, n)).toList());
    }

    /**
     * Assignments read from CSV lines: one multiplier name per layer (or one name for every approximated layer).
     *
     * @param lines  the file's lines
     * @param source the file, for messages
     * @param space  the space (names must be allowed)
     * @return the strategy
     */
    public static Strategy list(List<String> lines, String source, SearchSpace space) {
        List<Candidate> all = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> names = Csv.parseLine(line, source + ":" + (i + 1));
            if (names.size() == 1) { // one name: every approximated layer takes it
                String only = names.get(0);
                names = new ArrayList<>();
                for (int l = 0; l < space.layers(); l++) {
                    names.add(space.approximable(l) ? only : space.options().get(l).get(0));
                }
            }
            if (names.size() != space.layers()) {
                throw new InvalidInputException(source + ":" + (i + 1) + ": expected 1 or " + space.layers()
                        + " multiplier names, got " + names.size());
            }
            for (int l = 0; l < names.size(); l++) {
                if (!space.options().get(l).contains(names.get(l)) && !names.get(l).equals(org.axdse.kernel.model.Assignment.EXACT_FP32)) {
                    throw new InvalidInputException(source + ":" + (i + 1) + ": layer " + l + " may not take '" + names.get(l)
                            + "' (allowed: " + String.join(", ", space.options().get(l)) + ")");
                }
            }
            all.add(Candidate.of(0, names));
        }
        if (all.isEmpty()) {
            throw new InvalidInputException(source + ": no assignments listed");
        }
        return once(all);
    }

    /** Reads a list file's lines, naming it on failure. */
    static List<String> readLines(java.io.InputStream in, String source) {
        try (in) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read the assignment list (" + e + ")", e);
        }
    }
}
