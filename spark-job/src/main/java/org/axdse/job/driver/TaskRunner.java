package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.exec.JobInputs;
import org.axdse.job.exec.ShardEvaluator;
import org.axdse.job.exec.ShardSpec;
import org.axdse.job.search.Candidate;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.Assignment;

/**
 * Runs one stage's (candidate batch x shard) tasks as one Spark job and returns their rows (one per candidate
 * and shard; {@link ShardTotals} sums them). Everything the tasks need except the candidates stays the same for
 * a run and is given once.
 */
final class TaskRunner {
    /** The per-run inputs of every task (the candidate batches are added per generation). */
    record RunInputs(byte[] modelBytes, String modelSource, String modelSha256, MultiplierLibrary library,
                     org.axdse.kernel.model.LayerRanges ranges, org.axdse.kernel.model.QuantConfig quant, String data,
                     int imageBatch, List<ShardSpec> shards) {
    }

    private final SparkSession spark;
    private final RunInputs run;

    TaskRunner(SparkSession spark, RunInputs run) {
        this.spark = spark;
        this.run = run;
    }

    /**
     * @param candidates candidates, in the order that lets neighbours share layer prefixes
     * @param perBatch   candidates per task ({@code axdse.batch.candidates})
     * @return the candidates cut into task batches
     */
    static List<List<Candidate>> batches(List<Candidate> candidates, int perBatch) {
        List<List<Candidate>> batches = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i += perBatch) {
            batches.add(List.copyOf(candidates.subList(i, Math.min(candidates.size(), i + perBatch))));
        }
        return batches;
    }

    /**
     * @param batches candidate batches
     * @param shards  the shards to evaluate them on (one task per batch and shard)
     * @return one row per candidate and shard
     */
    List<EvaluationRow> evaluate(List<List<Candidate>> batches, List<ShardSpec> shards) {
        if (batches.isEmpty()) {
            return List.of();
        }
        // Only the tables this generation uses travel with the broadcast.
        Map<String, MultiplierTable> tables = new HashMap<>();
        for (List<Candidate> b : batches) {
            for (Candidate c : b) {
                for (String n : c.names()) {
                    if (!n.equals(Assignment.EXACT_FP32)) { // keyed by the names the candidates use
                        tables.computeIfAbsent(n, k -> run.library().get(k).table());
                    }
                }
            }
        }
        Map<String, String> hadoopConf = new HashMap<>();
        for (Map.Entry<String, String> e : spark.sparkContext().hadoopConfiguration()) {
            hadoopConf.put(e.getKey(), e.getValue());
        }
        JobInputs inputs = new JobInputs(run.modelBytes(), run.modelSource(), run.modelSha256(), tables, run.ranges(),
                run.quant(), run.data(), run.imageBatch(), batches, hadoopConf);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<JobInputs> bc = jsc.broadcast(inputs);
        List<int[]> tasks = new ArrayList<>();
        for (int b = 0; b < batches.size(); b++) {
            for (ShardSpec s : shards) {
                tasks.add(new int[] {b, s.id()});
            }
        }
        Map<Integer, ShardSpec> shardList = new HashMap<>();
        shards.forEach(s -> shardList.put(s.id(), s));
        ProgressListener progress = new ProgressListener(tasks.size());
        spark.sparkContext().addSparkListener(progress);
        try {
            JavaRDD<EvaluationRow> rdd = jsc.parallelize(tasks, tasks.size())
                    .flatMap(t -> ShardEvaluator.evaluate(bc.value(), t[0], shardList.get(t[1])).iterator());
            return rdd.collect();
        } finally {
            spark.sparkContext().removeSparkListener(progress);
            bc.destroy();
        }
    }
}
