package org.axdse.kernel.conv;

/**
 * A product table of a convolution with one output channel per group (depthwise) as
 * {@link BytePermuteDepthwise} reads it: for each output channel {@code oc} and tap {@code t}, the table row
 * {@code P[oc][t][a]} (a = activation code pattern) offset by the row's minimum and split into byte planes,
 * laid out {@code [oc][t][plane][a]}, 256 bytes per plane. The per-row minima are summed per channel, so
 * {@code sum_t P[oc][t][a_t] = offset[oc] + sum_t sum_p plane_p(a_t) << 8p}. Immutable; built once per
 * {@link LutProductTable} ({@link LutProductTable#permuteRows()}).
 *
 * @param planes      {@code [oc][t][plane][a]}: byte {@code plane} of {@code P[oc][t][a] - min_a P[oc][t][a]}
 * @param planeCount  byte planes per row: 2 when every row spans at most 16 bits, else 3
 * @param offset      per output channel, the sum over taps of the rows' minima (int32, wrapping: the kernel adds it
 *                    to sums that are exact int32 only modulo 2^32 until it is added)
 */
record PermuteRows(byte[] planes, int planeCount, int[] offset) {
    /** Most byte planes a row may need: rows spanning more than 24 bits keep the int loops. */
    static final int MAX_PLANES = 3;

    /**
     * @param table a cached product table of a convolution with one output channel per group
     * @return its rows as byte planes, or null when some row spans more than 24 bits
     */
    static PermuteRows of(LutProductTable table) {
        Conv2dGeometry g = table.geometry();
        if (g.outChannelsPerGroup() != 1 || !table.cached() || table.rowStride() != 1) {
            throw new IllegalArgumentException("byte-plane rows need a cached table with one output channel per group");
        }
        int channels = g.outChannels();
        int taps = g.taps();
        int[] min = new int[channels * taps];
        long widest = 0;
        for (int oc = 0; oc < channels; oc++) {
            for (int t = 0; t < taps; t++) {
                int[] row = row(table, oc, t);
                int at = rowStart(table, t);
                int lo = Integer.MAX_VALUE;
                int hi = Integer.MIN_VALUE;
                for (int a = 0; a < 256; a++) {
                    lo = Math.min(lo, row[at + a]);
                    hi = Math.max(hi, row[at + a]);
                }
                min[oc * taps + t] = lo;
                widest = Math.max(widest, (long) hi - lo);
            }
        }
        int bits = 64 - Long.numberOfLeadingZeros(widest);
        int planeCount = Math.max(2, (bits + 7) / 8);
        if (planeCount > MAX_PLANES) {
            return null;
        }
        byte[] planes = new byte[channels * taps * planeCount * 256];
        int[] offset = new int[channels];
        for (int oc = 0; oc < channels; oc++) {
            for (int t = 0; t < taps; t++) {
                int[] row = row(table, oc, t);
                int at = rowStart(table, t);
                int lo = min[oc * taps + t];
                offset[oc] += lo;
                int dst = (oc * taps + t) * planeCount * 256;
                for (int a = 0; a < 256; a++) {
                    int u = row[at + a] - lo; // fits: the span is below 2^24
                    for (int p = 0; p < planeCount; p++) {
                        planes[dst + p * 256 + a] = (byte) (u >>> (8 * p));
                    }
                }
            }
        }
        return new PermuteRows(planes, planeCount, offset);
    }

    /** The slice holding tap {@code t} of output channel {@code oc} (its group, one channel block). */
    private static int[] row(LutProductTable table, int oc, int t) {
        return table.slice(oc, 0, t / table.tapsPerBlock(), null);
    }

    private static int rowStart(LutProductTable table, int t) {
        return (t % table.tapsPerBlock()) * 256;
    }
}
