package org.axdse.kernel.conv;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;

/**
 * The LUT convolution's loop for layers with one output channel per group (depthwise) on AVX-512 VBMI byte
 * permutes: 64 consecutive output positions are the vector lanes, and each tap's products are byte-permute
 * lookups of the 64 activation codes in that tap's table row, held as 2 or 3 byte planes ({@link PermuteRows}).
 * Each plane is summed over the taps in unsigned 16-bit lanes (even and odd bytes apart; at most
 * {@value #TAPS_PER_PASS} taps of at most 255 per pass, so nothing overflows) and the planes are combined once
 * per block of positions. The sums equal the scalar loop's exactly (integer reassociation; int32 wrap-around
 * cancels because the true sums fit int32, which the caller checks).
 *
 * <p>Why: a depthwise layer's table row is one channel wide, so the row-add loops of the other layers do one
 * scalar lookup per product (measured 0.4 G LUT-MAC/s per core against 3-4 for pointwise layers, and half of
 * MobileNet's time for a tenth of its MACs).
 *
 * <p>Consecutive lanes must read consecutive codes, so each image's input is quantized into padded stride phases
 * ({@code sH x sW} sub-planes of every {@code sH}-th row and {@code sW}-th column of the padded input; one plane
 * for stride 1). A position {@code (oy, ox)} becomes lane index {@code oy * phaseWidth + ox}; lanes with
 * {@code ox >= outWidth} are computed and dropped.
 *
 * <p>Loaded only when the vector module is present and {@link BytePermuteDense#supported()}. Not thread-safe.
 */
final class BytePermuteDepthwise {
    /** Lanes per vector: output positions evaluated together. */
    static final int LANES = 64;
    /** Taps per pass: 257 terms of at most 255 fit an unsigned 16-bit lane; passes are added in int32. */
    static final int TAPS_PER_PASS = 256;

    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
    private static final VectorSpecies<Short> SHORTS = ShortVector.SPECIES_512;
    private static final VectorSpecies<Integer> INTS = IntVector.SPECIES_512;

    static {
        warmUp();
    }

    private final PermuteRows rows;
    private final int planeCount;
    private final int taps;
    private final int channelsPerGroup;
    private final int strideH;
    private final int strideW;
    private final int inH;
    private final int inW;
    private final int padTop;
    private final int padLeft;
    private final QuantParams activation;
    private final int phaseH;
    private final int phaseW;
    /** Bytes of one input channel's phases: {@code strideH * strideW * phaseH * phaseW}. */
    private final int phaseChannel;
    private final int outH;
    private final int outW;
    /** Lane positions: {@code outH * phaseW}. */
    private final int lanePositions;
    /** Per tap, its codes' offset from lane position 0 in {@link #phase}. */
    private final int[] tapOffset;
    /** One image's group input, split into stride phases, with room for the last block's overhanging lanes. */
    private final byte[] phase;
    /**
     * For each block's sum slot ({@link #blockSums} order), the output position it holds, or {@code outH * outW}
     * (a spare slot past the outputs) for dropped lanes: the sums are scattered without a branch.
     */
    private final int[] destination;
    /** One block's sums, lane-interleaved: position {@code q0 + 4k + r} at {@code 16r + k}. */
    private final int[] blockSums = new int[LANES];

    /**
     * @param geometry   a convolution with one output channel per group
     * @param rows       its product table's rows ({@link LutProductTable#permuteRows()})
     * @param activation the input quantization (the table's)
     */
    BytePermuteDepthwise(Conv2dGeometry geometry, PermuteRows rows, QuantParams activation) {
        if (geometry.outChannelsPerGroup() != 1) {
            throw new IllegalArgumentException("expected one output channel per group, got " + geometry.outChannelsPerGroup());
        }
        this.rows = rows;
        this.planeCount = rows.planeCount();
        this.taps = geometry.taps();
        this.channelsPerGroup = geometry.inChannelsPerGroup();
        this.strideH = geometry.strideH();
        this.strideW = geometry.strideW();
        this.inH = geometry.inHeight();
        this.inW = geometry.inWidth();
        this.padTop = geometry.padTop();
        this.padLeft = geometry.padLeft();
        this.activation = activation;
        int paddedH = PaddedCodes.paddedHeight(geometry);
        int paddedW = PaddedCodes.paddedWidth(geometry);
        this.phaseH = (paddedH + strideH - 1) / strideH;
        this.phaseW = (paddedW + strideW - 1) / strideW;
        this.phaseChannel = strideH * strideW * phaseH * phaseW;
        this.outH = geometry.outHeight();
        this.outW = geometry.outWidth();
        this.lanePositions = outH * phaseW;
        this.tapOffset = new int[taps];
        int t = 0;
        int maxOffset = 0;
        for (int c = 0; c < channelsPerGroup; c++) {
            for (int ky = 0; ky < geometry.kernelH(); ky++) {
                for (int kx = 0; kx < geometry.kernelW(); kx++) {
                    int dy = ky * geometry.dilationH();
                    int dx = kx * geometry.dilationW();
                    int phaseIndex = (dy % strideH) * strideW + dx % strideW;
                    tapOffset[t] = c * phaseChannel + phaseIndex * phaseH * phaseW + (dy / strideH) * phaseW + dx / strideW;
                    maxOffset = Math.max(maxOffset, tapOffset[t]);
                    t++;
                }
            }
        }
        int blocks = (lanePositions + LANES - 1) / LANES;
        this.phase = new byte[Math.max(channelsPerGroup * phaseChannel, maxOffset + blocks * LANES)];
        // Padded taps are the zero point; loadPhases overwrites only the input's own positions.
        java.util.Arrays.fill(phase, (byte) activation.zeroPoint());
        this.destination = new int[blocks * LANES];
        for (int q0 = 0; q0 < blocks * LANES; q0 += LANES) {
            for (int r = 0; r < 4; r++) {
                for (int k = 0; k < LANES / 4; k++) {
                    int q = q0 + 4 * k + r;
                    int oy = q / phaseW;
                    int ox = q % phaseW;
                    destination[q0 + 16 * r + k] = q < lanePositions && ox < outW ? oy * outW + ox : outH * outW;
                }
            }
        }
    }

    /**
     * Sums of one output channel over its taps for one image:
     * {@code out[oy * outW + ox] = sum_t P[oc][t][code at (oy, ox) + tap t]}.
     *
     * @param input NCHW floats
     * @param from  offset of the image's first input channel of group {@code oc} in {@code input}
     * @param oc    output channel (= group)
     * @param out   {@code outH * outW} sums, overwritten, and one spare element (overwritten with garbage)
     */
    void sums(float[] input, int from, int oc, int[] out) {
        loadPhases(input, from);
        int offset = rows.offset()[oc];
        for (int q0 = 0; q0 < lanePositions; q0 += LANES) {
            java.util.Arrays.fill(blockSums, 0);
            for (int t0 = 0; t0 < taps; t0 += TAPS_PER_PASS) {
                int t1 = Math.min(taps, t0 + TAPS_PER_PASS);
                if (planeCount == 2) {
                    pass2(oc, q0, t0, t1);
                } else {
                    pass3(oc, q0, t0, t1);
                }
            }
            for (int j = 0; j < LANES; j++) {
                out[destination[q0 + j]] = blockSums[j] + offset;
            }
        }
    }

    /**
     * Quantizes the group's input channels straight into their stride phases in {@link #phase} (one pass over the
     * floats; a separate split of padded codes cost as much as the lookups of a stride-2 layer).
     */
    private void loadPhases(float[] input, int from) {
        int phasePlane = phaseH * phaseW;
        for (int c = 0; c < channelsPerGroup; c++) {
            int src = from + c * inH * inW;
            for (int y = 0; y < inH; y++) {
                int py = y + padTop;
                int row = c * phaseChannel + (py % strideH) * strideW * phasePlane + (py / strideH) * phaseW;
                int rowSrc = src + y * inW;
                if (strideW == 1) {
                    activation.quantize(input, rowSrc, phase, row + padLeft, inW);
                    continue;
                }
                for (int rx = 0; rx < strideW; rx++) {
                    int x0 = Math.floorMod(rx - padLeft, strideW); // first input column of this phase
                    if (x0 < inW) {
                        activation.quantize(input, rowSrc + x0, strideW, phase, row + rx * phasePlane + (x0 + padLeft) / strideW,
                                (inW - 1 - x0) / strideW + 1);
                    }
                }
            }
        }
    }

    /**
     * Adds the sums of taps {@code [t0, t1)} for the 64 lanes from {@code q0} to {@link #blockSums}. Even short
     * lanes hold positions 2j and odd ones 2j+1 (little-endian bytes), so as ints the low halves of the even lanes are
     * positions 4k, their high halves 4k+2, the odd lanes' 4k+1 and 4k+3: hence the interleaved layout. One straight-line
     * method per plane count, as in {@link BytePermuteDense} (C2 in JDK 17 boxes vectors otherwise).
     */
    private void pass2(int oc, int q0, int t0, int t1) {
        int rowBase = oc * taps;
        byte[] planes = rows.planes();
        ShortVector zero = ShortVector.zero(SHORTS);
        ShortVector even0 = zero, odd0 = zero, even1 = zero, odd1 = zero;
        for (int t = t0; t < t1; t++) {
            ByteVector x = ByteVector.fromArray(BYTES, phase, tapOffset[t] + q0);
            VectorShuffle<Byte> low6 = x.and((byte) 63).toShuffle();
            VectorMask<Byte> bit6 = x.and((byte) 64).compare(VectorOperators.NE, (byte) 0);
            VectorMask<Byte> bit7 = x.compare(VectorOperators.LT, (byte) 0);
            int at = (rowBase + t) * 512;
            ByteVector q0v;
            ByteVector q1v;
            ByteVector q2v;
            ByteVector q3v;
            ShortVector s;
            q0v = ByteVector.fromArray(BYTES, planes, at).rearrange(low6);
            q1v = ByteVector.fromArray(BYTES, planes, at + 64).rearrange(low6);
            q2v = ByteVector.fromArray(BYTES, planes, at + 128).rearrange(low6);
            q3v = ByteVector.fromArray(BYTES, planes, at + 192).rearrange(low6);
            s = q0v.blend(q1v, bit6).blend(q2v.blend(q3v, bit6), bit7).reinterpretAsShorts();
            even0 = even0.add(s.and((short) 0xFF));
            odd0 = odd0.add(s.lanewise(VectorOperators.LSHR, 8));
            q0v = ByteVector.fromArray(BYTES, planes, at + 256).rearrange(low6);
            q1v = ByteVector.fromArray(BYTES, planes, at + 320).rearrange(low6);
            q2v = ByteVector.fromArray(BYTES, planes, at + 384).rearrange(low6);
            q3v = ByteVector.fromArray(BYTES, planes, at + 448).rearrange(low6);
            s = q0v.blend(q1v, bit6).blend(q2v.blend(q3v, bit6), bit7).reinterpretAsShorts();
            even1 = even1.add(s.and((short) 0xFF));
            odd1 = odd1.add(s.lanewise(VectorOperators.LSHR, 8));
        }
        // Combine the planes (plane p counts << 8p) and add to the block's sums.
        IntVector e0 = even0.reinterpretAsInts();
        IntVector o0 = odd0.reinterpretAsInts();
        IntVector e1 = even1.reinterpretAsInts();
        IntVector o1 = odd1.reinterpretAsInts();
        IntVector r0 = e0.and(0xFFFF).add(e1.and(0xFFFF).lanewise(VectorOperators.LSHL, 8));
        IntVector r1 = o0.and(0xFFFF).add(o1.and(0xFFFF).lanewise(VectorOperators.LSHL, 8));
        IntVector r2 = e0.lanewise(VectorOperators.LSHR, 16).add(e1.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 8));
        IntVector r3 = o0.lanewise(VectorOperators.LSHR, 16).add(o1.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 8));
        r0.add(IntVector.fromArray(INTS, blockSums, 0)).intoArray(blockSums, 0);
        r1.add(IntVector.fromArray(INTS, blockSums, 16)).intoArray(blockSums, 16);
        r2.add(IntVector.fromArray(INTS, blockSums, 32)).intoArray(blockSums, 32);
        r3.add(IntVector.fromArray(INTS, blockSums, 48)).intoArray(blockSums, 48);
    }

    /** {@link #pass2} for rows of 3 byte planes. */
    private void pass3(int oc, int q0, int t0, int t1) {
        int rowBase = oc * taps;
        byte[] planes = rows.planes();
        ShortVector zero = ShortVector.zero(SHORTS);
        ShortVector even0 = zero, odd0 = zero, even1 = zero, odd1 = zero, even2 = zero, odd2 = zero;
        for (int t = t0; t < t1; t++) {
            ByteVector x = ByteVector.fromArray(BYTES, phase, tapOffset[t] + q0);
            VectorShuffle<Byte> low6 = x.and((byte) 63).toShuffle();
            VectorMask<Byte> bit6 = x.and((byte) 64).compare(VectorOperators.NE, (byte) 0);
            VectorMask<Byte> bit7 = x.compare(VectorOperators.LT, (byte) 0);
            int at = (rowBase + t) * 768;
            ByteVector q0v;
            ByteVector q1v;
            ByteVector q2v;
            ByteVector q3v;
            ShortVector s;
            q0v = ByteVector.fromArray(BYTES, planes, at).rearrange(low6);
            q1v = ByteVector.fromArray(BYTES, planes, at + 64).rearrange(low6);
            q2v = ByteVector.fromArray(BYTES, planes, at + 128).rearrange(low6);
            q3v = ByteVector.fromArray(BYTES, planes, at + 192).rearrange(low6);
            s = q0v.blend(q1v, bit6).blend(q2v.blend(q3v, bit6), bit7).reinterpretAsShorts();
            even0 = even0.add(s.and((short) 0xFF));
            odd0 = odd0.add(s.lanewise(VectorOperators.LSHR, 8));
            q0v = ByteVector.fromArray(BYTES, planes, at + 256).rearrange(low6);
            q1v = ByteVector.fromArray(BYTES, planes, at + 320).rearrange(low6);
            q2v = ByteVector.fromArray(BYTES, planes, at + 384).rearrange(low6);
            q3v = ByteVector.fromArray(BYTES, planes, at + 448).rearrange(low6);
            s = q0v.blend(q1v, bit6).blend(q2v.blend(q3v, bit6), bit7).reinterpretAsShorts();
            even1 = even1.add(s.and((short) 0xFF));
            odd1 = odd1.add(s.lanewise(VectorOperators.LSHR, 8));
            q0v = ByteVector.fromArray(BYTES, planes, at + 512).rearrange(low6);
            q1v = ByteVector.fromArray(BYTES, planes, at + 576).rearrange(low6);
            q2v = ByteVector.fromArray(BYTES, planes, at + 640).rearrange(low6);
            q3v = ByteVector.fromArray(BYTES, planes, at + 704).rearrange(low6);
            s = q0v.blend(q1v, bit6).blend(q2v.blend(q3v, bit6), bit7).reinterpretAsShorts();
            even2 = even2.add(s.and((short) 0xFF));
            odd2 = odd2.add(s.lanewise(VectorOperators.LSHR, 8));
        }
        IntVector e0 = even0.reinterpretAsInts();
        IntVector o0 = odd0.reinterpretAsInts();
        IntVector e1 = even1.reinterpretAsInts();
        IntVector o1 = odd1.reinterpretAsInts();
        IntVector e2 = even2.reinterpretAsInts();
        IntVector o2 = odd2.reinterpretAsInts();
        IntVector r0 = e0.and(0xFFFF).add(e1.and(0xFFFF).lanewise(VectorOperators.LSHL, 8))
                .add(e2.and(0xFFFF).lanewise(VectorOperators.LSHL, 16));
        IntVector r1 = o0.and(0xFFFF).add(o1.and(0xFFFF).lanewise(VectorOperators.LSHL, 8))
                .add(o2.and(0xFFFF).lanewise(VectorOperators.LSHL, 16));
        IntVector r2 = e0.lanewise(VectorOperators.LSHR, 16).add(e1.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 8))
                .add(e2.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 16));
        IntVector r3 = o0.lanewise(VectorOperators.LSHR, 16).add(o1.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 8))
                .add(o2.lanewise(VectorOperators.LSHR, 16).lanewise(VectorOperators.LSHL, 16));
        r0.add(IntVector.fromArray(INTS, blockSums, 0)).intoArray(blockSums, 0);
        r1.add(IntVector.fromArray(INTS, blockSums, 16)).intoArray(blockSums, 16);
        r2.add(IntVector.fromArray(INTS, blockSums, 32)).intoArray(blockSums, 32);
        r3.add(IntVector.fromArray(INTS, blockSums, 48)).intoArray(blockSums, 48);
    }

    /**
     * Runs both plane counts once on a tiny layer, so every vector class is loaded before the loops are hot (see
     * VectorTapAccumulator's warm-up for why).
     */
    private static void warmUp() {
        Conv2dGeometry g = Conv2dGeometry.builder(1, 4, 4, 1, 3, 3).stride(2).padding(1).build();
        for (int planes = 2; planes <= PermuteRows.MAX_PLANES; planes++) {
            PermuteRows rows = new PermuteRows(new byte[g.taps() * planes * 256], planes, new int[1]);
            new BytePermuteDepthwise(g, rows, QuantParams.fromRange(QuantScheme.UNSIGNED_AFFINE, 0f, 1f))
                    .sums(new float[g.inputSize()], 0, 0, new int[g.outputSize() + 1]);
        }
    }
}
