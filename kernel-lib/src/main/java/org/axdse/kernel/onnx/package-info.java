/**
 * ONNX import and writing.
 *
 * <ul>
 *   <li>{@link org.axdse.kernel.onnx.OnnxImporter}: reads a model (opsets 11..17, as torch.onnx.export and
 *       tf2onnx write ordinary CNNs) into a {@link org.axdse.kernel.model.Network}: Conv, Gemm and MatMul become
 *       approximable layers (a following BatchNormalization or bias Add folded in), other nodes become
 *       {@link org.axdse.kernel.graph.Operators operators}, constant subgraphs are folded, shapes are inferred on
 *       one zero image, fixed-batch exports are generalised where their Reshapes allow it. Package-private steps
 *       of an import: {@code ModelGraph} (the graph read and checked), {@code NetworkBuilder} (the node walk),
 *       {@code LayerImport} (layers and the folding into them).</li>
 *   <li>{@link org.axdse.kernel.onnx.OnnxModelWriter}: writes small models (the bundled ones, test graphs).</li>
 *   <li>{@link org.axdse.kernel.onnx.Tensors}: ONNX tensors to {@link org.axdse.kernel.graph.Tensor}s and back.</li>
 *   <li>{@code Onnx}: the protobuf classes generated from {@code src/main/proto/onnx_subset.proto} (the part of
 *       ONNX's format AxDSE reads and writes).</li>
 * </ul>
 *
 * <p>Depends on {@link org.axdse.kernel.model}, {@link org.axdse.kernel.graph}, {@link org.axdse.kernel.conv}
 * ({@code Conv2dGeometry}), the root package and the protobuf runtime. Nothing else in kernel-lib depends on it:
 * an executor that gets a {@link org.axdse.kernel.model.Network} some other way needs no protobuf.
 */
package org.axdse.kernel.onnx;
