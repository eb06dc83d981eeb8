package org.axdse.kernel.model;

/** A non-approximable ONNX operator, built and validated at import time, evaluated per batch in FP32/int64. */
interface Op {
    /**
     * @param inputs the node's inputs (null for an omitted optional input)
     * @return the node's outputs
     */
    Tensor[] run(Tensor[] inputs);
}
