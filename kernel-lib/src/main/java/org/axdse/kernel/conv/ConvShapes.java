package org.axdse.kernel.conv;

import java.util.ArrayList;
import java.util.List;

/**
 * The awkward convolution and dense shapes every LUT kernel is checked on: by the CPU kernels' tests, the host
 * check of the CUDA arithmetic, the CUDA kernels' GPU test, and the GPU check that runs without JUnit on a
 * device machine ({@code org.axdse.kernel.cuda.check.GpuCheck}), which is why this list is a main class.
 */
public final class ConvShapes {
    private ConvShapes() {
    }

    /**
     * A convolution shape to check.
     *
     * @param label    what is awkward about it
     * @param batch    images
     * @param geometry the convolution
     */
    public record Shape(String label, int batch, Conv2dGeometry geometry) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** @return batch 1 and 3; channels 1 to 64; 1x1 to 115x115; 1x1 to 5x5 kernels; strides, dilation, padding, groups, dense */
    public static List<Shape> awkward() {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("1x1 everything", 1, Conv2dGeometry.builder(1, 1, 1, 1, 1, 1).build()));
        s.add(new Shape("b3 c3 23x23 oc23 3x3 pad1", 3, Conv2dGeometry.builder(3, 23, 23, 23, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c23 7x9 oc16 5x5 s2 SAME", 1, Conv2dGeometry.builder(23, 7, 9, 16, 5, 5).stride(2).samePadding().build()));
        s.add(new Shape("LeNet conv2 b3 c6 13x13 oc16 3x3", 3, Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build()));
        s.add(new Shape("b1 c3 115x115 oc3 3x3 s2 VALID", 1, Conv2dGeometry.builder(3, 115, 115, 3, 3, 3).stride(2).validPadding().build()));
        s.add(new Shape("b3 c3 23x23 oc5 3x3 dilation2 pad2", 3, Conv2dGeometry.builder(3, 23, 23, 5, 3, 3).dilation(2).padding(2).build()));
        s.add(new Shape("b3 groups3 c6 5x5 oc9 3x3 pad1", 3, Conv2dGeometry.builder(6, 5, 5, 9, 3, 3).groups(3).padding(1).build()));
        s.add(new Shape("b1 depthwise c23 11x11 3x3 s2 SAME", 1, Conv2dGeometry.builder(23, 11, 11, 23, 3, 3).groups(23).stride(2).samePadding().build()));
        s.add(new Shape("b3 depthwise x2 c3 9x9 oc6 5x5 pad 2,1,0,3", 3, Conv2dGeometry.builder(3, 9, 9, 6, 5, 5).groups(3).padding(2, 1, 0, 3).build()));
        s.add(new Shape("b1 c1 1x115 oc33 1x5 s(1,2)", 1, Conv2dGeometry.builder(1, 1, 115, 33, 1, 5).stride(1, 2).build()));
        s.add(new Shape("b1 c64 6x6 oc20 3x3 pad1 (many tap blocks)", 1, Conv2dGeometry.builder(64, 6, 6, 20, 3, 3).padding(1).build()));
        s.add(new Shape("b3 dense 115->23", 3, Conv2dGeometry.dense(115, 23)));
        s.add(new Shape("b2 c8 6x6 oc70 3x3 pad1 (4+1 vectors per row)", 2, Conv2dGeometry.builder(8, 6, 6, 70, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c3 10x10 oc5 1x1 s3 (stride > kernel)", 1, Conv2dGeometry.builder(3, 10, 10, 5, 1, 1).stride(3).build()));
        s.add(new Shape("b2 c2 9x11 oc17 2x2 s(3,4) pad 0,2,1,0", 2, Conv2dGeometry.builder(2, 9, 11, 17, 2, 2).stride(3, 4).padding(0, 2, 1, 0).build()));
        s.add(new Shape("b1 c4 8x8 oc16 3x3 s2 dilation2 SAME", 1, Conv2dGeometry.builder(4, 8, 8, 16, 3, 3).stride(2).dilation(2).samePadding().build()));
        // Depthwise rows wide enough for the vector loop's runs of consecutive positions: rows of 37 (two vectors and an
        // overlapping tail), of exactly 16 (dilated 5x5), and a 1x1 layer whose positions run on across rows.
        s.add(new Shape("b2 depthwise c5 20x37 3x3 pad1", 2, Conv2dGeometry.builder(5, 20, 37, 5, 3, 3).groups(5).padding(1).build()));
        s.add(new Shape("b1 depthwise c3 6x16 5x5 dilation2 pad4", 1, Conv2dGeometry.builder(3, 6, 16, 3, 5, 5).groups(3).dilation(2).padding(4).build()));
        s.add(new Shape("b3 depthwise c4 5x7 1x1", 3, Conv2dGeometry.builder(4, 5, 7, 4, 1, 1).groups(4).build()));
        // One output channel per group takes the byte-permute loop on AVX-512 VBMI: stride phases (3,2) with dilation,
        // a 7x7 kernel, groups of several input channels, 288 taps (two 16-bit passes) and 576 (two table slices).
        s.add(new Shape("b2 depthwise c3 17x13 3x3 s(3,2) dilation(1,3) pad 2,1,3,0", 2,
                Conv2dGeometry.builder(3, 17, 13, 3, 3, 3).groups(3).stride(3, 2).dilation(1, 3).padding(2, 1, 3, 0).build()));
        s.add(new Shape("b1 depthwise c2 15x15 7x7 SAME", 1, Conv2dGeometry.builder(2, 15, 15, 2, 7, 7).groups(2).samePadding().build()));
        s.add(new Shape("b2 groups4 c12 9x9 oc4 3x3 s2 pad1", 2, Conv2dGeometry.builder(12, 9, 9, 4, 3, 3).groups(4).stride(2).padding(1).build()));
        s.add(new Shape("b1 c32 6x5 oc1 3x3 pad1 (288 taps)", 1, Conv2dGeometry.builder(32, 6, 5, 1, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c64 4x4 oc1 3x3 pad1 (576 taps: two table slices)", 1,
                Conv2dGeometry.builder(64, 4, 4, 1, 3, 3).padding(1).build()));
        return s;
    }

    /**
     * @return {@link #awkward()} and three larger shapes that only a device runs quickly: a ResNet-8 stage-3 layer,
     *         a 5x5 SAME convolution over 115x115, a 64-channel depthwise layer
     */
    public static List<Shape> device() {
        List<Shape> s = new ArrayList<>(awkward());
        s.add(new Shape("b3 c64 8x8 oc64 3x3 pad1 (ResNet-8 stage 3)", 3, Conv2dGeometry.builder(64, 8, 8, 64, 3, 3).padding(1).build()));
        s.add(new Shape("b1 c3 115x115 oc16 5x5 SAME", 1, Conv2dGeometry.builder(3, 115, 115, 16, 5, 5).samePadding().build()));
        s.add(new Shape("b3 depthwise c64 9x9 3x3 pad1", 3, Conv2dGeometry.builder(64, 9, 9, 64, 3, 3).groups(64).padding(1).build()));
        return s;
    }

    /**
     * A dense shape to check.
     *
     * @param batch       rows
     * @param inFeatures  K
     * @param outFeatures outputs
     */
    public record DenseShape(int batch, int inFeatures, int outFeatures) {
        @Override
        public String toString() {
            return "b" + batch + " dense " + inFeatures + "->" + outFeatures;
        }
    }

    /** @return single features, a K of 1, more outputs than inputs, LeNet's 1936 -> 120 at batch 7, K = 2304 */
    public static List<DenseShape> dense() {
        int[][] shapes = {{1, 1, 1}, {3, 115, 23}, {2, 400, 120}, {1, 23, 3}, {5, 3, 115}, {7, 1936, 120}, {1, 2304, 2}};
        List<DenseShape> d = new ArrayList<>();
        for (int[] s : shapes) {
            d.add(new DenseShape(s[0], s[1], s[2]));
        }
        return d;
    }
}
