package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import org.apache.spark.sql.types.StructType;

/**
 * The schemas of the five Parquet tables of ARCHITECTURE.md section 4, and of the {@value #SENSITIVITY} table
 * written when a run has the sensitivity stage. Every table is partitioned by
 * {@code run_id} (written as the partition directory, so it is not a column of the files).
 */
public final class Tables {
    /** Table names, which are also their folder names under the output root. */
    public static final String RUNS = "runs";
    /** Per-layer facts of a run. */
    public static final String LAYERS = "layers";
    /** The library as the run saw it. */
    public static final String MULTIPLIERS = "multipliers";
    /** One row per evaluated candidate. */
    public static final String EVALUATIONS = "evaluations";
    /** The evaluations on the accuracy/energy Pareto front. */
    public static final String PARETO = "pareto";

    /** Each approximable layer alone with each multiplier (the sensitivity stage). */
    public static final String SENSITIVITY = "sensitivity";

    private Tables() {
    }

    /** Schema of {@value #RUNS}. */
    public static final StructType RUNS_SCHEMA = new StructType()
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
            .add("fingerprint", StringType);

    /** Schema of {@value #LAYERS}. */
    public static final StructType LAYERS_SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("layer_index", IntegerType)
            .add("layer_name", StringType)
            .add("op", StringType)
            .add("onnx_op", StringType)
            .add("macs", LongType)
            .add("input_shape", createArrayType(IntegerType))
            .add("output_shape", createArrayType(IntegerType))
            .add("approximable", BooleanType)
            .add("input_min", DoubleType)
            .add("input_max", DoubleType)
            .add("weight_min", DoubleType)
            .add("weight_max", DoubleType)
            .add("scheme", StringType)
            .add("input_scale", DoubleType)
            .add("input_zero_point", IntegerType)
            .add("weight_scale", DoubleType)
            .add("weight_zero_point", IntegerType);

    /** Schema of {@value #MULTIPLIERS}. */
    public static final StructType MULTIPLIERS_SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("name", StringType)
            .add("signed", BooleanType)
            .add("power", DoubleType)
            .add("area", DoubleType)
            .add("delay", DoubleType)
            .add("power_unit", StringType)
            .add("mae", DoubleType)
            .add("wce", LongType)
            .add("mre", DoubleType)
            .add("ep", DoubleType)
            .add("mse", DoubleType)
            .add("mean_error", DoubleType)
            .add("family", StringType)
            .add("parameters", StringType)
            .add("source", StringType)
            .add("sha256", StringType);

    /** Schema of {@value #EVALUATIONS} and {@value #PARETO}. */
    public static final StructType EVALUATIONS_SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("candidate_id", StringType)
            .add("generation", IntegerType)
            .add("assignment", createArrayType(StringType))
            .add("correct", LongType)
            .add("total", LongType)
            .add("accuracy", DoubleType)
            .add("accuracy_drop", DoubleType)
            .add("relative_energy", DoubleType)
            .add("power_per_mac", DoubleType)
            .add("on_pareto_front", BooleanType)
            .add("is_uniform", BooleanType)
            .add("backend", StringType)
            .add("executors", StringType)
            .add("seconds", DoubleType);

    /**
     * Schema of {@value #SENSITIVITY}: one row per approximable layer and multiplier, from the evaluation of the
     * candidate that uses that multiplier on that layer only (other layers as in the exact 8-bit baseline),
     * with the error model's prediction beside the measurement.
     */
    public static final StructType SENSITIVITY_SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("layer_index", IntegerType)
            .add("layer_name", StringType)
            .add("multiplier", StringType)
            .add("candidate_id", StringType)
            .add("accuracy", DoubleType)
            .add("accuracy_drop", DoubleType)
            .add("relative_energy", DoubleType)
            .add("predicted_relative_error", DoubleType)
            .add("predicted_logit_noise", DoubleType)
            .add("predicted_disagreement", DoubleType)
            .add("predicted_accuracy_drop", DoubleType)
            .add("layer_tolerance", DoubleType);
}
