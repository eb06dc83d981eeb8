package org.axdse.kernel.estimate;

/** Count, mean and sum of squared deviations, merged chunk by chunk (Chan et al.). */
final class Moments {
    long n;
    double mean;
    double m2;

    static Moments of(float[] d) {
        Moments m = new Moments();
        m.add(d, 0, d.length);
        return m;
    }

    /** Merges {@code d[from..to)}: its own mean and squared deviations first, then Chan's update. */
    void add(float[] d, int from, int to) {
        int len = to - from;
        if (len <= 0) {
            return;
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += d[i];
        }
        double bm = sum / len;
        double bm2 = 0;
        for (int i = from; i < to; i++) {
            double t = d[i] - bm;
            bm2 += t * t;
        }
        long total = n + len;
        double delta = bm - mean;
        mean += delta * len / total;
        m2 += bm2 + delta * delta * ((double) n * len / total);
        n = total;
    }

    /** @return the population variance (0 when empty) */
    double variance() {
        return n == 0 ? 0 : m2 / n;
    }
}
