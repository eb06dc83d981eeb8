package org.axdse.kernel.conv;

import org.axdse.kernel.Checks;
import org.axdse.kernel.InvalidInputException;

/**
 * Batch-independent shape of a 2-D convolution over NCHW tensors: input {@code C x H x W}, weights
 * {@code [outChannels][inChannels/groups][kernelH][kernelW]}, output {@code outChannels x outH x outW}.
 * Padding is explicit per side; {@link Builder#samePadding()} and {@link Builder#validPadding()} resolve
 * TensorFlow's SAME/VALID (SAME puts the odd pixel at the bottom/right, as TensorFlow and ONNX
 * {@code SAME_UPPER} do). A dense layer is the 1 x 1 case with a 1 x 1 kernel.
 *
 * @param inChannels  C
 * @param inHeight    H
 * @param inWidth     W
 * @param outChannels output channels
 * @param kernelH     kernel height
 * @param kernelW     kernel width
 * @param strideH     vertical stride
 * @param strideW     horizontal stride
 * @param dilationH   vertical dilation
 * @param dilationW   horizontal dilation
 * @param padTop      zero rows above
 * @param padBottom   zero rows below
 * @param padLeft     zero columns left
 * @param padRight    zero columns right
 * @param groups      channel groups (1: ordinary; inChannels: depthwise)
 */
public record Conv2dGeometry(int inChannels, int inHeight, int inWidth, int outChannels, int kernelH, int kernelW,
                             int strideH, int strideW, int dilationH, int dilationW,
                             int padTop, int padBottom, int padLeft, int padRight, int groups) {

    /** Validates every field and that the output is at least 1 x 1. */
    public Conv2dGeometry {
        Checks.positive("inChannels", inChannels);
        Checks.positive("inHeight", inHeight);
        Checks.positive("inWidth", inWidth);
        Checks.positive("outChannels", outChannels);
        Checks.positive("kernelH", kernelH);
        Checks.positive("kernelW", kernelW);
        Checks.positive("strideH", strideH);
        Checks.positive("strideW", strideW);
        Checks.positive("dilationH", dilationH);
        Checks.positive("dilationW", dilationW);
        Checks.nonNegative("padTop", padTop);
        Checks.nonNegative("padBottom", padBottom);
        Checks.nonNegative("padLeft", padLeft);
        Checks.nonNegative("padRight", padRight);
        Checks.positive("groups", groups);
        if (inChannels % groups != 0 || outChannels % groups != 0) {
            throw new InvalidInputException("groups: inChannels (" + inChannels + ") and outChannels (" + outChannels
                    + ") must both be multiples of groups, got groups=" + groups);
        }
        int spanH = (kernelH - 1) * dilationH + 1;
        int spanW = (kernelW - 1) * dilationW + 1;
        if (inHeight + padTop + padBottom < spanH || inWidth + padLeft + padRight < spanW) {
            throw new InvalidInputException("convolution: padded input " + (inHeight + padTop + padBottom) + "x"
                    + (inWidth + padLeft + padRight) + " is smaller than the dilated kernel " + spanH + "x" + spanW);
        }
    }

    /**
     * @param inFeatures  input features
     * @param outFeatures output features
     * @return the geometry of a dense layer {@code y = W x} with {@code W} of shape [out][in]
     */
    public static Conv2dGeometry dense(int inFeatures, int outFeatures) {
        return new Conv2dGeometry(inFeatures, 1, 1, outFeatures, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1);
    }

    /**
     * @param inChannels  C
     * @param inHeight    H
     * @param inWidth     W
     * @param outChannels output channels
     * @param kernelH     kernel height
     * @param kernelW     kernel width
     * @return a builder with stride 1, dilation 1, no padding, 1 group
     */
    public static Builder builder(int inChannels, int inHeight, int inWidth, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, inHeight, inWidth, outChannels, kernelH, kernelW);
    }

    /** @return output height */
    public int outHeight() {
        return (inHeight + padTop + padBottom - ((kernelH - 1) * dilationH + 1)) / strideH + 1;
    }

    /** @return output width */
    public int outWidth() {
        return (inWidth + padLeft + padRight - ((kernelW - 1) * dilationW + 1)) / strideW + 1;
    }

    /** @return input channels per group */
    public int inChannelsPerGroup() {
        return inChannels / groups;
    }

    /** @return output channels per group */
    public int outChannelsPerGroup() {
        return outChannels / groups;
    }

    /** @return K, the products summed per output value: {@code inChannels/groups * kernelH * kernelW} */
    public int taps() {
        return inChannelsPerGroup() * kernelH * kernelW;
    }

    /** @return elements of one input image */
    public int inputSize() {
        return inChannels * inHeight * inWidth;
    }

    /** @return elements of one output image */
    public int outputSize() {
        return outChannels * outHeight() * outWidth();
    }

    /** @return weight elements */
    public int weightSize() {
        return outChannels * taps();
    }

    /** @return multiply-accumulates per image */
    public long macsPerImage() {
        return (long) outputSize() * taps();
    }

    /** Builder of {@link Conv2dGeometry}. */
    public static final class Builder {
        private final int inChannels;
        private final int inHeight;
        private final int inWidth;
        private final int outChannels;
        private final int kernelH;
        private final int kernelW;
        private int strideH = 1;
        private int strideW = 1;
        private int dilationH = 1;
        private int dilationW = 1;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private int groups = 1;
        private boolean same;

        private Builder(int inChannels, int inHeight, int inWidth, int outChannels, int kernelH, int kernelW) {
            this.inChannels = inChannels;
            this.inHeight = inHeight;
            this.inWidth = inWidth;
            this.outChannels = outChannels;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
        }

        /**
         * @param stride stride in both directions
         * @return this
         */
        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        /**
         * @param h vertical stride
         * @param w horizontal stride
         * @return this
         */
        public Builder stride(int h, int w) {
            strideH = h;
            strideW = w;
            return this;
        }

        /**
         * @param dilation dilation in both directions
         * @return this
         */
        public Builder dilation(int dilation) {
            dilationH = dilation;
            dilationW = dilation;
            return this;
        }

        /**
         * @param h vertical dilation
         * @param w horizontal dilation
         * @return this builder
         */
        public Builder dilation(int h, int w) {
            dilationH = h;
            dilationW = w;
            return this;
        }

        /**
         * @param pad zero padding on all four sides
         * @return this
         */
        public Builder padding(int pad) {
            return padding(pad, pad, pad, pad);
        }

        /**
         * @param top    rows above
         * @param bottom rows below
         * @param left   columns left
         * @param right  columns right
         * @return this
         */
        public Builder padding(int top, int bottom, int left, int right) {
            padTop = top;
            padBottom = bottom;
            padLeft = left;
            padRight = right;
            same = false;
            return this;
        }

        /** @return this, with TensorFlow SAME padding resolved at {@link #build()} */
        public Builder samePadding() {
            same = true;
            return this;
        }

        /** @return this, with no padding */
        public Builder validPadding() {
            return padding(0);
        }

        /**
         * @param g channel groups
         * @return this
         */
        public Builder groups(int g) {
            groups = g;
            return this;
        }

        /** @return the validated geometry */
        public Conv2dGeometry build() {
            if (same) {
                Checks.positive("strideH", strideH);
                Checks.positive("strideW", strideW);
                int totalH = samePadTotal(inHeight, kernelH, strideH, dilationH);
                int totalW = samePadTotal(inWidth, kernelW, strideW, dilationW);
                padTop = totalH / 2;
                padBottom = totalH - padTop;
                padLeft = totalW / 2;
                padRight = totalW - padLeft;
            }
            return new Conv2dGeometry(inChannels, inHeight, inWidth, outChannels, kernelH, kernelW, strideH, strideW,
                    dilationH, dilationW, padTop, padBottom, padLeft, padRight, groups);
        }

        private static int samePadTotal(int in, int kernel, int stride, int dilation) {
            int out = (in + stride - 1) / stride;
            return Math.max(0, (out - 1) * stride + (kernel - 1) * dilation + 1 - in);
        }
    }
}
