package org.axdse.job.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** 2-D hypervolume of {accuracy (maximised), relative energy (minimised)} against a reference point. */
class HypervolumeTest {
    static final double[] A = {0.9, 0.5};
    static final double[] B = {0.8, 0.3};

    /* Reference (0.7, 1.0): A covers (0.9-0.7) x (1-0.5) = 0.10; B adds the strip below A: (0.8-0.7) x (0.5-0.3) = 0.02. */
    @Test
    void twoPointsCoverTheirStaircase() {
        assertEquals(0.12, Hypervolume.of(List.of(A, B), 0.7, 1.0), 1e-12);
        assertEquals(0.12, Hypervolume.of(List.of(B, A), 0.7, 1.0), 1e-12, "order does not matter");
        assertEquals(0.10, Hypervolume.of(List.of(A), 0.7, 1.0), 1e-12);
        assertEquals(0.0, Hypervolume.of(List.of(), 0.7, 1.0));
    }

    @Test
    void dominatedAndDuplicatePointsAddNothing() {
        double[] dominated = {0.75, 0.6}; // A is more accurate and cheaper
        double[] sameAccuracyWorseEnergy = {0.9, 0.7};
        assertEquals(0.12, Hypervolume.of(List.of(A, dominated, B, A, sameAccuracyWorseEnergy), 0.7, 1.0), 1e-12);
    }

    @Test
    void pointsOutsideTheReferenceOrWithNaNAddNothing() {
        List<double[]> outside = List.of(new double[] {0.7, 0.1}, new double[] {0.65, 0.1}, new double[] {0.95, 1.0},
                new double[] {0.95, 1.2}, new double[] {Double.NaN, 0.1}, new double[] {0.99, Double.NaN});
        assertEquals(0.0, Hypervolume.of(outside, 0.7, 1.0));
        List<double[]> mixed = new java.util.ArrayList<>(outside);
        mixed.add(A);
        assertEquals(0.10, Hypervolume.of(mixed, 0.7, 1.0), 1e-12);
    }

    @Test
    void ratioComparesWithAReferenceFront() {
        assertEquals(1.0, Hypervolume.ratio(List.of(A, B), List.of(A, B), 0.7, 1.0), 1e-12);
        assertEquals(0.10 / 0.12, Hypervolume.ratio(List.of(A), List.of(A, B), 0.7, 1.0), 1e-12);
        assertTrue(Double.isNaN(Hypervolume.ratio(List.of(A), List.of(new double[] {0.6, 0.5}), 0.7, 1.0)),
                "a reference front with no area gives NaN");
    }

    @Test
    void badInputIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Hypervolume.of(List.of(A, new double[] {0.9}), 0.7, 1.0));
        assertEquals("hypervolume point 1: expected {accuracy, relativeEnergy}, got 1 values", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Hypervolume.of(List.of(A), Double.NaN, 1.0));
        assertEquals("hypervolume reference: expected finite accuracy and energy, got (NaN, 1.0)", e.getMessage());
    }
}
