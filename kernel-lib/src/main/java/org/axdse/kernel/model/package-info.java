/**
 * The network model and its approximate evaluation.
 *
 * <ul>
 *   <li>{@link org.axdse.kernel.model.Network}: an imported CNN, its evaluation
 *       {@link org.axdse.kernel.model.Step steps} and its approximable layers
 *       ({@link org.axdse.kernel.model.ApproxLayer}: Conv, Gemm, MatMul).</li>
 *   <li>{@link org.axdse.kernel.model.Assignment}: a multiplier per approximable layer;
 *       {@link org.axdse.kernel.model.QuantConfig}: how layers quantize;
 *       {@link org.axdse.kernel.model.LayerRanges}: calibrated static input ranges.</li>
 *   <li>{@link org.axdse.kernel.model.ForwardPass}: evaluates a network on batches under assignments (FP32
 *       operators, LUT kernels for approximate layers, {@link org.axdse.kernel.model.FloatLayers} for FP32 ones),
 *       with prefix reuse, calibration, a {@link org.axdse.kernel.model.ForwardPass.LayerHook layer hook} and
 *       timing ({@link org.axdse.kernel.model.PassTimes}). Its parts are package-private: {@code LayerKernels} runs
 *       the approximable layers and owns their kernels and quantized weights, {@code PrefixReuse} orders the
 *       assignments and resumes each from its predecessor's values, {@code ReluFusion} finds the ReLUs applied
 *       inside layers, {@code PassClock} times steps, {@code Calibration} finds the static ranges.</li>
 *   <li>{@link org.axdse.kernel.model.Predictions}: the top-1 rule every accuracy is counted with.</li>
 * </ul>
 *
 * <p>Depends on {@link org.axdse.kernel.graph} (operators, tensors), {@link org.axdse.kernel.conv} (kernels),
 * {@link org.axdse.kernel.lut}, {@link org.axdse.kernel.quant} and the root package. It does not depend on
 * the importer ({@link org.axdse.kernel.onnx}, which builds networks through the public constructors) nor on
 * the error model ({@code org.axdse.kernel.estimate}, which uses the layer hook).
 */
package org.axdse.kernel.model;
