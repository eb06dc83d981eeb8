package org.axdse.kernel.conv;

import org.axdse.kernel.Checks;

/**
 * Plain FP32 convolution on the CPU with the same loop structure as {@link CpuLutConv2d}: the
 * floating-point baseline of the kernel benchmark, and the {@code exact-fp32} layer of a forward pass.
 * Accumulation order: taps in order, per output channel, starting from 0; bias added last.
 *
 * <p>Not thread-safe (owns scratch buffers); use one instance per thread.
 */
public final class CpuFloatConv2d {
    private final Conv2dGeometry geometry;
    private final int stride;
    private final float[] packedWeights;
    private final float[] bias;
    private final int[] tapOffset;
    private final int[] positionOffset;
    private final TapAccumulator loop;
    private final float[] partial;
    private float[] padded = new float[0];

    /**
     * @param geometry the convolution
     * @param weights  {@code [outChannels][inChannels/groups][kh][kw]}
     * @param bias     per output channel, or null
     */
    public CpuFloatConv2d(Conv2dGeometry geometry, float[] weights, float[] bias) {
        this(geometry, weights, bias, TapAccumulators.best());
    }

    /** Kernel with a chosen inner loop (tests compare all of them). */
    CpuFloatConv2d(Conv2dGeometry geometry, float[] weights, float[] bias, TapAccumulator loop) {
        this.loop = loop;
        Checks.exactLength("weights", weights.length, geometry.weightSize());
        this.geometry = geometry;
        int ocg = geometry.outChannelsPerGroup();
        int taps = geometry.taps();
        this.stride = LutProductTable.rowStride(ocg);
        this.packedWeights = new float[geometry.groups() * taps * stride];
        for (int oc = 0; oc < geometry.outChannels(); oc++) {
            for (int t = 0; t < taps; t++) {
                packedWeights[((oc / ocg) * taps + t) * stride + oc % ocg] = weights[oc * taps + t];
            }
        }
        this.bias = ConvOutput.bias(bias, geometry.outChannels());
        this.tapOffset = PaddedCodes.tapOffsets(geometry);
        this.positionOffset = PaddedCodes.positionOffsets(geometry);
        this.partial = new float[positionOffset.length * stride];
    }

    /**
     * @param input  NCHW floats
     * @param batch  images
     * @param output NCHW floats, allocated by the caller
     */
    public void forward(float[] input, int batch, float[] output) {
        Conv2dGeometry g = geometry;
        int size = PaddedCodes.batchSize(batch, g);
        Checks.length("input", input.length, (long) batch * g.inputSize());
        Checks.length("output", output.length, (long) batch * g.outputSize());
        int hp = PaddedCodes.paddedHeight(g);
        int wp = PaddedCodes.paddedWidth(g);
        int imageSize = g.inChannels() * hp * wp;
        if (padded.length < size) {
            padded = new float[size]; // padding stays 0: only the interior is ever written
        }
        for (int plane = 0; plane < batch * g.inChannels(); plane++) {
            for (int y = 0; y < g.inHeight(); y++) {
                System.arraycopy(input, (plane * g.inHeight() + y) * g.inWidth(), padded,
                        plane * hp * wp + (y + g.padTop()) * wp + g.padLeft(), g.inWidth());
            }
        }
        int positions = positionOffset.length;
        int ocg = g.outChannelsPerGroup();
        int taps = g.taps();
        int groupSize = g.inChannelsPerGroup() * hp * wp;
        for (int n = 0; n < batch; n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int base = n * imageSize + grp * groupSize;
                int wBase = grp * taps * stride;
                loop.multiplyAccumulate(padded, base, positionOffset, positions, tapOffset, taps, packedWeights, wBase,
                        stride, partial);
                for (int o = 0; o < ocg; o++) {
                    int oc = grp * ocg + o;
                    int dst = (n * g.outChannels() + oc) * positions;
                    for (int p = 0; p < positions; p++) {
                        output[dst + p] = partial[p * stride + o] + bias[oc];
                    }
                }
            }
        }
    }
}
