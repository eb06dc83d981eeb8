package org.axdse.job.output;

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
 */
public record EvaluationRecord(String runId, String candidateId, int generation, List<String> assignment, long correct,
                               long total, double accuracy, double accuracyDrop, double relativeEnergy, double powerPerMac,
                               boolean onParetoFront, boolean isUniform, String backend, String executors, double seconds)
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
            .add("seconds", DoubleType);

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, candidateId, generation, TableRecord.array(assignment), correct, total, accuracy,
                accuracyDrop, TableRecord.nullable(relativeEnergy), TableRecord.nullable(powerPerMac), onParetoFront, isUniform,
                backend, executors, seconds);
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
                row.getAs("backend"), row.getAs("executors"), row.<Double>getAs("seconds"));
    }

    private static double nan(Double v) {
        return v == null ? Double.NaN : v;
    }
}
