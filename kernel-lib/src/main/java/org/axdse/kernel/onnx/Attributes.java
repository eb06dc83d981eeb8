package org.axdse.kernel.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.graph.OpAttributes;
import org.axdse.kernel.graph.Tensor;

/** Typed access to an ONNX node's attributes; errors name the node, its op type and the attribute. */
final class Attributes implements OpAttributes {
    private final Map<String, Onnx.AttributeProto> byName = new HashMap<>();
    private final String where;
    private final int outputs;

    Attributes(Onnx.NodeProto node, String where) {
        this.where = where;
        this.outputs = node.getOutputCount();
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            byName.put(a.getName(), a);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public int outputCount() {
        return outputs;
    }

    @Override
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    @Override
    public long getInt(String name, long defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getI();
    }

    @Override
    public float getFloat(String name, float defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getF();
    }

    @Override
    public String getString(String name, String defaultValue) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null ? defaultValue : a.getS().toStringUtf8();
    }

    @Override
    public int[] getInts(String name, int[] defaultValue) {
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

    @Override
    public float[] getFloats(String name) {
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

    /** The TENSOR attribute converted by {@link Tensors#fromProto} (its errors name this node). */
    @Override
    public Tensor getTensor(String name) {
        Onnx.AttributeProto a = byName.get(name);
        return a == null || !a.hasT() ? null : Tensors.fromProto(a.getT(), where);
    }
}
