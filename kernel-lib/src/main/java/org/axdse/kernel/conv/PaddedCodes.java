package org.axdse.kernel.conv;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.quant.QuantParams;

/**
 * Quantizes an NCHW float batch into 8-bit code patterns with the convolution's zero padding made
 * explicit: padded taps are real zeros, i.e. the activation zero point, and still go through the
 * table. Layout {@code [n][c][padTop + H + padBottom][padLeft + W + padRight]}.
 */
final class PaddedCodes {
    private PaddedCodes() {
    }

    /** @return elements of one padded image */
    static int imageSize(Conv2dGeometry g) {
        return g.inChannels() * paddedHeight(g) * paddedWidth(g);
    }

    static int paddedHeight(Conv2dGeometry g) {
        return g.inHeight() + g.padTop() + g.padBottom();
    }

    static int paddedWidth(Conv2dGeometry g) {
        return g.inWidth() + g.padLeft() + g.padRight();
    }

    /**
     * @param batch images
     * @param g     geometry
     * @return elements of a padded batch
     * @throws InvalidInputException if the batch is not positive or its buffer would exceed an array
     */
    static int batchSize(int batch, Conv2dGeometry g) {
        Checks.positive("batch", batch);
        long size = (long) batch * imageSize(g);
        if (size > Integer.MAX_VALUE - 8) {
            throw new InvalidInputException("batch: " + batch + " images of " + imageSize(g)
                    + " padded elements exceed one Java array; use batches of at most " + (Integer.MAX_VALUE - 8) / imageSize(g));
        }
        return (int) size;
    }

    /**
     * Checks the input length and quantizes it into {@code reuse} (grown when too small).
     *
     * @param input  NCHW floats
     * @param batch  images
     * @param g      geometry
     * @param params activation quantization
     * @param reuse  the previous buffer
     * @return the buffer holding {@code batch} padded code images
     */
    static byte[] quantize(float[] input, int batch, Conv2dGeometry g, QuantParams params, byte[] reuse) {
        int size = batchSize(batch, g);
        Checks.length("input", input.length, (long) batch * g.inputSize());
        byte[] out = reuse.length >= size ? reuse : new byte[size];
        fill(input, batch, g, params, out);
        return out;
    }

    private static void fill(float[] input, int batch, Conv2dGeometry g, QuantParams params, byte[] out) {
        int h = g.inHeight();
        int w = g.inWidth();
        int hp = paddedHeight(g);
        int wp = paddedWidth(g);
        byte zero = (byte) params.zeroPoint();
        int planes = batch * g.inChannels();
        if (hp == h && wp == w) {
            params.quantize(input, 0, out, 0, planes * h * w);
            return;
        }
        for (int plane = 0; plane < planes; plane++) {
            int src = plane * h * w;
            int dstPlane = plane * hp * wp;
            java.util.Arrays.fill(out, dstPlane, dstPlane + hp * wp, zero);
            for (int y = 0; y < h; y++) {
                params.quantize(input, src, out, dstPlane + (y + g.padTop()) * wp + g.padLeft(), w);
                src += w;
            }
        }
    }

    /**
     * Offsets of each tap (input channel within the group, kernel row, kernel column) relative to an
     * output position's top-left corner in one padded image, for the group starting at channel 0.
     */
    static int[] tapOffsets(Conv2dGeometry g) {
        int hp = paddedHeight(g);
        int wp = paddedWidth(g);
        int[] offsets = new int[g.taps()];
        int t = 0;
        for (int c = 0; c < g.inChannelsPerGroup(); c++) {
            for (int kh = 0; kh < g.kernelH(); kh++) {
                for (int kw = 0; kw < g.kernelW(); kw++) {
                    offsets[t++] = c * hp * wp + kh * g.dilationH() * wp + kw * g.dilationW();
                }
            }
        }
        return offsets;
    }

    /** Offsets of each output position's top-left input corner in one padded image. */
    static int[] positionOffsets(Conv2dGeometry g) {
        int wp = paddedWidth(g);
        int oh = g.outHeight();
        int ow = g.outWidth();
        int[] offsets = new int[oh * ow];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                offsets[y * ow + x] = y * g.strideH() * wp + x * g.strideW();
            }
        }
        return offsets;
    }
}
