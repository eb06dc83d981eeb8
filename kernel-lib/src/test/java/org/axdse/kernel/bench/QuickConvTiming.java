package org.axdse.kernel.bench;

import java.util.Random;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.conv.*;
import org.axdse.kernel.lut.*;
import org.axdse.kernel.quant.*;

public class QuickConvTiming {
    public static void main(String[] args) {
        Conv2dGeometry g = args.length > 0 && args[0].equals("resnet")
                ? Conv2dGeometry.builder(64, 8, 8, 64, 3, 3).padding(1).build()
                : Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build();
        int batch = 256;
        Random r = new Random(1);
        float[] in = TestTables.randomFloats(r, batch * g.inputSize(), 0, 4);
        float[] wf = TestTables.randomFloats(r, g.weightSize(), -1, 1);
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, in, 0, in.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, wf, g.outChannels(), false);
        MultiplierTable t = TestTables.randomTable(Signedness.UNSIGNED, 3);
        CpuLutConv2d lut = CpuLutConv2d.create(g, t, w, act, null);
        CpuExactConv2d ex = new CpuExactConv2d(g, w, act, null);
        CpuFloatConv2d fl = new CpuFloatConv2d(g, wf, null);
        float[] out = new float[batch * g.outputSize()];
        long macs = g.macsPerImage() * batch;
        for (int rep = 0; rep < 5; rep++) {
            for (String k : new String[] {"lut", "int32", "fp32"}) {
                long t0 = System.nanoTime();
                int iters = 20;
                for (int i = 0; i < iters; i++) {
                    switch (k) {
                        case "lut" -> lut.forward(in, batch, out);
                        case "int32" -> ex.forward(in, batch, out);
                        default -> fl.forward(in, batch, out);
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%s %.2f GMAC/s%n", k, macs * iters / s / 1e9);
            }
        }
    }
}
