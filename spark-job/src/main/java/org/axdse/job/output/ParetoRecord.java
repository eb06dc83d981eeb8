package org.axdse.job.output;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.LongType;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@value Tables#PARETO}: a front member's evaluation (the {@value Tables#EVALUATIONS} columns) and,
 * once the run's front is validated ({@code axdse.validate.images}), its accuracy on further test images that
 * the search never saw, with the paired comparison to the exact 8-bit baseline on the same images. Until then,
 * and without validation, the validation columns are NULL.
 *
 * @param evaluation the front member's evaluation
 * @param validation its validation, or null
 */
public record ParetoRecord(EvaluationRecord evaluation, Validation validation) implements TableRecord {
    /**
     * A front member's validation.
     *
     * @param images         validation images (the test images after the search's)
     * @param correct        correct predictions on them
     * @param accuracyLow    Wilson interval of the validation accuracy, lower end
     * @param accuracyHigh   its upper end
     * @param drop           the baseline's validation accuracy minus this one (paired: the same images)
     * @param dropLow        paired (McNemar-setting Wald) interval of the drop, lower end
     * @param dropHigh       its upper end
     * @param gainSignificant whether its accuracy gain over the next cheaper front member is significant (its paired
     *                       interval excludes 0); null for the cheapest member
     */
    public record Validation(long images, long correct, double accuracyLow, double accuracyHigh, double drop, double dropLow,
                             double dropHigh, Boolean gainSignificant) {
        /** @return {@code correct / images} */
        public double accuracy() {
            return images == 0 ? Double.NaN : (double) correct / images;
        }
    }

    /** Schema of {@value Tables#PARETO}: {@link EvaluationRecord#SCHEMA} and the validation columns. */
    public static final StructType SCHEMA = withValidation();

    private static StructType withValidation() {
        List<StructField> fields = new ArrayList<>(List.of(EvaluationRecord.SCHEMA.fields()));
        StructType v = new StructType()
                .add("validation_images", LongType)
                .add("validation_correct", LongType)
                .add("validation_accuracy", DoubleType)
                .add("validation_ci_low", DoubleType)
                .add("validation_ci_high", DoubleType)
                .add("validation_drop", DoubleType)
                .add("validation_drop_ci_low", DoubleType)
                .add("validation_drop_ci_high", DoubleType)
                .add("validation_gain_significant", BooleanType);
        fields.addAll(List.of(v.fields()));
        return new StructType(fields.toArray(StructField[]::new));
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        Row e = evaluation.toRow();
        List<Object> values = new ArrayList<>(e.size() + 9);
        for (int i = 0; i < e.size(); i++) {
            values.add(e.get(i));
        }
        Validation v = validation;
        values.addAll(v == null ? java.util.Collections.nCopies(9, null) : java.util.Arrays.asList(v.images(), v.correct(),
                v.accuracy(), v.accuracyLow(), v.accuracyHigh(), v.drop(), v.dropLow(), v.dropHigh(), v.gainSignificant()));
        return RowFactory.create(values.toArray());
    }
}
