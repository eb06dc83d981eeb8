package org.axdse.kernel.graph;

import org.axdse.kernel.InvalidInputException;

/**
 * Typed access to a node's attributes, as an operator reads them when it is built. The ONNX importer implements
 * it over the node's protobuf attributes; tests implement it over a map. Values are returned as stored (no
 * conversion beyond the ones named); errors name the node ({@link #where()}).
 */
public interface OpAttributes {
    /** @return the node, for messages, e.g. {@code "model.onnx: node /fc/Gemm (Gemm, opset 13)"} */
    String where();

    /**
     * @param name an attribute name
     * @return whether the node has it
     */
    boolean has(String name);

    /**
     * @param name         an INT attribute
     * @param defaultValue returned when it is absent
     * @return its value
     */
    long getInt(String name, long defaultValue);

    /**
     * @param name         a FLOAT attribute
     * @param defaultValue returned when it is absent
     * @return its value
     */
    float getFloat(String name, float defaultValue);

    /**
     * @param name         a STRING attribute
     * @param defaultValue returned when it is absent
     * @return its value
     */
    String getString(String name, String defaultValue);

    /**
     * @param name         an INTS attribute
     * @param defaultValue returned when it is absent
     * @return its values (a value outside the int range is an error)
     */
    int[] getInts(String name, int[] defaultValue);

    /**
     * @param name a FLOATS attribute
     * @return its values, or null when it is absent
     */
    float[] getFloats(String name);

    /**
     * @param name a TENSOR attribute
     * @return its value (floating-point types as float32, integer and bool types as int64), or null when absent
     */
    Tensor getTensor(String name);

    /** @return how many outputs the node names (Split makes one part per output); 1 unless told */
    default int outputCount() {
        return 1;
    }

    /**
     * @param message what is wrong
     * @return an exception whose message is {@code where() + ": " + message}
     */
    default InvalidInputException error(String message) {
        return new InvalidInputException(where() + ": " + message);
    }
}
