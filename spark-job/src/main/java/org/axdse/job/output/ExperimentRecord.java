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
 * One row of {@value Tables#EXPERIMENTS}: for one accuracy-drop budget and one method of an experiment, the
 * cheapest assignment that method found within the budget. The table is partitioned by {@code run_id}, which
 * here holds the experiment's id (the prefix of its runs' ids). Unknown figures are NaN here and NULL in the table;
 * a method with no assignment within the budget has a NULL candidate.
 *
 * @param experimentId          the experiment
 * @param budget                accuracy-drop budget, a fraction (0.005 = 0.5 percentage points)
 * @param method                uniform, tiled or per-layer
 * @param methodRunId           the run of that method
 * @param candidateId           the chosen assignment's candidate, null when none is within the budget
 * @param assignment            its multiplier per layer (empty when none)
 * @param relativeEnergy        its relative multiplier energy
 * @param savingOverUniform     {@code 1 - relativeEnergy / that of the best uniform assignment within the budget}
 * @param searchAccuracy        its accuracy on the search images
 * @param validated             whether the budget was judged on the validation images
 * @param validationImages      validation images (0 without validation)
 * @param validatedAccuracy     its accuracy on them
 * @param validatedAccuracyLow  lower end of that accuracy's interval
 * @param validatedAccuracyHigh upper end
 * @param drop                  the drop the budget was judged by (validated when {@code validated})
 * @param dropLow               lower end of the paired drop interval (NaN without validation)
 * @param dropHigh              upper end
 * @param evaluations           candidates the method's run evaluated
 * @param imageEvaluations      images evaluated, summed over its candidates
 * @param wallSeconds           the run's wall time
 * @param executorSeconds       the run's task time summed over its evaluations
 * @param model                 the model
 * @param library               the library
 */
public record ExperimentRecord(String experimentId, double budget, String method, String methodRunId, String candidateId,
                               List<String> assignment, double relativeEnergy, double savingOverUniform,
                               double searchAccuracy, boolean validated, long validationImages, double validatedAccuracy,
                               double validatedAccuracyLow, double validatedAccuracyHigh, double drop, double dropLow,
                               double dropHigh, int evaluations, long imageEvaluations, double wallSeconds,
                               double executorSeconds, String model, String library) implements TableRecord {
    /** Schema of {@value Tables#EXPERIMENTS}. */
    public static final StructType SCHEMA = new StructType()
            .add("run_id", StringType, false)
            .add("budget", DoubleType)
            .add("method", StringType)
            .add("method_run_id", StringType)
            .add("candidate_id", StringType)
            .add("assignment", createArrayType(StringType))
            .add("relative_energy", DoubleType)
            .add("saving_over_uniform", DoubleType)
            .add("search_accuracy", DoubleType)
            .add("validated", BooleanType)
            .add("validation_images", LongType)
            .add("validated_accuracy", DoubleType)
            .add("validated_accuracy_low", DoubleType)
            .add("validated_accuracy_high", DoubleType)
            .add("drop", DoubleType)
            .add("drop_low", DoubleType)
            .add("drop_high", DoubleType)
            .add("evaluations", IntegerType)
            .add("image_evaluations", LongType)
            .add("wall_seconds", DoubleType)
            .add("executor_seconds", DoubleType)
            .add("model", StringType)
            .add("library", StringType);

    /** Copies the assignment. */
    public ExperimentRecord {
        assignment = List.copyOf(assignment);
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(experimentId, budget, method, methodRunId, candidateId, TableRecord.array(assignment),
                TableRecord.nullable(relativeEnergy), TableRecord.nullable(savingOverUniform),
                TableRecord.nullable(searchAccuracy), validated, validationImages, TableRecord.nullable(validatedAccuracy),
                TableRecord.nullable(validatedAccuracyLow), TableRecord.nullable(validatedAccuracyHigh),
                TableRecord.nullable(drop), TableRecord.nullable(dropLow), TableRecord.nullable(dropHigh), evaluations,
                imageEvaluations, wallSeconds, executorSeconds, model, library);
    }
}
