package org.axdse.job.cli;

import java.util.Locale;

import org.axdse.kernel.lut.MultiplierTable;

/**
 * Distribution of a table's errors {@code table(a, w) - a*w} over all 65,536 operand pairs: exact pairs
 * apart, the rest in equal-width bins between the smallest and largest error, as a text chart.
 */
record ErrorHistogram(long exact, long[] counts, long min, long max) {
    static final int BINS = 12;

    static ErrorHistogram of(MultiplierTable t) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        long exact = 0;
        long[] errors = new long[MultiplierTable.ENTRIES];
        var s = t.signedness();
        for (int i = 0; i < errors.length; i++) {
            errors[i] = t.entry(i) - (long) s.codeOf(i >>> 8) * s.codeOf(i & 0xFF);
            if (errors[i] == 0) {
                exact++;
            } else {
                min = Math.min(min, errors[i]);
                max = Math.max(max, errors[i]);
            }
        }
        long[] counts = new long[BINS];
        if (exact < errors.length) {
            double width = Math.max(1.0, (double) (max - min + 1) / BINS);
            for (long e : errors) {
                if (e != 0) {
                    counts[(int) Math.min(BINS - 1, (e - min) / width)]++;
                }
            }
        }
        return new ErrorHistogram(exact, counts, min, max);
    }

    String format() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  error histogram (65536 operand pairs; the bins hold the non-zero errors):%n"));
        sb.append(String.format(Locale.ROOT, "  %23s %7d %s%n", "exact (error 0)", exact, bar(exact)));
        if (exact == MultiplierTable.ENTRIES) {
            return sb.toString();
        }
        double width = Math.max(1.0, (double) (max - min + 1) / BINS);
        for (int b = 0; b < BINS; b++) {
            long lo = (long) Math.ceil(min + b * width);
            long hi = b == BINS - 1 ? max : (long) Math.ceil(min + (b + 1) * width) - 1;
            if (hi < lo) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "  [%10d, %10d] %7d %s%n", lo, hi, counts[b], bar(counts[b])));
        }
        return sb.toString();
    }

    private static String bar(long n) {
        return "#".repeat((int) Math.round(40.0 * n / MultiplierTable.ENTRIES));
    }
}
