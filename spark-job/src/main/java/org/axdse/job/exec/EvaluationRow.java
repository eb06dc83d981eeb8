package org.axdse.job.exec;

import java.io.Serializable;

/**
 * One task's result for one candidate on one shard.
 *
 * @param candidateId the candidate
 * @param shardId     the shard
 * @param correct     correct top-1 predictions
 * @param total       images
 * @param seconds     the task's evaluation time attributed to this candidate (task time / candidates)
 * @param backend     {@code cpu}, or what ran it
 * @param executor    executor id and host
 * @param macsComputed this candidate's share of the layer MACs the task computed (prefix reuse skips some);
 *                     the shares of a task's rows add up to the task's count exactly
 * @param macsNaive   the layer MACs this candidate alone would have needed (images x network MACs)
 * @param correctBits which of the shard's images it got right: bit {@code i} of word {@code i / 64} is image
 *                    {@code shard.from + i} (paired statistics compare candidates on the same images)
 */
public record EvaluationRow(String candidateId, int shardId, long correct, long total, double seconds, String backend,
                            String executor, long macsComputed, long macsNaive, long[] correctBits) implements Serializable {
    /** A row without per-image results (tests of the sums). */
    public EvaluationRow(String candidateId, int shardId, long correct, long total, double seconds, String backend,
                         String executor, long macsComputed, long macsNaive) {
        this(candidateId, shardId, correct, total, seconds, backend, executor, macsComputed, macsNaive,
                new long[(int) ((total + 63) / 64)]);
    }
}
