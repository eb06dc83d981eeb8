package org.axdse.kernel.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.model.onnx.Onnx;

/** Typed access to an ONNX node's attributes; errors name the node, its op type and the attribute. */
final class Attributes {
    private final Map<String, Onnx.AttributeProto> byName = new HashMap<>();
    private final String where;

    Attributes(Onnx.NodeProto node, String where) {
        this.where = where;
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    boolean has(String name) {
        return byName.containsKey(name);
    }

    long getInt(String name, long defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getI();
    }

    float getFloat(String name, float defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getF();
    }

    String getString(String name, String defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getS().toStringUtf8();
    }

    int[] getInts(String name, int[] defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        if (a == null) {
            return defaultValue;
        }
        List<Long> l = a.getIntsList();
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = Math.toIntExact(l.get(i));
        }
        return r;
    }

    float[] getFloats(String name) {
        Onnx.AttributeProto a = byName.get(name);
        if (a == null) {
            return null;
        }
        float[] r = new float[a.getFloatsCount()];
        for (int i = 0; i < r.length; i++) {
            r[i] = a.getFloats(i);
        }
        return r;
    }

    Onnx.TensorProto getTensor(String name) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null || !a.hasT() ? null : a.getT();
    }

    InvalidInputException error(String message) {
        return new InvalidInputException(where + ": " + message);
    }
}
