package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.sql.Timestamp;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@value Tables#RUNS}: what a run was and how far it got.
 *
 * @param runId          the run
 * @param startedAt      start of the invocation that wrote the row
 * @param finishedAt     end, null while running
 * @param status         {@code running} or {@code finished}
 * @param model          model source (path or {@code bundled:...})
 * @param modelSha256    the model file's sha256
 * @param dataset        data set directory
 * @param images         test images evaluated per candidate
 * @param strategy       the strategy's name
 * @param config         every job key and its value, as a JSON object
 * @param sparkMaster    Spark master URL
 * @param executors      distinct executors that evaluated in this invocation
 * @param backendCounts  evaluation rows per backend, e.g. {@code {cpu=12}}
 * @param library        library location
 * @param libraryVersion the library's version tag
 * @param candidates     candidates of the run
 * @param macsComputed   layer MACs computed in this invocation
 * @param macsNaive      layer MACs the candidates evaluated now need without prefix sharing
 * @param seconds        wall time of the invocation (0 while running)
 * @param fingerprint    the settings that change results (a resume must match it)
 * @param imageEvaluations      images evaluated, summed over the run's candidates (racing stops some early)
 * @param naiveImageEvaluations candidates x images: what evaluating every candidate on every image takes
 */
public record RunRecord(String runId, Timestamp startedAt, Timestamp finishedAt, String status, String model, String modelSha256,
                        String dataset, int images, String strategy, String config, String sparkMaster, int executors,
                        String backendCounts, String library, String libraryVersion, int candidates, long macsComputed,
                        long macsNaive, double seconds, String fingerprint, long imageEvaluations,
                        long naiveImageEvaluations) implements TableRecord {
    /** Schema of {@value Tables#RUNS}. */
    public static final StructType SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("started_at", TimestampType)
            .add("finished_at", TimestampType)
            .add("status", StringType)
            .add("model", StringType)
            .add("model_sha256", StringType)
            .add("dataset", StringType)
            .add("images", IntegerType)
            .add("strategy", StringType)
            .add("config", StringType)
            .add("spark_master", StringType)
            .add("executors", IntegerType)
            .add("backend_counts", StringType)
            .add("library", StringType)
            .add("library_version", StringType)
            .add("candidates", IntegerType)
            .add("macs_computed", LongType)
            .add("macs_naive", LongType)
            .add("seconds", DoubleType)
            .add("fingerprint", StringType)
            .add("image_evaluations", LongType)
            .add("naive_image_evaluations", LongType);

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, startedAt, finishedAt, status, model, modelSha256, dataset, images, strategy, config,
                sparkMaster, executors, backendCounts, library, libraryVersion, candidates, macsComputed, macsNaive, seconds,
                fingerprint, imageEvaluations, naiveImageEvaluations);
    }
}
