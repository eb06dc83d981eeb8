package org.axdse.job.driver;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.job.exec.EvaluationRow;
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
 */
record ShardTotals(long correct, long total, double seconds, String backend, String executors) {
    /**
     * @param rows   one stage's rows (one per candidate and shard)
     * @param shards the run's shard count: every candidate must have each shard exactly once
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
            s.rows++;
        }
        Map<String, ShardTotals> totals = new HashMap<>();
        sums.forEach((id, s) -> {
            if (s.shardIds.size() != shards || s.rows != shards) {
                throw new AxdseException("candidate " + id + " has " + s.rows + " results for " + s.shardIds.size() + " of "
                        + shards + " shards");
            }
            totals.put(id, new ShardTotals(s.correct, s.total, s.seconds, String.join(";", s.backends),
                    String.join(";", s.executors)));
        });
        return totals;
    }
}
