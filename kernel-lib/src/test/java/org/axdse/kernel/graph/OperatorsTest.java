package org.axdse.kernel.graph;

import static org.axdse.kernel.graph.OpTests.attrs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;

/** The dispatch: which op types exist, in which order messages list them, and what an unknown type gets. */
class OperatorsTest {
    @Test
    void theSupportedTypesInTheirDocumentedOrder() {
        assertEquals(List.of("Relu", "Clip", "LeakyRelu", "Sigmoid", "Tanh", "MaxPool", "AveragePool", "GlobalAveragePool",
                "GlobalMaxPool", "Flatten", "Reshape", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Concat", "Softmax",
                "Identity", "Dropout", "Constant", "Pad", "Transpose", "Shape", "Gather", "Unsqueeze", "Squeeze", "Slice",
                "Cast", "ConstantOfShape", "LogSoftmax", "ReduceMean", "HardSigmoid", "HardSwish", "Erf", "Exp", "Neg", "Sqrt",
                "Pow", "Max", "Min", "Expand", "Equal", "Where", "Split", "LayerNormalization"), Operators.SUPPORTED);
    }

    @Test
    void everySupportedTypeBuildsWithItsRequiredAttributes() {
        Map<String, TestAttributes> required = Map.of(
                "MaxPool", attrs().ints("kernel_shape", 2, 2),
                "AveragePool", attrs().ints("kernel_shape", 2, 2),
                "Concat", attrs().integer("axis", 0),
                "Constant", attrs().real("value_float", 1f));
        for (String type : Operators.SUPPORTED) {
            assertTrue(Operators.supports(type), type);
            assertNotNull(Operators.create(type, required.getOrDefault(type, attrs()), 13), type);
        }
    }

    @Test
    void anUnknownTypeIsRefusedNamingTheNode() {
        assertFalse(Operators.supports("Conv"), "Conv is an approximable layer, not an operator");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Operators.create("GridSample", attrs(), 13));
        assertTrue(e.getMessage().startsWith("node: unsupported operator GridSample (opset 13); supported: Relu, Clip,"), e.getMessage());
    }
}
