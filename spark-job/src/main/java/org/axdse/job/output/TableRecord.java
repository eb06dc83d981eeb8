package org.axdse.job.output;

import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * One row of an output table as a typed record. Each table's record declares its schema beside its fields and
 * is the only place that turns them into a Spark {@link Row} (positional, in schema order), so a column can
 * never be matched with the wrong value in another file.
 */
public interface TableRecord {
    /** @return the table's schema, {@code run_id} first */
    StructType schema();

    /** @return the Spark row, values in {@link #schema()} order */
    Row toRow();

    /**
     * @param values a list of values
     * @param <T>    their type
     * @return the Scala sequence Spark expects for an array column
     */
    static <T> scala.collection.immutable.Seq<T> array(List<T> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(values).toSeq();
    }

    /**
     * @param row   a row read back
     * @param field an array column
     * @param <T>   element type
     * @return its values as a Java list
     */
    static <T> List<T> list(Row row, String field) {
        return List.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(row.<scala.collection.Seq<T>>getAs(field)));
    }

    /**
     * @param v a figure, NaN when unknown
     * @return v, or null (SQL NULL) for NaN
     */
    static Double nullable(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
