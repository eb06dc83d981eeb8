package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@value Tables#SENSITIVITY}: an approximable layer with one multiplier, the other layers as in the
 * exact 8-bit baseline, measured, with the error model's prediction beside the measurement.
 *
 * @param runId                  the run
 * @param layerIndex             layer
 * @param layerName              its name
 * @param multiplier             the multiplier on that layer
 * @param candidateId            the evaluated candidate
 * @param accuracy               its accuracy
 * @param accuracyDrop           the baseline's accuracy minus this one
 * @param relativeEnergy         relative energy, NaN when unknown
 * @param predictedRelativeError the error model's relative output error of the layer
 * @param predictedLogitNoise    the predicted noise on the logits
 * @param predictedDisagreement  the predicted share of changed predictions
 * @param predictedAccuracyDrop  the predicted accuracy drop
 * @param layerTolerance         the layer's tolerance
 */
public record SensitivityRecord(String runId, int layerIndex, String layerName, String multiplier, String candidateId,
                                double accuracy, double accuracyDrop, double relativeEnergy, double predictedRelativeError,
                                double predictedLogitNoise, double predictedDisagreement, double predictedAccuracyDrop,
                                double layerTolerance) implements TableRecord {
    /** Schema of {@value Tables#SENSITIVITY}. */
    public static final StructType SCHEMA = new StructType()
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

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, layerIndex, layerName, multiplier, candidateId, accuracy, accuracyDrop,
                TableRecord.nullable(relativeEnergy), predictedRelativeError, predictedLogitNoise, predictedDisagreement,
                predictedAccuracyDrop, layerTolerance);
    }
}
