package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@value Tables#EVALUATIONS} (and of {@value Tables#PARETO}, which holds the front's rows): a
 * candidate's measured accuracy on the run's images and its energy. Unknown figures are NaN here and NULL in
 * the table.
 *
 * @param runId          the run
 * @param candidateId    the candidate
 * @param generation     the stage that first proposed it (-1: the sensitivity stage)
 * @param assignment     multiplier per layer
 * @param correct        correct top-1 predictions
 * @param total          images
 * @param accuracy       {@code correct / total}
 * @param accuracyDrop   the exact 8-bit baseline's accuracy minus this one
 * @param relativeEnergy relative multiplier energy, NaN when unknown
 * @param powerPerMac    power per MAC in the library's unit, NaN when unknown
 * @param onParetoFront  on the accuracy/energy front of the run
 * @param isUniform      one multiplier on every approximated layer
 * @param backend        backends that evaluated it, {@code ;}-separated
 * @param executors      executors that evaluated it, {@code ;}-separated
 * @param seconds        evaluation time attributed to it
 * @param racedOutRound  the racing round after which it was dropped (0: after the first shard), -1 (NULL) when it
 *                       was not; a raced-out candidate's figures are those of the images it saw ({@code total})
 * @param accuracyLow    lower end of the Wilson score interval of its accuracy at {@code axdse.racing.confidence}
 * @param accuracyHigh   upper end of that interval
 * @param correctBits    which of its {@code total} images (the run's first ones) it got right, bit i of byte i/8
 *                       (LSB first); null when unknown
 * @param tableSha256    per layer, the SHA-256 of the table the evaluation used (empty for {@code exact-fp32}): what
 *                       was computed, checked when the run is resumed; null in rows of versions that lacked it
 */
public record EvaluationRecord(String runId, String candidateId, int generation, List<String> assignment, long correct,
                               long total, double accuracy, double accuracyDrop, double relativeEnergy, double powerPerMac,
                               boolean onParetoFront, boolean isUniform, String backend, String executors, double seconds,
                               int racedOutRound, double accuracyLow, double accuracyHigh, long[] correctBits,
                               List<String> tableSha256)
        implements TableRecord {
    /** Schema of {@value Tables#EVALUATIONS} and {@value Tables#PARETO}. */
    public static final StructType SCHEMA = new StructType()
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
            .add("seconds", DoubleType)
            .add("raced_out", BooleanType)
            .add("raced_out_round", IntegerType)
            .add("accuracy_ci_low", DoubleType)
            .add("accuracy_ci_high", DoubleType)
            .add("correct_bits", BinaryType)
            .add("table_sha256", createArrayType(StringType));

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, candidateId, generation, TableRecord.array(assignment), correct, total, accuracy,
                accuracyDrop, TableRecord.nullable(relativeEnergy), TableRecord.nullable(powerPerMac), onParetoFront, isUniform,
                backend, executors, seconds, racedOutRound >= 0, racedOutRound >= 0 ? racedOutRound : null, accuracyLow,
                accuracyHigh, correctBits == null ? null : bytes(correctBits, total),
                tableSha256 == null ? null : TableRecord.array(tableSha256));
    }

    /**
     * @param row a row of {@value Tables#EVALUATIONS} read back
     * @return the record (NULL figures as NaN)
     */
    public static EvaluationRecord from(Row row) {
        return new EvaluationRecord(row.getAs("run_id"), row.getAs("candidate_id"), row.<Integer>getAs("generation"),
                TableRecord.list(row, "assignment"), row.<Long>getAs("correct"), row.<Long>getAs("total"),
                row.<Double>getAs("accuracy"), nan(row.getAs("accuracy_drop")), nan(row.getAs("relative_energy")),
                nan(row.getAs("power_per_mac")), row.<Boolean>getAs("on_pareto_front"), row.<Boolean>getAs("is_uniform"),
                row.getAs("backend"), row.getAs("executors"), row.<Double>getAs("seconds"),
                has(row, "raced_out_round") && row.getAs("raced_out_round") != null ? row.<Integer>getAs("raced_out_round") : -1,
                has(row, "accuracy_ci_low") ? nan(row.getAs("accuracy_ci_low")) : Double.NaN,
                has(row, "accuracy_ci_high") ? nan(row.getAs("accuracy_ci_high")) : Double.NaN,
                has(row, "correct_bits") && row.getAs("correct_bits") != null
                        ? words(row.<byte[]>getAs("correct_bits"), row.<Long>getAs("total")) : null,
                has(row, "table_sha256") && row.getAs("table_sha256") != null ? TableRecord.list(row, "table_sha256") : null);
    }

    /** Rows written before a column existed lack it (runs of earlier versions). */
    private static boolean has(Row row, String field) {
        return java.util.Arrays.asList(row.schema().fieldNames()).contains(field);
    }

    /** The bits of {@code images} images as bytes, LSB first (image i is bit i % 8 of byte i / 8). */
    static byte[] bytes(long[] words, long images) {
        byte[] b = new byte[(int) ((images + 7) / 8)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (words[i >>> 3] >>> ((i & 7) * 8));
        }
        return b;
    }

    /** The inverse of {@link #bytes}. */
    static long[] words(byte[] bytes, long images) {
        long[] w = new long[(int) ((images + 63) / 64)];
        for (int i = 0; i < bytes.length && (i >>> 3) < w.length; i++) {
            w[i >>> 3] |= (bytes[i] & 0xFFL) << ((i & 7) * 8);
        }
        return w;
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
