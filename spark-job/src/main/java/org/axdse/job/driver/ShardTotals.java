package org.axdse.job.driver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.stats.CorrectBits;
import org.axdse.kernel.AxdseException;

/**
 * A candidate's shards summed: the executors return a few rows per task, so the driver adds them up in plain
 * Java. Backends and executors are the sorted distinct values joined with {@code ;}.
 *
 * @param correct   correct predictions
 * @param total     images
 * @param seconds   attributed evaluation seconds
 * @param backend   distinct backends
 * @param executors distinct executors
 * @param correctBits which images were right, the shards' bits concatenated in shard order
 */
record ShardTotals(long correct, long total, double seconds, String backend, String executors, long[] correctBits) {
    /**
     * @param rows   one stage's rows (one per candidate and shard)
     * @param shards the shards each candidate must have, each exactly once
     * @return the totals by candidate id
     * @throws AxdseException when a candidate lacks a shard or has one twice (a scheduling fault, never silent)
     */
    static Map<String, ShardTotals> sum(List<EvaluationRow> rows, int shards) {
        final class Sum {
            long correct;
            long total;
            double seconds;
            final Set<Integer> shardIds = new TreeSet<>();
            final Set<String> backends = new TreeSet<>();
            final Set<String> executors = new TreeSet<>();
            final java.util.TreeMap<Integer, EvaluationRow> byShard = new java.util.TreeMap<>();
            int rows;
        }
        Map<String, Sum> sums = new HashMap<>();
        for (EvaluationRow r : rows) {
            Sum s = sums.computeIfAbsent(r.candidateId(), id -> new Sum());
            s.correct += r.correct();
            s.total += r.total();
            s.seconds += r.seconds();
            s.shardIds.add(r.shardId());
            s.backends.add(r.backend());
            s.executors.add(r.executor());
            s.byShard.put(r.shardId(), r);
            s.rows++;
        }
        Map<String, ShardTotals> totals = new HashMap<>();
        sums.forEach((id, s) -> {
            if (s.shardIds.size() != shards || s.rows != shards) {
                throw new AxdseException("candidate " + id + " has " + s.rows + " results for " + s.shardIds.size() + " of "
                        + shards + " shards");
            }
            long[] bits = new long[0];
            int images = 0;
            for (EvaluationRow r : s.byShard.values()) {
                bits = CorrectBits.concat(bits, images, r.correctBits(), (int) r.total());
                images += (int) r.total();
            }
            totals.put(id, new ShardTotals(s.correct, s.total, s.seconds, String.join(";", s.backends),
                    String.join(";", s.executors), bits));
        });
        return totals;
    }
}
