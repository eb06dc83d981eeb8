/**
 * The training-free error model (after agnapprox): how much each approximate multiplier perturbs each
 * approximable layer, and how much a perturbation of each layer reaches the logits. It needs FP32 passes
 * over calibration images only, never an approximate evaluation, so a search can rank candidates cheaply.
 * {@link org.axdse.kernel.estimate.ErrorModel} is the public face; behind it, {@code LayerStatistics} captures
 * what the calibration pass measures, {@code AnalyticModel} computes the layer error from it, and
 * {@code NoiseSimulation} runs the passes with injected noise. This page defines the model.
 *
 * <h2>What is measured ({@link org.axdse.kernel.estimate.ErrorModel#estimate estimate})</h2>
 * One FP32 pass (every layer {@code exact-fp32}) over the first {@code count} images, then one more per
 * layer with noise injected. For every approximable layer {@code l}:
 * <ul>
 *   <li><b>Activation-code distribution</b> {@code p_l,s(a)} per quantization scheme {@code s}
 *       (unsigned-affine and signed-symmetric): each FP32 input element {@code x} of the layer is coded with
 *       {@code QuantParams.fromRange(s, ranges.min(l), ranges.max(l)).quantize(x)}, exactly the codes the
 *       kernels compute under static ranges. Convolution padding is a real zero, so its taps are the zero
 *       point's code. The distribution is meant over (output position, tap) pairs, the products the layer
 *       multiplies, and is built as follows: with {@code R} the number of (output position, kernel offset)
 *       pairs per channel whose input lies inside the image and {@code P} those in the padding (counted
 *       exactly from the geometry; stride and dilation included), the padded taps get the exact share
 *       {@code P / (P + R)}, and the remaining share is spread over the real elements <i>uniformly</i>. This
 *       is a simplification: border elements are read by fewer output positions than interior ones (and
 *       with stride &gt; 1 some elements by none), which the uniform weighting ignores. The histogram
 *       ({@link org.axdse.kernel.estimate.ErrorModel#activationHistogram activationHistogram}) holds these weights as integers: each real element of each image
 *       counts {@code R / d} and each image's padding adds {@code C * H * W * P / d} at the zero point's
 *       code, {@code d = gcd(R, P * H * W)}; without padding (dense layers, valid convolutions) that is one
 *       count per element. All input channels are pooled into one distribution, used for every output
 *       channel.</li>
 *   <li><b>Output statistics</b>: mean and variance of the layer's FP32 output over all its elements
 *       (every image, channel and position; double accumulation); {@code sigma_l} is the standard
 *       deviation.</li>
 *   <li><b>Noise gain</b> {@code g_l}: a further FP32 pass adds independent Gaussian noise
 *       {@code N(0, (rho * sigma_l)^2)}, {@code rho} = {@value org.axdse.kernel.estimate.ErrorModel#NOISE_RHO}, to every element of layer
 *       {@code l}'s output (seeded by {@code (seed, l)}, drawn in image order, so, like every statistic
 *       here, independent of the batch size) and measures {@code g_l = [mean((z' - z)^2) / var(z)] / rho^2}, where {@code z} are the clean
 *       logits, {@code z'} the noisy ones, mean and (population) variance taken over all logit elements of
 *       all images. {@code g_l} is the logits' squared noise-to-signal ratio per unit of squared NSR injected
 *       at layer {@code l}. It is 0 when {@code sigma_l = 0} (nothing to scale the noise by); +Infinity if
 *       the logits are constant but the noise moved them.</li>
 * </ul>
 * Weights are quantized exactly as {@link org.axdse.kernel.model.ForwardPass} quantizes them
 * ({@link org.axdse.kernel.model.ForwardPass#weightQuantization}: per tensor or per output channel after
 * {@link org.axdse.kernel.model.QuantConfig}); for
 * output channel {@code o}, {@code h_o(w)} counts its {@code K} taps with code {@code w} and
 * {@code sw_o} is its scale; {@code sa} is the layer's input scale.
 *
 * <h2>The layer error ({@link org.axdse.kernel.estimate.ErrorModel#relativeError relativeError})</h2>
 * For a table of signedness {@code s} (codes {@code a, w} are 0..255 for unsigned tables, -128..127 for
 * signed ones; the table is indexed by their byte patterns), the product error is
 * {@code e(a, w) = table[a][w] - a * w}. The kernels compute zero-point terms exactly, so the integer
 * accumulator of an output value is off by exactly {@code sum over its taps of e(a_k, w_k)}, and the
 * output by {@code sa * sw_o} times that. Treating each tap's activation code as an independent draw from
 * {@code p} (independent of the weight and of the other taps):
 * <pre>
 *   ebar(w) = sum_a p(a) e(a, w)            m2(w) = sum_a p(a) e(a, w)^2
 *   mean_o  = sum_w h_o(w) ebar(w)          var_o = sum_w h_o(w) (m2(w) - ebar(w)^2)
 *   MSE     = (1 / O) sum_o (sa * sw_o)^2 (mean_o^2 + var_o)
 *   relativeError = sqrt(MSE) / sigma_l
 * </pre>
 * {@code MSE} is the mean square, over output elements, of the difference between the layer's output
 * with the table and with the exact multiplier under the same quantization (quantization error itself is
 * not part of it). The result is a noise-to-signal ratio: 0 exactly for an exact table (and whenever
 * {@code MSE = 0}), +Infinity when {@code sigma_l = 0 < MSE}.
 *
 * <h2>Simulated accuracy effect
 * ({@link org.axdse.kernel.estimate.ErrorModel#predictedDisagreement predictedDisagreement})</h2>
 * The per-channel mean and variance above define the error the table would add to each output element;
 * adding exactly that (the mean as an offset, the variance as Gaussian noise) to the layer's FP32 output and
 * counting how many calibration images change their top-1 class predicts the table's accuracy cost on that
 * layer without running it; with the calibration labels, {@link org.axdse.kernel.estimate.ErrorModel#predictedAccuracyDrop predictedAccuracyDrop} counts the images
 * that go from right to wrong minus those that go from wrong to right. The search's error-model strategy
 * uses the latter as its per-layer cost.
 *
 * <h2>Combining layers</h2>
 * Under the linear, independent-noise model the logits' squared NSR of an assignment is
 * {@code sum_l g_l * relativeError_l^2} ({@link org.axdse.kernel.estimate.ErrorModel#predictedLogitNoise predictedLogitNoise} is one term), and
 * {@link org.axdse.kernel.estimate.ErrorModel#tolerance tolerance} {@code = 1 / sqrt(g_l)} is the layer NSR at which the logits' NSR alone would reach 1.
 *
 * <h2>Dependencies</h2>
 * This package depends on {@link org.axdse.kernel.model} (the forward pass and its
 * {@link org.axdse.kernel.model.ForwardPass.LayerHook layer hook}, assignments, ranges, the top-1 rule),
 * {@link org.axdse.kernel.graph} (tensors), {@link org.axdse.kernel.lut}, {@link org.axdse.kernel.quant},
 * {@link org.axdse.kernel.conv} (geometry) and the root package; nothing in kernel-lib depends on it.
 */
package org.axdse.kernel.estimate;
