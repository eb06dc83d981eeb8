/**
 * The FP32 operator interpreter: the non-approximable ONNX operators a network evaluates between its approximable
 * layers, as plain Java loops on {@code float[]} / {@code long[]} (bit-reproducible on every executor).
 *
 * <ul>
 *   <li>{@link org.axdse.kernel.graph.Tensor}: an immutable row-major float32 or int64 tensor.</li>
 *   <li>{@link org.axdse.kernel.graph.Op}: one built operator; {@link org.axdse.kernel.graph.Operators#create}
 *       builds one from its op type and {@link org.axdse.kernel.graph.OpAttributes} (read and checked then, at
 *       import time) and dispatches to one family class per kind of operator: activations, binary arithmetic
 *       with broadcasting, normalisation and reductions, pooling, shape changes, indexing, concatenation and
 *       padding, constants and casts.</li>
 *   <li>{@link org.axdse.kernel.graph.SpatialPads}: ONNX's {@code pads} / {@code auto_pad} for windows (pooling
 *       here, convolutions in the importer).</li>
 * </ul>
 *
 * <p>Depends on the root package (exceptions) and {@link org.axdse.kernel.conv} ({@code FloatLoops}, the ReLU
 * loop) only: not on the network model, ONNX's protobuf classes or the importer, which depend on it.
 */
package org.axdse.kernel.graph;
