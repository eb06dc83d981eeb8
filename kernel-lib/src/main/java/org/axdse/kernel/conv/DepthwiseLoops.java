package org.axdse.kernel.conv;

/**
 * Decides whether a LUT convolution takes {@link BytePermuteDepthwise}: only layers with one output channel per
 * group whose product table is cached and fits byte planes, only when the vector-API inner loops are in use (so
 * the scalar loop stays testable and forceable with {@value TapAccumulators#PROPERTY}{@code =scalar}) and the CPU
 * has one-instruction byte permutes. Keeps the incubator classes unloaded otherwise.
 */
final class DepthwiseLoops {
    private DepthwiseLoops() {
    }

    /**
     * @param table       the layer's product table
     * @param accumulator the kernel's inner loop
     * @return the byte-permute loop for the layer, or null when it does not apply
     */
    static BytePermuteDepthwise bytePermute(LutProductTable table, TapAccumulator accumulator) {
        Conv2dGeometry g = table.geometry();
        if (g.outChannelsPerGroup() != 1 || !table.cached() || !accumulator.name().equals("vector")
                || !BytePermuteDense.supported()) {
            return null;
        }
        PermuteRows rows = table.permuteRows();
        return rows == null ? null : new BytePermuteDepthwise(g, rows, table.activation());
    }
}
