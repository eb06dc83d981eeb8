package org.axdse.kernel.conv;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TapAccumulator} on the JDK's vector API ({@code jdk.incubator.vector}): up to four
 * register-resident accumulators of the preferred width (16 int or float lanes with AVX-512) per
 * position, so each tap costs one load and one add (or multiply and add) per vector and partial sums
 * never touch memory until the block ends. Rows that are not a whole number of vectors go to the
 * scalar loop.
 *
 * <p>Loaded only through {@link TapAccumulators}, which checks that the incubator module is present.
 */
final class VectorTapAccumulator implements TapAccumulator {
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = INTS.length();

    static final VectorTapAccumulator INSTANCE = new VectorTapAccumulator();

    static {
        INSTANCE.warmUp();
    }

    private VectorTapAccumulator() {
    }

    /**
     * Runs every loop once on tiny data, so all vector classes they use are loaded and initialised before any
     * of them is hot. Otherwise C2 may compile a loop (often as on-stack replacement, inside the first large
     * batch) while one of those classes is still unloaded; it then cannot intrinsify the vector operations,
     * boxes every vector (measured: gigabytes of short[]/int[] garbage, end-to-end 3-4x slower than the same
     * kernel in JMH), and keeps that code. For the same reason every loop uses one int species: with a second
     * (256-bit rows of 8 lanes, as this class once had) the shared methods' type profiles turn bimorphic and
     * C2 boxes the vectors of the other loops.
     */
    private void warmUp() {
        byte[] codes = new byte[64];
        int[] positions = {0, 1, 2, 3, 4};
        int[] taps = {0, 1};
        for (int stride : new int[] {LANES, 2 * LANES, 4 * LANES, 5 * LANES}) {
            int[] rows = {0, 256 * stride};
            int[] products = new int[2 * 256 * stride];
            int[] out = new int[positions.length * stride];
            accumulate(codes, 0, positions, positions.length, taps, rows, 0, taps.length, products, stride, out, 0, false);
            accumulate(codes, 0, positions, positions.length, taps, rows, 0, taps.length, products, stride, out, 0, true);
            multiplyAccumulate(codes, true, 0, 0, positions, positions.length, taps, 0, taps.length, products, 0, stride, out);
            float[] x = new float[64];
            float[] weights = new float[2 * stride];
            multiplyAccumulate(x, 0, positions, positions.length, taps, taps.length, weights, 0, stride,
                    new float[positions.length * stride]);
        }
    }

    @Override
    public void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                           int t0, int t1, int[] products, int stride, int[] out, int outBase, boolean add) {
        if (stride % LANES != 0) {
            ScalarTapAccumulator.INSTANCE.accumulate(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1,
                    products, stride, out, outBase, add);
            return;
        }
        int vectors = stride / LANES;
        if (vectors < 4) {
            // Narrow rows (16..48 channels): four positions at a time share each tap's offsets and give
            // four independent add chains.
            for (int lane0 = 0; lane0 < stride; lane0 += LANES) {
                int p = 0;
                for (; p + 4 <= positions; p += 4) {
                    lookupPositions4(codes, base, positionOffset, p, tapOffset, tapRow, t0, t1, products, stride, lane0,
                            out, outBase, add);
                }
                for (; p < positions; p++) {
                    lookup1(codes, base + positionOffset[p], tapOffset, tapRow, t0, t1, products, stride, lane0, out,
                            outBase + p * stride + lane0, add);
                }
            }
            return;
        }
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = outBase + p * stride;
            int v = 0;
            for (; v + 4 <= vectors; v += 4) {
                lookup4(codes, at, tapOffset, tapRow, t0, t1, products, stride, v * LANES, out, o0 + v * LANES, add);
            }
            for (; v < vectors; v++) {
                lookup1(codes, at, tapOffset, tapRow, t0, t1, products, stride, v * LANES, out, o0 + v * LANES, add);
            }
        }
    }

    private static void lookupPositions4(byte[] codes, int base, int[] positionOffset, int p, int[] tapOffset,
                                         int[] tapRow, int t0, int t1, int[] products, int stride, int lane0, int[] out,
                                         int outBase, boolean add) {
        int at0 = base + positionOffset[p];
        int at1 = base + positionOffset[p + 1];
        int at2 = base + positionOffset[p + 2];
        int at3 = base + positionOffset[p + 3];
        int d0 = outBase + p * stride + lane0;
        IntVector a0 = start(out, d0, add);
        IntVector a1 = start(out, d0 + stride, add);
        IntVector a2 = start(out, d0 + 2 * stride, add);
        IntVector a3 = start(out, d0 + 3 * stride, add);
        for (int t = t0; t < t1; t++) {
            int off = tapOffset[t];
            int row = tapRow[t] + lane0;
            a0 = a0.add(IntVector.fromArray(INTS, products, row + (codes[at0 + off] & 0xFF) * stride));
            a1 = a1.add(IntVector.fromArray(INTS, products, row + (codes[at1 + off] & 0xFF) * stride));
            a2 = a2.add(IntVector.fromArray(INTS, products, row + (codes[at2 + off] & 0xFF) * stride));
            a3 = a3.add(IntVector.fromArray(INTS, products, row + (codes[at3 + off] & 0xFF) * stride));
        }
        a0.intoArray(out, d0);
        a1.intoArray(out, d0 + stride);
        a2.intoArray(out, d0 + 2 * stride);
        a3.intoArray(out, d0 + 3 * stride);
    }

    /** The accumulator's start: what {@code out} holds (adding to earlier tap blocks) or zero. */
    private static IntVector start(int[] out, int at, boolean add) {
        return add ? IntVector.fromArray(INTS, out, at) : IntVector.zero(INTS);
    }

    private static void lookup4(byte[] codes, int at, int[] tapOffset, int[] tapRow, int t0, int t1, int[] products,
                                int stride, int lane0, int[] out, int dst, boolean add) {
        IntVector a0 = start(out, dst, add);
        IntVector a1 = start(out, dst + LANES, add);
        IntVector a2 = start(out, dst + 2 * LANES, add);
        IntVector a3 = start(out, dst + 3 * LANES, add);
        for (int t = t0; t < t1; t++) {
            int row = tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride + lane0;
            a0 = a0.add(IntVector.fromArray(INTS, products, row));
            a1 = a1.add(IntVector.fromArray(INTS, products, row + LANES));
            a2 = a2.add(IntVector.fromArray(INTS, products, row + 2 * LANES));
            a3 = a3.add(IntVector.fromArray(INTS, products, row + 3 * LANES));
        }
        a0.intoArray(out, dst);
        a1.intoArray(out, dst + LANES);
        a2.intoArray(out, dst + 2 * LANES);
        a3.intoArray(out, dst + 3 * LANES);
    }

    private static void lookup1(byte[] codes, int at, int[] tapOffset, int[] tapRow, int t0, int t1, int[] products,
                                int stride, int lane0, int[] out, int dst, boolean add) {
        IntVector a0 = start(out, dst, add);
        for (int t = t0; t < t1; t++) {
            a0 = a0.add(IntVector.fromArray(INTS, products, tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride + lane0));
        }
        a0.intoArray(out, dst);
    }

    @Override
    public void multiplyAccumulate(byte[] codes, boolean unsignedCodes, int zeroPoint, int base, int[] positionOffset,
                                   int positions, int[] tapOffset, int t0, int t1, int[] weights, int wBase,
                                   int stride, int[] out) {
        if (stride % LANES != 0) {
            ScalarTapAccumulator.INSTANCE.multiplyAccumulate(codes, unsignedCodes, zeroPoint, base, positionOffset,
                    positions, tapOffset, t0, t1, weights, wBase, stride, out);
            return;
        }
        int mask = unsignedCodes ? 0xFF : -1;
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            for (int lane0 = 0; lane0 < stride; lane0 += LANES) {
                IntVector acc = IntVector.zero(INTS);
                for (int t = t0; t < t1; t++) {
                    int a = (codes[at + tapOffset[t]] & mask) - zeroPoint;
                    acc = acc.add(IntVector.fromArray(INTS, weights, wBase + t * stride + lane0).mul(a));
                }
                acc.intoArray(out, o0 + lane0);
            }
        }
    }

    @Override
    public void multiplyAccumulate(float[] x, int base, int[] positionOffset, int positions, int[] tapOffset, int taps,
                                   float[] weights, int wBase, int stride, float[] out) {
        if (stride % FLOATS.length() != 0) {
            ScalarTapAccumulator.INSTANCE.multiplyAccumulate(x, base, positionOffset, positions, tapOffset, taps, weights,
                    wBase, stride, out);
            return;
        }
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            for (int lane0 = 0; lane0 < stride; lane0 += FLOATS.length()) {
                FloatVector acc = FloatVector.zero(FLOATS);
                for (int t = 0; t < taps; t++) {
                    acc = acc.add(FloatVector.fromArray(FLOATS, weights, wBase + t * stride + lane0).mul(x[at + tapOffset[t]]));
                }
                acc.intoArray(out, o0 + lane0);
            }
        }
    }

    @Override
    public String name() {
        return "vector";
    }
}
