package org.axdse.job.search;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An assignment to evaluate: one multiplier name (or {@code exact-fp32}) per approximable layer. Its id is
 * derived from the names, so the same assignment has the same id in every run (resume relies on it).
 *
 * @param id         {@code c} + 16 hex digits of SHA-256 over the names
 * @param generation the strategy generation that proposed it (0 for one-shot strategies)
 * @param names      multiplier per layer, in layer order
 */
public record Candidate(String id, int generation, List<String> names) implements Serializable {
    /**
     * @param generation proposing generation
     * @param names      multiplier per layer
     * @return the candidate
     */
    public static Candidate of(int generation, List<String> names) {
        return new Candidate(idOf(names), generation, List.copyOf(names));
    }

    /**
     * @param g another generation
     * @return the same assignment recorded under generation {@code g}
     */
    public Candidate withGeneration(int g) {
        return new Candidate(id, g, names);
    }

    static String idOf(List<String> names) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(String.join(",", names).getBytes(StandardCharsets.UTF_8));
            return "c" + HexFormat.of().formatHex(d).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
