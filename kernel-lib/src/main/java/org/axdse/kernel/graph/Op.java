package org.axdse.kernel.graph;

/**
 * A non-approximable ONNX operator, built and validated when a model is imported ({@link Operators#create}),
 * evaluated per batch in FP32 or int64. Instances hold only their attributes, so one can serve several threads.
 */
@FunctionalInterface
public interface Op {
    /**
     * @param inputs the node's inputs (null for an omitted optional input); never modified
     * @return the node's outputs, freshly allocated or (Identity, Reshape, ...) sharing the input's values
     */
    Tensor[] run(Tensor[] inputs);
}
