package org.axdse.job.driver;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs evaluation progress on the driver: tasks done / total and an ETA, at every tenth of the work. */
final class ProgressListener extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final long start = System.nanoTime();

    ProgressListener(int total) {
        this.total = total;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (!taskEnd.taskInfo().successful()) {
            return;
        }
        int d = done.incrementAndGet();
        if (d == total || d % Math.max(1, total / 10) == 0) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            double eta = elapsed / d * (total - d);
            LOG.info(String.format(Locale.ROOT, "evaluated %d/%d tasks, %.0f s elapsed, ETA %.0f s", d, total, elapsed, eta));
        }
    }
}
