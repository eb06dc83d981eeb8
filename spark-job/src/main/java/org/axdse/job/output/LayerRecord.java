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
 * One row of {@value Tables#LAYERS}: an approximable layer and how the run quantizes it.
 *
 * @param runId          the run
 * @param layerIndex     layer index
 * @param layerName      ONNX node name
 * @param op             {@code conv} or {@code dense}
 * @param onnxOp         the ONNX operator
 * @param macs           MACs per image
 * @param inputShape     input shape per image
 * @param outputShape    output shape per image
 * @param approximable   whether a table may replace its multiplications
 * @param inputMin       calibrated input minimum
 * @param inputMax       calibrated input maximum
 * @param weightMin      weight minimum
 * @param weightMax      weight maximum
 * @param scheme         quantization scheme, e.g. {@code unsigned-affine}
 * @param inputScale     input scale from the calibrated range
 * @param inputZeroPoint input zero point
 * @param weightScale    weight scale (first channel when per channel)
 * @param weightZeroPoint weight zero point
 */
public record LayerRecord(String runId, int layerIndex, String layerName, String op, String onnxOp, long macs,
                          List<Integer> inputShape, List<Integer> outputShape, boolean approximable, double inputMin,
                          double inputMax, double weightMin, double weightMax, String scheme, double inputScale,
                          int inputZeroPoint, double weightScale, int weightZeroPoint) implements TableRecord {
    /** Schema of {@value Tables#LAYERS}. */
    public static final StructType SCHEMA = new StructType()
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

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public Row toRow() {
        return RowFactory.create(runId, layerIndex, layerName, op, onnxOp, macs, TableRecord.array(inputShape),
                TableRecord.array(outputShape), approximable, inputMin, inputMax, weightMin, weightMax, scheme, inputScale,
                inputZeroPoint, weightScale, weightZeroPoint);
    }
}
