package org.axdse.kernel.model;

import java.util.List;

import org.axdse.kernel.graph.Op;

/**
 * One step of a network's evaluation, in graph order: an operator node, or an approximable layer. A layer writes
 * one value, {@code outputs.get(0)}; an operator writes one value per output it computes (Split: several).
 *
 * @param name    node name
 * @param opType  ONNX op type
 * @param op      the operator, or null for a layer step
 * @param layer   the approximable layer index, or -1
 * @param inputs  value names read
 * @param outputs value names written
 */
public record Step(String name, String opType, Op op, int layer, List<String> inputs, List<String> outputs) {
}
