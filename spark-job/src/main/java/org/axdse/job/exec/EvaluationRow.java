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
 */
public record EvaluationRow(String candidateId, int shardId, long correct, long total, double seconds, String backend,
                            String executor) implements Serializable {
}
