package org.axdse.kernel.conv;

import java.util.Arrays;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * Exact 8-bit integer convolution on the CPU: {@code acc = sum (qa - za) * (qw - zw)} with real
 * integer products, the same loop structure as {@link CpuLutConv2d} (positions outside, taps inside,
 * a contiguous multiply-add across output channels). It is the exact-multiplier baseline the LUT
 * kernel is measured against, and equals {@link CpuLutConv2d} with the exact table bit for bit.
 *
 * <p>Not thread-safe (owns scratch buffers); use one instance per thread.
 */
public final class CpuExactConv2d {
    private static final int MAX_ABS_PRODUCT = 255 * 255;

    private final Conv2dGeometry geometry;
    private final QuantParams activation;
    private final int stride;
    private final int[] centredWeights;
    private final float[] outScale;
    private final float[] bias;
    private final int[] tapOffset;
    private final int[] positionOffset;
    private final int tapsPerBlock;
    private final TapAccumulator loop;
    private final int[] partial;
    private final long[] sums;
    private byte[] codes = new byte[0];

    /**
     * @param geometry   the convolution
     * @param weights    quantized weights {@code [outChannels][taps]}
     * @param activation input quantization (same scheme as the weights)
     * @param bias       per output channel, or null
     */
    public CpuExactConv2d(Conv2dGeometry geometry, QuantizedWeights weights, QuantParams activation, float[] bias) {
        this(geometry, weights, activation, bias, TapAccumulators.best());
    }

    /** Kernel with a chosen inner loop (tests compare all of them). */
    CpuExactConv2d(Conv2dGeometry geometry, QuantizedWeights weights, QuantParams activation, float[] bias,
                   TapAccumulator loop) {
        LutOperands.checkShape(geometry, weights);
        if (weights.scheme() != activation.scheme()) {
            throw new InvalidInputException("quantization: weights are " + weights.scheme() + " but activations are "
                    + activation.scheme() + "; both must use one scheme");
        }
        this.loop = loop;
        this.geometry = geometry;
        this.activation = activation;
        int ocg = geometry.outChannelsPerGroup();
        int taps = geometry.taps();
        this.stride = LutProductTable.rowStride(ocg);
        this.centredWeights = new int[geometry.groups() * taps * stride];
        for (int oc = 0; oc < geometry.outChannels(); oc++) {
            for (int t = 0; t < taps; t++) {
                centredWeights[((oc / ocg) * taps + t) * stride + oc % ocg] =
                        weights.code(oc * taps + t) - weights.zeroPoint(oc);
            }
        }
        this.outScale = ConvOutput.outputScales(activation, weights);
        this.bias = ConvOutput.bias(bias, geometry.outChannels());
        this.tapOffset = PaddedCodes.tapOffsets(geometry);
        this.positionOffset = PaddedCodes.positionOffsets(geometry);
        this.tapsPerBlock = Math.min(taps, Integer.MAX_VALUE / MAX_ABS_PRODUCT);
        this.partial = new int[positionOffset.length * stride];
        this.sums = new long[positionOffset.length * stride];
    }

    /**
     * @param input  NCHW floats
     * @param batch  images
     * @param output NCHW floats, allocated by the caller
     */
    public void forward(float[] input, int batch, float[] output) {
        Conv2dGeometry g = geometry;
        Checks.length("output", output.length, (long) batch * g.outputSize());
        codes = PaddedCodes.quantize(input, batch, g, activation, codes);
        int imageBytes = PaddedCodes.imageSize(g);
        boolean unsigned = activation.scheme().signedness() == Signedness.UNSIGNED;
        int za = activation.zeroPoint();
        int positions = positionOffset.length;
        int ocg = g.outChannelsPerGroup();
        int taps = g.taps();
        int groupBytes = g.inChannelsPerGroup() * PaddedCodes.paddedHeight(g) * PaddedCodes.paddedWidth(g);
        for (int n = 0; n < batch; n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int base = n * imageBytes + grp * groupBytes;
                int wBase = grp * taps * stride;
                Arrays.fill(sums, 0L);
                for (int t0 = 0; t0 < taps; t0 += tapsPerBlock) {
                    int t1 = Math.min(taps, t0 + tapsPerBlock);
                    loop.multiplyAccumulate(codes, unsigned, za, base, positionOffset, positions, tapOffset, t0, t1,
                            centredWeights, wBase, stride, partial);
                    for (int i = 0, len = positions * stride; i < len; i++) {
                        sums[i] += partial[i];
                    }
                }
                ConvOutput.emit(sums, 0, stride, positions, n, g.outChannels(), grp * ocg, ocg, outScale, bias, output, null);
            }
        }
    }
}
