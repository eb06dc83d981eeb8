package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@value Tables#MULTIPLIERS}: a library table as the run saw it, with its error metrics.
 * Unknown figures are NaN here and NULL in the table.
 *
 * @param runId      the run
 * @param name       multiplier name
 * @param signed     signed table
 * @param power      power (library unit), NaN when unknown
 * @param area       area, NaN when unknown
 * @param delay      delay, NaN when unknown
 * @param powerUnit  the library's power unit
 * @param mae        mean absolute error
 * @param wce        worst-case error
 * @param mre        mean relative error
 * @param ep         error probability
 * @param mse        mean squared error
 * @param meanError  mean (signed) error
 * @param family     generator family
 * @param parameters generator parameters
 * @param source     where the table came from
 * @param sha256     the table's content hash
 */
public record MultiplierRecord(String runId, String name, boolean signed, double power, double area, double delay,
                               String powerUnit, double mae, long wce, double mre, double ep, double mse, double meanError,
                               String family, String parameters, String source, String sha256) implements TableRecord {
    /** Schema of {@value Tables#MULTIPLIERS}. */
    public static final StructType SCHEMA = new StructType()
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

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, name, signed, TableRecord.nullable(power), TableRecord.nullable(area),
                TableRecord.nullable(delay), powerUnit, mae, wce, mre, ep, mse, meanError, family, parameters, source, sha256);
    }
}
