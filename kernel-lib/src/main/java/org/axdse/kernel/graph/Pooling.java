package org.axdse.kernel.graph;

import java.util.Arrays;

/**
 * MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool over NCHW tensors, with ONNX's semantics:
 * explicit or automatic padding, {@code ceil_mode} (a last window must start inside the input or its
 * leading padding), {@code count_include_pad} (average divisor counts explicit padding, never the
 * extra cells added by ceil_mode), dilations for MaxPool.
 */
final class Pooling {
    private Pooling() {
    }

    static Op create(String opType, OpAttributes a, int opset) {
        switch (opType) {
            case "GlobalAveragePool", "GlobalMaxPool" -> {
                boolean max = opType.equals("GlobalMaxPool");
                return in -> new Tensor[] {global(in[0], max)};
            }
            default -> {
                boolean max = opType.equals("MaxPool");
                int[] kernel = a.getInts("kernel_shape", null);
                if (kernel == null || kernel.length != 2) {
                    throw a.error("kernel_shape: expected 2 values (2-D pooling), got "
                            + (kernel == null ? "none" : Arrays.toString(kernel)));
                }
                int[] strides = a.getInts("strides", new int[] {1, 1});
                int[] dil = a.getInts("dilations", new int[] {1, 1});
                if (!max && (dil[0] != 1 || dil[1] != 1)) {
                    throw a.error("dilations: AveragePool with dilation is not supported");
                }
                boolean ceil = a.getInt("ceil_mode", 0) != 0;
                boolean includePad = a.getInt("count_include_pad", 0) != 0;
                if (max && a.getInt("storage_order", 0) != 0) {
                    throw a.error("storage_order=1 (column-major indices) is not supported");
                }
                return in -> new Tensor[] {window(in[0], a, kernel, strides, dil, ceil, includePad, max)};
            }
        }
    }

    private static int outSize(int in, int padBegin, int padEnd, int k, int s, int d, boolean ceil) {
        int span = (k - 1) * d + 1;
        int num = in + padBegin + padEnd - span;
        int out = (ceil ? (num + s - 1) / s : num / s) + 1;
        if (ceil && (out - 1) * s >= in + padBegin) {
            out--;
        }
        return out;
    }

    private static Tensor window(Tensor x, OpAttributes a, int[] k, int[] s, int[] d, boolean ceil, boolean includePad,
                                 boolean max) {
        if (x.rank() != 4) {
            throw a.error("expected an NCHW input, got " + x);
        }
        int n = x.dim(0);
        int c = x.dim(1);
        int h = x.dim(2);
        int w = x.dim(3);
        int[] p = SpatialPads.resolve(a, h, w, k[0], k[1], s[0], s[1], d[0], d[1]);
        int oh = outSize(h, p[0], p[2], k[0], s[0], d[0], ceil);
        int ow = outSize(w, p[1], p[3], k[1], s[1], d[1], ceil);
        float[] in = x.floatData();
        float[] out = new float[n * c * oh * ow];
        boolean inside = p[0] == 0 && p[1] == 0 && (oh - 1) * s[0] + (k[0] - 1) * d[0] < h
                && (ow - 1) * s[1] + (k[1] - 1) * d[1] < w;
        if (inside) {
            insideWindows(in, n * c, h, w, oh, ow, k, s, d, max, out);
            return Tensor.floats(new int[] {n, c, oh, ow}, out);
        }
        for (int plane = 0; plane < n * c; plane++) {
            int base = plane * h * w;
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int y0 = y * s[0] - p[0];
                    int x0 = xo * s[1] - p[1];
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    int count = 0;
                    for (int i = 0; i < k[0]; i++) {
                        int iy = y0 + i * d[0];
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        for (int j = 0; j < k[1]; j++) {
                            int ix = x0 + j * d[1];
                            if (ix < 0 || ix >= w) {
                                continue;
                            }
                            float v = in[base + iy * w + ix];
                            if (max) {
                                acc = Math.max(acc, v);
                            } else {
                                acc += v;
                            }
                            count++;
                        }
                    }
                    if (!max) {
                        int divisor = count;
                        if (includePad) {
                            int ys = Math.max(y0, -p[0]);
                            int ye = Math.min(y0 + k[0], h + p[2]);
                            int xs = Math.max(x0, -p[1]);
                            int xe = Math.min(x0 + k[1], w + p[3]);
                            divisor = (ye - ys) * (xe - xs);
                        }
                        acc = divisor == 0 ? 0f : acc / divisor;
                    }
                    out[(plane * oh + y) * ow + xo] = acc;
                }
            }
        }
        return Tensor.floats(new int[] {n, c, oh, ow}, out);
    }

    /**
     * The same windows when every one lies inside the image (no padding): no bounds tests, the same summation
     * order and divisor (the whole window), hence the same bits. Measured: the general loop was 13 % of
     * LeNet-5's evaluation time (bench eval, AveragePool).
     */
    private static void insideWindows(float[] in, int planes, int h, int w, int oh, int ow, int[] k, int[] s, int[] d,
                                      boolean max, float[] out) {
        int divisor = k[0] * k[1];
        for (int plane = 0; plane < planes; plane++) {
            int base = plane * h * w;
            int o = plane * oh * ow;
            for (int y = 0; y < oh; y++) {
                for (int xo = 0; xo < ow; xo++) {
                    int at = base + y * s[0] * w + xo * s[1];
                    float acc = max ? Float.NEGATIVE_INFINITY : 0f;
                    for (int i = 0; i < k[0]; i++) {
                        int row = at + i * d[0] * w;
                        for (int j = 0; j < k[1]; j++) {
                            float v = in[row + j * d[1]];
                            acc = max ? Math.max(acc, v) : acc + v;
                        }
                    }
                    out[o++] = max ? acc : acc / divisor;
                }
            }
        }
    }

    private static Tensor global(Tensor x, boolean max) {
        int[] shape = x.shape();
        int planes = shape[0] * shape[1];
        int area = x.size() / Math.max(1, planes);
        float[] in = x.floatData();
        float[] out = new float[planes];
        for (int p = 0; p < planes; p++) {
            float acc = max ? Float.NEGATIVE_INFINITY : 0f;
            for (int i = 0; i < area; i++) {
                float v = in[p * area + i];
                acc = max ? Math.max(acc, v) : acc + v;
            }
            out[p] = max ? acc : acc / area;
        }
        int[] o = new int[shape.length];
        o[0] = shape[0];
        o[1] = shape[1];
        Arrays.fill(o, 2, o.length, 1);
        return Tensor.floats(o, out);
    }
}
