package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The one-shot strategies on a small space. */
class StrategiesTest {
    static final SearchSpace SPACE = new SearchSpace(List.of(List.of("a", "b", "c"), List.of("exact-fp32"), List.of("a", "b", "c")));

    @Test
    void uniformGivesOneCandidatePerMultiplierAndKeepsExcludedLayers() {
        List<Candidate> c = Strategies.uniform(SPACE).propose(0, List.of());
        assertEquals(List.of(List.of("a", "exact-fp32", "a"), List.of("b", "exact-fp32", "b"), List.of("c", "exact-fp32", "c")),
                c.stream().map(Candidate::names).toList());
        assertTrue(Strategies.uniform(SPACE).propose(1, List.of()).isEmpty(), "one generation only");
    }

    @Test
    void exhaustiveEnumeratesOrRefusesSayingHowMany() {
        assertEquals(9, new HashSet<>(Strategies.exhaustive(SPACE, 9, "k").propose(0, List.of())).size());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Strategies.exhaustive(SPACE, 8, "axdse.strategy.exhaustive.max"));
        assertTrue(e.getMessage().startsWith("axdse.strategy.exhaustive.max: the exhaustive space has 9 assignments (3 x 1 x 3),"
                + " more than the limit of 8"), e.getMessage());
    }

    @Test
    void randomIsSeededAndDistinct() {
        List<Candidate> a = Strategies.random(SPACE, 5, 7).propose(0, List.of());
        assertEquals(a, Strategies.random(SPACE, 5, 7).propose(0, List.of()));
        assertEquals(5, new HashSet<>(a).size());
        assertEquals(9, Strategies.random(SPACE, 50, 7).propose(0, List.of()).size(), "capped at the space size");
    }

    @Test
    void listReadsCsvAndChecksNames() {
        List<Candidate> c = Strategies.list(List.of("# comment", "a,exact-fp32,b", "c"), "l.csv", SPACE).propose(0, List.of());
        assertEquals(List.of(List.of("a", "exact-fp32", "b"), List.of("c", "exact-fp32", "c")), c.stream().map(Candidate::names).toList());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Strategies.list(List.of("a,b"), "l.csv", SPACE));
        assertEquals("l.csv:1: expected 1 or 3 multiplier names, got 2", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Strategies.list(List.of("a,exact-fp32,z"), "l.csv", SPACE));
        assertTrue(e.getMessage().startsWith("l.csv:1: layer 2 may not take 'z'"), e.getMessage());
    }

    @Test
    void candidateIdsDependOnlyOnTheAssignment() {
        assertEquals(Candidate.of(0, List.of("a", "b")).id(), Candidate.of(3, List.of("a", "b")).id());
        assertTrue(!Candidate.of(0, List.of("a", "b")).id().equals(Candidate.of(0, List.of("b", "a")).id()));
    }
}
