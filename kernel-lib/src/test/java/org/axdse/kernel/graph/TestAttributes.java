package org.axdse.kernel.graph;

import java.util.HashMap;
import java.util.Map;

/**
 * A node's attributes for operator tests, without ONNX protobuf: {@code new TestAttributes("node").ints("perm", 1, 0)}.
 * Typed like ONNX attributes (INT, FLOAT, STRING, INTS, FLOATS, TENSOR); asking for a name with another type is a test bug.
 */
final class TestAttributes implements OpAttributes {
    private final String where;
    private final Map<String, Object> values = new HashMap<>();
    private int outputs = 1;

    TestAttributes(String where) {
        this.where = where;
    }

    /** The node's number of outputs (Split). */
    TestAttributes outputs(int n) {
        outputs = n;
        return this;
    }

    @Override
    public int outputCount() {
        return outputs;
    }

    /** An INT attribute. */
    TestAttributes integer(String name, long value) {
        values.put(name, value);
        return this;
    }

    /** A FLOAT attribute. */
    TestAttributes real(String name, float value) {
        values.put(name, value);
        return this;
    }

    /** A STRING attribute. */
    TestAttributes string(String name, String value) {
        values.put(name, value);
        return this;
    }

    /** An INTS attribute. */
    TestAttributes ints(String name, int... value) {
        values.put(name, value.clone());
        return this;
    }

    /** A FLOATS attribute. */
    TestAttributes floats(String name, float... value) {
        values.put(name, value.clone());
        return this;
    }

    /** A TENSOR attribute. */
    TestAttributes tensor(String name, Tensor value) {
        values.put(name, value);
        return this;
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public boolean has(String name) {
        return values.containsKey(name);
    }

    @Override
    public long getInt(String name, long defaultValue) {
        return values.containsKey(name) ? (Long) values.get(name) : defaultValue;
    }

    @Override
    public float getFloat(String name, float defaultValue) {
        return values.containsKey(name) ? (Float) values.get(name) : defaultValue;
    }

    @Override
    public String getString(String name, String defaultValue) {
        return values.containsKey(name) ? (String) values.get(name) : defaultValue;
    }

    @Override
    public int[] getInts(String name, int[] defaultValue) {
        return values.containsKey(name) ? ((int[]) values.get(name)).clone() : defaultValue;
    }

    @Override
    public float[] getFloats(String name) {
        return values.containsKey(name) ? ((float[]) values.get(name)).clone() : null;
    }

    @Override
    public Tensor getTensor(String name) {
        return (Tensor) values.get(name);
    }
}
