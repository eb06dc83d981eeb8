package org.axdse.kernel.conv;

import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantizedWeights;

/** The Java kernels as a {@link LutKernels} backend; stateless. */
final class CpuLutKernels implements LutKernels {
    static final CpuLutKernels INSTANCE = new CpuLutKernels();

    private CpuLutKernels() {
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public LutKernel conv2d(Conv2dGeometry geometry, MultiplierTable table, QuantizedWeights weights, QuantParams activation,
                            float[] bias) {
        return CpuLutConv2d.create(geometry, table, weights, activation, bias);
    }

    @Override
    public LutKernel dense(int inFeatures, int outFeatures, MultiplierTable table, QuantizedWeights weights,
                           QuantParams activation, float[] bias) {
        return new CpuLutDense(inFeatures, outFeatures, table, weights, activation, bias);
    }

    @Override
    public String toString() {
        return name();
    }
}
