package org.axdse.kernel.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the non-approximable operators from their ONNX op type: activations, pooling, normalisation,
 * element-wise arithmetic and the shape-manipulating operators that PyTorch and tf2onnx emit around them
 * (Shape, Gather, Unsqueeze, Concat, Reshape, Slice, Transpose, Cast, ConstantOfShape ...). Attributes are read
 * and checked when the operator is built, at import time.
 *
 * <p>The dispatch is one table from op type to the family class that builds it: {@link Activations},
 * {@link Broadcast} (binary arithmetic), {@link Normalization} (batch normalisation, softmax, reductions),
 * {@link Pooling}, {@link Shapes} (shape-only changes), {@link Indexing} (gathering, slicing, transposition),
 * {@link ConcatPad} (concatenation, padding) and {@link Values} (constants, casts, identities).
 */
public final class Operators {
    /** Builds one operator type from a node's attributes and the model's default-domain opset. */
    @FunctionalInterface
    interface Factory {
        Op create(OpAttributes a, int opset);
    }

    private static final Map<String, Factory> FACTORIES = factories();

    /** The op types {@link #create} builds, in the order messages list them. */
    public static final List<String> SUPPORTED = List.copyOf(FACTORIES.keySet());

    private Operators() {
    }

    private static Map<String, Factory> factories() {
        Map<String, Factory> m = new LinkedHashMap<>();
        m.put("Relu", Activations::relu);
        m.put("Clip", Activations::clip);
        m.put("LeakyRelu", Activations::leakyRelu);
        m.put("Sigmoid", Activations::sigmoid);
        m.put("Tanh", Activations::tanh);
        m.put("MaxPool", (a, opset) -> Pooling.create("MaxPool", a, opset));
        m.put("AveragePool", (a, opset) -> Pooling.create("AveragePool", a, opset));
        m.put("GlobalAveragePool", (a, opset) -> Pooling.create("GlobalAveragePool", a, opset));
        m.put("GlobalMaxPool", (a, opset) -> Pooling.create("GlobalMaxPool", a, opset));
        m.put("Flatten", Shapes::flatten);
        m.put("Reshape", Shapes::reshape);
        m.put("BatchNormalization", Normalization::batchNormalization);
        m.put("Add", (a, opset) -> Broadcast.op(Broadcast.Kind.ADD, a));
        m.put("Sub", (a, opset) -> Broadcast.op(Broadcast.Kind.SUB, a));
        m.put("Mul", (a, opset) -> Broadcast.op(Broadcast.Kind.MUL, a));
        m.put("Div", (a, opset) -> Broadcast.op(Broadcast.Kind.DIV, a));
        m.put("Concat", ConcatPad::concat);
        m.put("Softmax", Normalization::softmax);
        m.put("Identity", Values::identity);
        m.put("Dropout", Values::identity);
        m.put("Constant", Values::constant);
        m.put("Pad", ConcatPad::pad);
        m.put("Transpose", Indexing::transpose);
        m.put("Shape", Shapes::shape);
        m.put("Gather", Indexing::gather);
        m.put("Unsqueeze", Shapes::unsqueeze);
        m.put("Squeeze", Shapes::squeeze);
        m.put("Slice", Indexing::slice);
        m.put("Cast", Values::cast);
        m.put("ConstantOfShape", Values::constantOfShape);
        m.put("LogSoftmax", Normalization::logSoftmax);
        m.put("ReduceMean", Normalization::reduceMean);
        return Collections.unmodifiableMap(m);
    }

    /**
     * @param opType an ONNX op type
     * @return whether {@link #create} builds it
     */
    public static boolean supports(String opType) {
        return FACTORIES.containsKey(opType);
    }

    /**
     * Builds an operator, reading and checking its attributes now.
     *
     * @param opType an ONNX op type among {@link #SUPPORTED}
     * @param a      the node's attributes
     * @param opset  the model's default-domain opset (some operators read inputs that were attributes before)
     * @return the operator
     * @throws org.axdse.kernel.InvalidInputException naming the node on an unsupported type or a bad attribute
     */
    public static Op create(String opType, OpAttributes a, int opset) {
        Factory f = FACTORIES.get(opType);
        if (f == null) {
            throw a.error("unsupported operator " + opType + " (opset " + opset + "); supported: " + String.join(", ", SUPPORTED));
        }
        return f.create(a, opset);
    }
}
