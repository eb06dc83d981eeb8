package org.axdse.kernel.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the non-approximable operators from their ONNX op type: activations, pooling, normalisation,
 * element-wise arithmetic and the shape-manipulating operators that PyTorch and tf2onnx emit around them
 * (Shape, Gather, Unsqueeze, Concat, Reshape, Slice, Split, Transpose, Expand, Cast, ConstantOfShape ...). Attributes are read
 * and checked when the operator is built, at import time.
 *
 * <p>The dispatch is one table from op type to the family class that builds it: {@link Activations} (and unary
 * arithmetic), {@link Broadcast} (binary and variadic arithmetic, Expand), {@link Normalization} (batch normalisation, softmax, reductions),
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
        m.put("HardSigmoid", Activations::hardSigmoid);
        m.put("HardSwish", Activations::hardSwish);
        m.put("Erf", Activations::erf);
        m.put("Exp", Activations::exp);
        m.put("Neg", Activations::neg);
        m.put("Sqrt", Activations::sqrt);
        m.put("Pow", (a, opset) -> Broadcast.op(Broadcast.Kind.POW, a));
        m.put("Max", (a, opset) -> Broadcast.variadic(Broadcast.Kind.MAX, a));
        m.put("Min", (a, opset) -> Broadcast.variadic(Broadcast.Kind.MIN, a));
        m.put("Expand", Broadcast::expand);
        m.put("Equal", Broadcast::equal);
        m.put("Where", Broadcast::select);
        m.put("Split", Indexing::split);
        m.put("LayerNormalization", Normalization::layerNormalization);
        return Collections.unmodifiableMap(m);
    }

    /**
     * A Reshape whose constant shape starts with a fixed batch size (how {@code x.view(x.size(0), -1)} is exported
     * without a dynamic batch axis): the first value of the shape input is replaced, at each run, by the data
     * input's leading dimension. The importer decides when a Reshape is one.
     *
     * @param a     the Reshape node's attributes
     * @param opset the model's default-domain opset
     * @return the operator
     */
    public static Op batchReshape(OpAttributes a, int opset) {
        return Shapes.batchReshape(a, opset);
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
