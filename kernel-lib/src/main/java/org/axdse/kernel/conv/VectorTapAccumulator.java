package org.axdse.kernel.conv;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link TapAccumulator} on the JDK's vector API ({@code jdk.incubator.vector}): up to four
 * register-resident accumulators of the preferred int width (16 lanes with AVX-512) per position, so
 * each tap costs one load and one add per vector and the partial sums never touch memory until the
 * block ends. Rows narrower than a vector go to the scalar loop.
 *
 * <p>Loaded only through {@link TapAccumulators}, which checks that the incubator module is present.
 */
final class VectorTapAccumulator implements TapAccumulator {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    static final VectorTapAccumulator INSTANCE = new VectorTapAccumulator();

    private VectorTapAccumulator() {
    }

    @Override
    public void accumulate(byte[] codes, int base, int[] positionOffset, int positions, int[] tapOffset, int[] tapRow,
                           int t0, int t1, int[] products, int stride, int[] out) {
        if (stride % LANES != 0) {
            ScalarTapAccumulator.INSTANCE.accumulate(codes, base, positionOffset, positions, tapOffset, tapRow, t0, t1,
                    products, stride, out);
            return;
        }
        int vectors = stride / LANES;
        for (int p = 0; p < positions; p++) {
            int at = base + positionOffset[p];
            int o0 = p * stride;
            int v = 0;
            for (; v + 4 <= vectors; v += 4) {
                sum4(codes, at, tapOffset, tapRow, t0, t1, products, stride, v * LANES, out, o0 + v * LANES);
            }
            for (; v < vectors; v++) {
                sum1(codes, at, tapOffset, tapRow, t0, t1, products, stride, v * LANES, out, o0 + v * LANES);
            }
        }
    }

    private static void sum4(byte[] codes, int at, int[] tapOffset, int[] tapRow, int t0, int t1, int[] products,
                             int stride, int lane0, int[] out, int dst) {
        IntVector a0 = IntVector.zero(SPECIES);
        IntVector a1 = a0;
        IntVector a2 = a0;
        IntVector a3 = a0;
        for (int t = t0; t < t1; t++) {
            int row = tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride + lane0;
            a0 = a0.add(IntVector.fromArray(SPECIES, products, row));
            a1 = a1.add(IntVector.fromArray(SPECIES, products, row + LANES));
            a2 = a2.add(IntVector.fromArray(SPECIES, products, row + 2 * LANES));
            a3 = a3.add(IntVector.fromArray(SPECIES, products, row + 3 * LANES));
        }
        a0.intoArray(out, dst);
        a1.intoArray(out, dst + LANES);
        a2.intoArray(out, dst + 2 * LANES);
        a3.intoArray(out, dst + 3 * LANES);
    }

    private static void sum1(byte[] codes, int at, int[] tapOffset, int[] tapRow, int t0, int t1, int[] products,
                             int stride, int lane0, int[] out, int dst) {
        IntVector a0 = IntVector.zero(SPECIES);
        for (int t = t0; t < t1; t++) {
            int row = tapRow[t] + (codes[at + tapOffset[t]] & 0xFF) * stride + lane0;
            a0 = a0.add(IntVector.fromArray(SPECIES, products, row));
        }
        a0.intoArray(out, dst);
    }

    @Override
    public String name() {
        return "vector";
    }
}
