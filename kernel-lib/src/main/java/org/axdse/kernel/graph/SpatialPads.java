package org.axdse.kernel.graph;

/**
 * Resolves ONNX's spatial padding of Conv and pooling nodes: explicit {@code pads}
 * ({@code [top, left, bottom, right]}), or {@code auto_pad} {@code SAME_UPPER} (odd pixel at the end, as
 * TensorFlow's SAME), {@code SAME_LOWER} (at the beginning) or {@code VALID}.
 */
public final class SpatialPads {
    private SpatialPads() {
    }

    /**
     * @param attrs the node's attributes ({@code auto_pad}, {@code pads})
     * @param inH   input height
     * @param inW   input width
     * @param kH    window height
     * @param kW    window width
     * @param sH    vertical stride
     * @param sW    horizontal stride
     * @param dH    vertical dilation
     * @param dW    horizontal dilation
     * @return {@code [top, left, bottom, right]}
     * @throws org.axdse.kernel.InvalidInputException naming the node on a bad {@code pads} or {@code auto_pad}
     */
    public static int[] resolve(OpAttributes attrs, int inH, int inW, int kH, int kW, int sH, int sW, int dH, int dW) {
        String auto = attrs.getString("auto_pad", "NOTSET");
        switch (auto) {
            case "NOTSET" -> {
                int[] pads = attrs.getInts("pads", new int[] {0, 0, 0, 0});
                if (pads.length != 4) {
                    throw attrs.error("pads: expected 4 values for a 2-D window, got " + pads.length);
                }
                for (int p : pads) {
                    if (p < 0) {
                        throw attrs.error("pads: negative padding " + p + " is not supported");
                    }
                }
                return pads;
            }
            case "VALID" -> {
                return new int[] {0, 0, 0, 0};
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                boolean upper = auto.equals("SAME_UPPER");
                int th = total(inH, kH, sH, dH);
                int tw = total(inW, kW, sW, dW);
                int top = upper ? th / 2 : th - th / 2;
                int left = upper ? tw / 2 : tw - tw / 2;
                return new int[] {top, left, th - top, tw - left};
            }
            default -> throw attrs.error("auto_pad: expected NOTSET, SAME_UPPER, SAME_LOWER or VALID, got " + auto);
        }
    }

    private static int total(int in, int k, int s, int d) {
        int out = (in + s - 1) / s;
        return Math.max(0, (out - 1) * s + (k - 1) * d + 1 - in);
    }
}
