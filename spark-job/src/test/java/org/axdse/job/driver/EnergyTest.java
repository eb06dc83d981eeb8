package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.junit.jupiter.api.Test;

/** ALWANN's relative energy on the bundled LeNet-5 and the project's library, computed by hand beside it. */
class EnergyTest {
    private static final Network NET = OnnxImporter.load(BundledModels.bytes(BundledModels.LENET5), "lenet5");
    private static final MultiplierLibrary LIB = MultiplierLibraries.load(Path.of("..", "luts"));

    private static Assignment assign(String... names) {
        List<MultiplierTable> tables = new ArrayList<>();
        for (String n : names) {
            tables.add(n == null ? null : LIB.get(n).table());
        }
        return Assignment.of(tables);
    }

    private static String[] uniform(String name) {
        String[] names = new String[NET.layers().size()];
        Arrays.fill(names, name);
        return names;
    }

    @Test
    void exactIsOneAndAUniformAssignmentIsItsPowerRatio() {
        assertEquals(1.0, Energy.relative(NET, assign(uniform("mul8u_exact")), LIB), 1e-12);
        assertEquals(1.0, Energy.relative(NET, assign(uniform(null)), LIB), 1e-12, "FP32 layers count as exact");
        double p = LIB.get("mul8u_trunc_k4c").info().power() / LIB.get("mul8u_exact").info().power();
        assertEquals(p, Energy.relative(NET, assign(uniform("mul8u_trunc_k4c")), LIB), 1e-12);
    }

    @Test
    void layersWeighByTheirMacs() {
        String[] names = uniform("mul8u_exact");
        names[0] = "mul8u_trunc_k4c";
        double num = 0;
        double den = 0;
        double exact = LIB.get("mul8u_exact").info().power();
        for (ApproxLayer l : NET.layers()) {
            double p = l.index() == 0 ? LIB.get("mul8u_trunc_k4c").info().power() : exact;
            num += l.macsPerImage() * p;
            den += l.macsPerImage() * exact;
        }
        double relative = Energy.relative(NET, assign(names), LIB);
        assertEquals(num / den, relative, 1e-12);
        assertTrue(relative < 1 && relative > LIB.get("mul8u_trunc_k4c").info().power(), "between the two powers");
    }

    @Test
    void aRelativeLibraryHasNoAbsolutePowerPerMac() {
        assertEquals("relative", LIB.powerUnit());
        assertTrue(Double.isNaN(Energy.powerPerMac(NET, assign(uniform("mul8u_exact")), LIB)));
    }
}
