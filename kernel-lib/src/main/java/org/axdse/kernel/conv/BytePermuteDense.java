package org.axdse.kernel.conv;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dense LUT kernel's batch loop on AVX-512 VBMI byte permutes: the images of a batch are the vector
 * lanes (64 at a time), and each product {@code lut[x[n][k]][W[o][k]]} is a byte-permute lookup in the
 * column of weight code {@code W[o][k]}, held as byte planes of 256 entries (four 64-byte registers per
 * plane). Entries are offset by the table's minimum so they are non-negative, split into 2 or 3 byte planes
 * (2 for tables spanning up to 16 bits), and each plane is summed in 16-bit lanes (even and odd bytes apart) for at most
 * {@value #CHUNK} features, so no partial sum can overflow; chunks are combined in int64. The sums equal the
 * scalar sums exactly (integer reassociation).
 *
 * <p>Needs a CPU whose 512-bit byte rearrange is one instruction (AVX-512 VBMI); {@link #supported()} says
 * whether this JVM and CPU qualify. Loaded only when the vector module is present. Not thread-safe.
 */
final class BytePermuteDense {
    /** Lanes per vector: images evaluated together. */
    static final int LANES = 64;
    /** Features per chunk: 256 terms of at most 255 fit an unsigned 16-bit lane. */
    static final int CHUNK = 256;
    /** System property: {@code false} disables this loop (results are identical, only speed differs). */
    static final String PROPERTY = "axdse.kernel.byte-permute";

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_512;
    private static final boolean SUPPORTED = detect();

    private final int inFeatures;
    private final int outFeatures;
    private final int planes;
    private final int minEntry;
    /** {@code [w][plane][a]}: byte {@code plane} of {@code lut[a][w] - minEntry}. */
    private final byte[] columns;
    /** {@code [o][k]}: weight code patterns. */
    private final int[] weightCodes;
    private final byte[] transposed;
    private final short[] lanes = new short[3 * LANES];
    private final long[] blockSums;

    /**
     * @param table       the table's columns ({@link PermuteColumns#of})
     * @param weightCodes weight code patterns (0..255) {@code [outFeatures][inFeatures]}
     */
    BytePermuteDense(PermuteColumns table, int[] weightCodes, int inFeatures, int outFeatures) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weightCodes = weightCodes;
        this.minEntry = table.minEntry();
        this.planes = table.planes();
        this.columns = table.columns();
        this.transposed = new byte[inFeatures * LANES];
        this.blockSums = new long[outFeatures * LANES];
    }

    /** @return whether the CPU and JVM have one-instruction 512-bit byte permutes and the loop is not disabled */
    static boolean supported() {
        return SUPPORTED;
    }

    private static boolean detect() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || ByteVector.SPECIES_PREFERRED.length() < LANES) {
            return false;
        }
        try {
            // The vector API cannot ask the CPU; Linux lists its features (x86 flag "avx512vbmi").
            String info = Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII);
            if (!java.util.Arrays.asList(info.split("\\s+")).contains("avx512vbmi")) {
                return false;
            }
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        warmUp();
        return true;
    }

    /**
     * Runs the loop once on tiny data (two and three byte planes), so every vector class it uses is loaded
     * before it is hot; see VectorTapAccumulator's warm-up for why (boxed vectors otherwise).
     */
    private static void warmUp() {
        for (int span : new int[] {60_000, 2_000_000}) {
            int[] table = new int[1 << 16];
            table[1] = span;
            BytePermuteDense d = new BytePermuteDense(PermuteColumns.of(table), new int[3 * 2], 3, 2);
            d.sums(new byte[2 * 3], 2, new long[2 * 2]);
        }
    }

    /**
     * Table sums for a batch: {@code sums[n * outFeatures + o] = sum_k lut[codes[n*K + k]][W[o][k]]}.
     *
     * @param codes activation code patterns {@code [batch][inFeatures]}
     * @param batch images
     * @param sums  {@code [batch][outFeatures]}, overwritten
     */
    void sums(byte[] codes, int batch, long[] sums) {
        for (int n0 = 0; n0 < batch; n0 += LANES) {
            int images = Math.min(LANES, batch - n0);
            transpose(codes, n0, images);
            java.util.Arrays.fill(blockSums, 0L);
            for (int o = 0; o < outFeatures; o++) {
                for (int k0 = 0; k0 < inFeatures; k0 += CHUNK) {
                    chunk(o, k0, Math.min(inFeatures, k0 + CHUNK));
                }
            }
            long offset = (long) inFeatures * minEntry;
            for (int i = 0; i < images; i++) {
                for (int out = 0; out < outFeatures; out++) {
                    sums[(n0 + i) * outFeatures + out] = blockSums[out * LANES + i] + offset;
                }
            }
        }
    }

    /** {@code transposed[k][i] = codes[n0 + i][k]}; lanes past the batch read code 0 and are ignored. */
    private void transpose(byte[] codes, int n0, int images) {
        if (images < LANES) {
            java.util.Arrays.fill(transposed, (byte) 0);
        }
        for (int i = 0; i < images; i++) {
            int src = (n0 + i) * inFeatures;
            for (int k = 0; k < inFeatures; k++) {
                transposed[k * LANES + i] = codes[src + k];
            }
        }
    }

    /**
     * Sums of output {@code o} over features {@code [k0, k1)} for the 64 images of the block, added to
     * {@link #blockSums}. One straight-line method per plane count: with a loop over planes, a branch on the
     * plane count inside the feature loop, or a helper returning a vector, C2 (JDK 17) was seen to box the
     * vectors (measured 2-5x slower, gigabytes of short[] garbage). The sums are stored where C2 knows each
     * vector's exact class, for the same reason.
     */
    private void chunk(int o, int k0, int k1) {
        if (planes == 2) {
            chunk2(o, k0, k1);
        } else {
            chunk3(o, k0, k1);
        }
    }

    /** {@link #chunk} for tables of 2 byte planes. */
    private void chunk2(int o, int k0, int k1) {
        int wRow = o * inFeatures;
        ShortVector zero = ShortVector.zero(SHORTS);
        ShortVector even0 = zero, odd0 = zero, even1 = zero, odd1 = zero;
        for (int k = k0; k < k1; k++) {
            ByteVector x = ByteVector.fromArray(BYTES, transposed, k * LANES);
            VectorShuffle<Byte> low6 = x.and((byte) 63).toShuffle();
            VectorMask<Byte> bit6 = x.and((byte) 64).compare(VectorOperators.NE, (byte) 0);
            VectorMask<Byte> bit7 = x.compare(VectorOperators.LT, (byte) 0);
            int at = weightCodes[wRow + k] * 512;
            ByteVector q0;
            ByteVector q1;
            ByteVector q2;
            ByteVector q3;
            ShortVector s;
            q0 = ByteVector.fromArray(BYTES, columns, at).rearrange(low6);
            q1 = ByteVector.fromArray(BYTES, columns, at + 64).rearrange(low6);
            q2 = ByteVector.fromArray(BYTES, columns, at + 128).rearrange(low6);
            q3 = ByteVector.fromArray(BYTES, columns, at + 192).rearrange(low6);
            s = q0.blend(q1, bit6).blend(q2.blend(q3, bit6), bit7).reinterpretAsShorts();
            even0 = even0.add(s.and((short) 0xFF));
            odd0 = odd0.add(s.lanewise(VectorOperators.LSHR, 8));
            q0 = ByteVector.fromArray(BYTES, columns, at + 256).rearrange(low6);
            q1 = ByteVector.fromArray(BYTES, columns, at + 320).rearrange(low6);
            q2 = ByteVector.fromArray(BYTES, columns, at + 384).rearrange(low6);
            q3 = ByteVector.fromArray(BYTES, columns, at + 448).rearrange(low6);
            s = q0.blend(q1, bit6).blend(q2.blend(q3, bit6), bit7).reinterpretAsShorts();
            even1 = even1.add(s.and((short) 0xFF));
            odd1 = odd1.add(s.lanewise(VectorOperators.LSHR, 8));
        }
        even0.intoArray(lanes, 0);
        odd0.intoArray(lanes, 32);
        even1.intoArray(lanes, 64);
        odd1.intoArray(lanes, 96);
        flush(o);
    }

    /** {@link #chunk} for tables of 3 byte planes. */
    private void chunk3(int o, int k0, int k1) {
        int wRow = o * inFeatures;
        ShortVector zero = ShortVector.zero(SHORTS);
        ShortVector even0 = zero, odd0 = zero, even1 = zero, odd1 = zero, even2 = zero, odd2 = zero;
        for (int k = k0; k < k1; k++) {
            ByteVector x = ByteVector.fromArray(BYTES, transposed, k * LANES);
            VectorShuffle<Byte> low6 = x.and((byte) 63).toShuffle();
            VectorMask<Byte> bit6 = x.and((byte) 64).compare(VectorOperators.NE, (byte) 0);
            VectorMask<Byte> bit7 = x.compare(VectorOperators.LT, (byte) 0);
            int at = weightCodes[wRow + k] * 768;
            ByteVector q0;
            ByteVector q1;
            ByteVector q2;
            ByteVector q3;
            ShortVector s;
            q0 = ByteVector.fromArray(BYTES, columns, at).rearrange(low6);
            q1 = ByteVector.fromArray(BYTES, columns, at + 64).rearrange(low6);
            q2 = ByteVector.fromArray(BYTES, columns, at + 128).rearrange(low6);
            q3 = ByteVector.fromArray(BYTES, columns, at + 192).rearrange(low6);
            s = q0.blend(q1, bit6).blend(q2.blend(q3, bit6), bit7).reinterpretAsShorts();
            even0 = even0.add(s.and((short) 0xFF));
            odd0 = odd0.add(s.lanewise(VectorOperators.LSHR, 8));
            q0 = ByteVector.fromArray(BYTES, columns, at + 256).rearrange(low6);
            q1 = ByteVector.fromArray(BYTES, columns, at + 320).rearrange(low6);
            q2 = ByteVector.fromArray(BYTES, columns, at + 384).rearrange(low6);
            q3 = ByteVector.fromArray(BYTES, columns, at + 448).rearrange(low6);
            s = q0.blend(q1, bit6).blend(q2.blend(q3, bit6), bit7).reinterpretAsShorts();
            even1 = even1.add(s.and((short) 0xFF));
            odd1 = odd1.add(s.lanewise(VectorOperators.LSHR, 8));
            q0 = ByteVector.fromArray(BYTES, columns, at + 512).rearrange(low6);
            q1 = ByteVector.fromArray(BYTES, columns, at + 576).rearrange(low6);
            q2 = ByteVector.fromArray(BYTES, columns, at + 640).rearrange(low6);
            q3 = ByteVector.fromArray(BYTES, columns, at + 704).rearrange(low6);
            s = q0.blend(q1, bit6).blend(q2.blend(q3, bit6), bit7).reinterpretAsShorts();
            even2 = even2.add(s.and((short) 0xFF));
            odd2 = odd2.add(s.lanewise(VectorOperators.LSHR, 8));
        }
        even0.intoArray(lanes, 0);
        odd0.intoArray(lanes, 32);
        even1.intoArray(lanes, 64);
        odd1.intoArray(lanes, 96);
        even2.intoArray(lanes, 128);
        odd2.intoArray(lanes, 160);
        flush(o);
    }

    /**
     * Adds the chunk's plane sums in {@link #lanes} to {@link #blockSums}: per plane {@code p}, 32 even then 32
     * odd short lanes at {@code 64 * p}. Even lanes hold images 2j, odd ones 2j+1 (little-endian bytes); each
     * sum is unsigned 16-bit.
     */
    private void flush(int o) {
        int base = o * LANES;
        for (int p = 0; p < planes; p++) {
            int shift = 8 * p;
            for (int j = 0; j < LANES / 2; j++) {
                blockSums[base + 2 * j] += (long) (lanes[64 * p + j] & 0xFFFF) << shift;
                blockSums[base + 2 * j + 1] += (long) (lanes[64 * p + 32 + j] & 0xFFFF) << shift;
            }
        }
    }
}
