package org.axdse.kernel.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Tensor;

/** Conversion of ONNX tensors (initializers, constants) to {@link Tensor}s and back. */
public final class Tensors {
    private Tensors() {
    }

    /**
     * @param t     an ONNX tensor
     * @param where for errors, e.g. the model file and tensor name
     * @return its values; float types as float32, integer and bool types as int64
     */
    public static Tensor fromProto(Onnx.TensorProto t, String where) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new InvalidInputException(where + ": tensor " + t.getName() + " uses external data, which AxDSE does not read;"
                    + " save the model with its weights inside the .onnx file");
        }
        int[] shape = new int[t.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = Math.toIntExact(t.getDims(i));
        }
        int n = Math.toIntExact(Tensor.size(shape));
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = raw.remaining() > 0;
        int type = t.getDataType();
        switch (type) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> {
                float[] f = new float[n];
                if (hasRaw) {
                    check(raw.remaining(), 4L * n, t, where);
                    raw.asFloatBuffer().get(f);
                } else {
                    check(t.getFloatDataCount(), n, t, where);
                    for (int i = 0; i < n; i++) {
                        f[i] = t.getFloatData(i);
                    }
                }
                return Tensor.floats(shape, f);
            }
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> {
                float[] f = new float[n];
                if (hasRaw) {
                    check(raw.remaining(), 8L * n, t, where);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) raw.getDouble();
                    }
                } else {
                    check(t.getDoubleDataCount(), n, t, where);
                    for (int i = 0; i < n; i++) {
                        f[i] = (float) t.getDoubleData(i);
                    }
                }
                return Tensor.floats(shape, f);
            }
            case Onnx.TensorProto.DataType.INT64_VALUE -> {
                long[] l = new long[n];
                if (hasRaw) {
                    check(raw.remaining(), 8L * n, t, where);
                    raw.asLongBuffer().get(l);
                } else {
                    check(t.getInt64DataCount(), n, t, where);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt64Data(i);
                    }
                }
                return Tensor.longs(shape, l);
            }
            case Onnx.TensorProto.DataType.INT32_VALUE, Onnx.TensorProto.DataType.INT16_VALUE,
                    Onnx.TensorProto.DataType.INT8_VALUE, Onnx.TensorProto.DataType.UINT8_VALUE,
                    Onnx.TensorProto.DataType.UINT16_VALUE, Onnx.TensorProto.DataType.BOOL_VALUE -> {
                long[] l = new long[n];
                int width = switch (type) {
                    case Onnx.TensorProto.DataType.INT32_VALUE -> 4;
                    case Onnx.TensorProto.DataType.INT16_VALUE, Onnx.TensorProto.DataType.UINT16_VALUE -> 2;
                    default -> 1;
                };
                if (hasRaw) {
                    check(raw.remaining(), (long) width * n, t, where);
                    for (int i = 0; i < n; i++) {
                        l[i] = switch (type) {
                            case Onnx.TensorProto.DataType.INT32_VALUE -> raw.getInt();
                            case Onnx.TensorProto.DataType.INT16_VALUE -> raw.getShort();
                            case Onnx.TensorProto.DataType.UINT16_VALUE -> raw.getShort() & 0xFFFF;
                            case Onnx.TensorProto.DataType.INT8_VALUE -> raw.get();
                            default -> raw.get() & 0xFF;
                        };
                    }
                } else {
                    check(t.getInt32DataCount(), n, t, where);
                    for (int i = 0; i < n; i++) {
                        l[i] = t.getInt32Data(i);
                    }
                }
                return Tensor.longs(shape, l);
            }
            default -> throw new InvalidInputException(where + ": tensor " + t.getName() + " has data type "
                    + Onnx.TensorProto.DataType.forNumber(type) + " (" + type + "); AxDSE reads FLOAT, DOUBLE and integer tensors");
        }
    }

    private static void check(long actual, long expected, Onnx.TensorProto t, String where) {
        if (actual != expected) {
            throw new InvalidInputException(where + ": tensor " + t.getName() + " of shape " + t.getDimsList() + " should hold "
                    + expected + " values (or bytes), holds " + actual);
        }
    }

    /**
     * @param name   tensor name
     * @param tensor values
     * @return an ONNX tensor (float32 or int64, raw little-endian data)
     */
    public static Onnx.TensorProto toProto(String name, Tensor tensor) {
        Onnx.TensorProto.Builder b = Onnx.TensorProto.newBuilder().setName(name);
        for (int d : tensor.shape()) {
            b.addDims(d);
        }
        ByteBuffer buf;
        if (tensor.isFloat()) {
            b.setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
            buf = ByteBuffer.allocate(4 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(tensor.floatData());
        } else {
            b.setDataType(Onnx.TensorProto.DataType.INT64_VALUE);
            buf = ByteBuffer.allocate(8 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(tensor.longData());
        }
        return b.setRawData(com.google.protobuf.ByteString.copyFrom(buf.array())).build();
    }
}
