package org.axdse.kernel.onnx;

import java.util.Map;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.graph.Tensor;

/**
 * A node while it is imported, with its input values (from the zero-image evaluation that infers shapes).
 *
 * @param proto the node
 * @param name  its name, or {@code OpType_index} when the model gives none
 * @param where how messages name it: the model, the node, its op type and the opset
 * @param in    its input values, null for an omitted optional input
 */
record ImportNode(Onnx.NodeProto proto, String name, String where, Tensor[] in) {

    /** @return the node's op type */
    String opType() {
        return proto.getOpType();
    }

    /** @return its attributes (errors name the node) */
    Attributes attributes() {
        return new Attributes(proto, where);
    }

    /**
     * @param i         an input index
     * @param what      what the input is, for the message
     * @param constants the values known at import (initializers and folded constants)
     * @return input {@code i}'s value, or null when the node omits it
     * @throws InvalidInputException when the input is given but not a constant
     */
    Tensor constant(int i, String what, Map<String, Tensor> constants) {
        if (i >= proto.getInputCount() || proto.getInput(i).isEmpty()) {
            return null;
        }
        Tensor t = constants.get(proto.getInput(i));
        if (t == null) {
            throw new InvalidInputException(where + ": " + what + " (" + proto.getInput(i) + ") must be a constant initializer");
        }
        return t;
    }
}
