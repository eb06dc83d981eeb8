package org.axdse.kernel.cuda.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.ConvShapes;
import org.axdse.kernel.conv.ConvShapes.DenseShape;
import org.axdse.kernel.conv.ConvShapes.Shape;
import org.axdse.kernel.cuda.LutKernelVariant;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * One comparison of a CUDA LUT kernel with its CPU kernel: a layer shape, a scheme, per-tensor or per-channel
 * weights, a table variant and the seed of its random table and data ({@link #operands()}). The lists
 * ({@link #convolutions()}, {@link #denseLayers()}, {@link #beyondInt32()}) are what both the GPU test
 * ({@code CudaLutKernelsGpuTest}) and the GPU check ({@link GpuCheck}) run.
 *
 * @param layer      the shape's label
 * @param batch      images (rows)
 * @param geometry   the convolution ({@link Conv2dGeometry#dense} for a dense layer)
 * @param dense      whether it runs the dense kernels
 * @param scheme     quantization scheme
 * @param perChannel per-output-channel weight quantization (else per tensor)
 * @param variant    the CUDA table variant
 * @param seed       seed of the table and the data
 * @param hugeTable  whether the table is {@link CheckTables#huge()} (sums beyond int32), else
 *                   {@link CheckTables#forVariant}
 */
public record EqualityCase(String layer, int batch, Conv2dGeometry geometry, boolean dense, QuantScheme scheme,
                           boolean perChannel, LutKernelVariant variant, long seed, boolean hugeTable) {

    /**
     * What a case's kernels are built from and run on.
     *
     * @param table      the multiplier
     * @param input      {@code batch * inputSize} floats
     * @param weights    quantized weights
     * @param activation input quantization (from the input's range)
     * @param bias       per output channel, or null
     */
    public record Operands(MultiplierTable table, float[] input, QuantizedWeights weights, QuantParams activation,
                           float[] bias) {
    }

    /**
     * @return every shape of {@link ConvShapes#device()} x both schemes x per-tensor and per-channel weights x both
     *         variants; seeds 1, 2, ... in that order
     */
    public static List<EqualityCase> convolutions() {
        List<EqualityCase> cases = new ArrayList<>();
        long seed = 1;
        for (Shape shape : ConvShapes.device()) {
            for (QuantScheme scheme : QuantScheme.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    for (LutKernelVariant v : LutKernelVariant.values()) {
                        cases.add(new EqualityCase(shape.label(), shape.batch(), shape.geometry(), false, scheme, perChannel, v,
                                seed++, false));
                    }
                }
            }
        }
        return cases;
    }

    /**
     * @return every shape of {@link ConvShapes#dense()} x both schemes x per-tensor and per-channel weights x both
     *         variants; seeds 100, 101, ... (odd seeds with a bias, even ones without)
     */
    public static List<EqualityCase> denseLayers() {
        List<EqualityCase> cases = new ArrayList<>();
        long seed = 100;
        for (DenseShape d : ConvShapes.dense()) {
            for (QuantScheme scheme : QuantScheme.values()) {
                for (boolean perChannel : new boolean[] {false, true}) {
                    for (LutKernelVariant v : LutKernelVariant.values()) {
                        cases.add(new EqualityCase("dense " + d.inFeatures() + "->" + d.outFeatures(), d.batch(),
                                Conv2dGeometry.dense(d.inFeatures(), d.outFeatures()), true, scheme, perChannel, v, seed++, false));
                    }
                }
            }
        }
        return cases;
    }

    /**
     * @return a convolution with K = 2304 (256 channels, 3x3) and the dense layer 2304 -> 2 with the
     *         {@link CheckTables#huge()} table: sums of 2304 x 2^20, beyond int32 (signed, {@link LutKernelVariant#LDG})
     */
    public static List<EqualityCase> beyondInt32() {
        return List.of(
                new EqualityCase("c256 3x3 oc2 3x3 pad1, K x 2^20 > 2^31", 1, Conv2dGeometry.builder(256, 3, 3, 2, 3, 3).padding(1).build(),
                        false, QuantScheme.SIGNED_SYMMETRIC, false, LutKernelVariant.LDG, 5, true),
                new EqualityCase("dense 2304->2, K x 2^20 > 2^31", 1, Conv2dGeometry.dense(2304, 2), true,
                        QuantScheme.SIGNED_SYMMETRIC, false, LutKernelVariant.LDG, 5, true));
    }

    /** @return {@link #convolutions()}, {@link #denseLayers()} and {@link #beyondInt32()} */
    public static List<EqualityCase> all() {
        List<EqualityCase> all = new ArrayList<>(convolutions());
        all.addAll(denseLayers());
        all.addAll(beyondInt32());
        return all;
    }

    /**
     * The case's table and data, the same on every machine for the same case. Convolutions: input in [-1.3, 2.7),
     * weights in [-0.4, 0.7), a bias in [-1, 1). Dense layers: input in [-0.7, 3), weights in [-0.3, 0.5), a bias
     * in [-1, 1) for odd seeds. Huge-table cases: input and weights in [-1, 1), per tensor, no bias. Activation
     * ranges from the input's values.
     *
     * @return the operands
     */
    public Operands operands() {
        Random r = new Random(seed);
        Conv2dGeometry g = geometry;
        if (hugeTable) {
            float[] input = CheckTables.randomFloats(r, batch * g.inputSize(), -1f, 1f);
            QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
            QuantizedWeights w = QuantizedWeights.quantize(scheme, CheckTables.randomFloats(r, g.weightSize(), -1f, 1f),
                    g.outChannels(), perChannel);
            return new Operands(CheckTables.huge(), input, w, act, null);
        }
        MultiplierTable lut = CheckTables.forVariant(scheme.signedness(), variant, seed);
        if (dense) {
            float[] x = CheckTables.randomFloats(r, batch * g.inputSize(), -0.7f, 3f);
            QuantParams act = QuantParams.fromValues(scheme, x, 0, x.length);
            QuantizedWeights w = QuantizedWeights.quantize(scheme, CheckTables.randomFloats(r, g.weightSize(), -0.3f, 0.5f),
                    g.outChannels(), perChannel);
            float[] bias = seed % 2 == 0 ? null : CheckTables.randomFloats(r, g.outChannels(), -1f, 1f);
            return new Operands(lut, x, w, act, bias);
        }
        float[] input = CheckTables.randomFloats(r, batch * g.inputSize(), -1.3f, 2.7f);
        float[] weights = CheckTables.randomFloats(r, g.weightSize(), -0.4f, 0.7f);
        float[] bias = CheckTables.randomFloats(r, g.outChannels(), -1f, 1f);
        QuantParams act = QuantParams.fromValues(scheme, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(scheme, weights, g.outChannels(), perChannel);
        return new Operands(lut, input, w, act, bias);
    }

    /** @return e.g. {@code conv b3 c3 23x23 oc23 3x3 pad1 | unsigned-affine per-tensor LDG} */
    @Override
    public String toString() {
        return (dense ? "b" + batch + " " : "conv ") + layer + " | " + scheme.name().toLowerCase().replace('_', '-')
                + (perChannel ? " per-channel " : " per-tensor ") + variant;
    }
}
