package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Output sizes and padding resolution, independently of the kernels. */
class Conv2dGeometryTest {
    /** TensorFlow SAME: out = ceil(in / stride); total pad = max((out-1)*s + (k-1)*d + 1 - in, 0), odd pixel at the end. */
    @ParameterizedTest(name = "in {0}, k {1}, s {2}, d {3} -> pads {4},{5}, out {6}")
    @CsvSource({
            "8, 3, 2, 1, 0, 1, 4",
            "7, 3, 2, 1, 1, 1, 4",
            "28, 5, 1, 1, 2, 2, 28",
            "10, 4, 1, 1, 1, 2, 10",
            "8, 3, 2, 2, 1, 2, 4",
            "5, 1, 3, 1, 0, 0, 2",
            "3, 7, 1, 1, 3, 3, 3",
    })
    void samePaddingMatchesTensorFlow(int in, int k, int s, int d, int before, int after, int out) {
        Conv2dGeometry g = Conv2dGeometry.builder(1, in, in, 1, k, k).stride(s).dilation(d).samePadding().build();
        assertEquals(before, g.padTop());
        assertEquals(after, g.padBottom());
        assertEquals(before, g.padLeft());
        assertEquals(after, g.padRight());
        assertEquals(out, g.outHeight());
        assertEquals(out, g.outWidth());
    }

    @Test
    void explicitPaddingStrideAndDilationGiveTheOutputSize() {
        Conv2dGeometry g = Conv2dGeometry.builder(3, 11, 9, 4, 3, 2).stride(3, 4).dilation(2).padding(0, 2, 1, 0).build();
        assertEquals((11 + 2 - 5) / 3 + 1, g.outHeight());
        assertEquals((9 + 1 - 3) / 4 + 1, g.outWidth());
        assertEquals(3 * 3 * 2, g.taps());
        assertEquals(4L * g.outHeight() * g.outWidth() * 18, g.macsPerImage());
        Conv2dGeometry dense = Conv2dGeometry.dense(400, 120);
        assertEquals(48_000, dense.macsPerImage());
        assertEquals(1, dense.outHeight());
    }

    @Test
    void depthwiseHasOneInputChannelPerGroup() {
        Conv2dGeometry g = Conv2dGeometry.builder(32, 8, 8, 64, 3, 3).groups(32).padding(1).build();
        assertEquals(1, g.inChannelsPerGroup());
        assertEquals(2, g.outChannelsPerGroup());
        assertEquals(9, g.taps());
    }

    @Test
    void invalidGeometriesNameTheFieldAndTheValues() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Conv2dGeometry.builder(6, 8, 8, 16, 3, 3).groups(4).build());
        assertTrue(e.getMessage().contains("inChannels (6) and outChannels (16) must both be multiples of groups, got groups=4"),
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Conv2dGeometry.builder(1, 2, 8, 1, 3, 3).build());
        assertTrue(e.getMessage().contains("padded input 2x8 is smaller than the dilated kernel 3x3"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Conv2dGeometry.builder(1, 8, 8, 1, 3, 3).stride(0).build());
        assertTrue(e.getMessage().equals("strideH: expected >= 1, got 0"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Conv2dGeometry.builder(1, 8, 8, 1, 3, 3).padding(-1).build());
        assertTrue(e.getMessage().equals("padTop: expected >= 0, got -1"), e.getMessage());
    }
}
