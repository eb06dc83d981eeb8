package org.axdse.kernel.cuda.check;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axdse.kernel.conv.ConvShapes;
import org.axdse.kernel.cuda.LutKernelVariant;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantScheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU check's parts that need no device: arguments, cases, tables, comparison, JSON. */
class GpuCheckTest {
    private static int run(List<String> args, StringBuilder err) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = GpuCheck.run(args.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        err.append(e.toString(StandardCharsets.UTF_8)).append(o.toString(StandardCharsets.UTF_8));
        return status;
    }

    @Test
    void badArgumentsExitWithStatus2AndSayWhy(@TempDir Path tmp) {
        StringBuilder err = new StringBuilder();
        assertEquals(2, run(List.of(), err));
        assertTrue(err.toString().contains("expected the output directory"), err.toString());
        err.setLength(0);
        assertEquals(2, run(List.of("--fast", tmp.toString()), err));
        assertTrue(err.toString().contains("unexpected argument '--fast'"), err.toString());
        err.setLength(0);
        assertEquals(2, run(List.of("--device", "first", tmp.toString()), err));
        assertTrue(err.toString().contains("--device: expected a device ordinal"), err.toString());
        err.setLength(0);
        assertEquals(2, run(List.of(tmp.toString(), tmp.resolve("second").toString()), err));
        err.setLength(0);
        assertEquals(0, run(List.of("--help"), err));
        assertTrue(err.toString().startsWith("usage: GpuCheck [--quick] [--device N] OUT_DIR"), err.toString());
    }

    @Test
    void casesCoverEveryShapeSchemeWeightQuantizationAndVariantWithDistinctSeeds() {
        List<EqualityCase> conv = EqualityCase.convolutions();
        List<EqualityCase> dense = EqualityCase.denseLayers();
        assertEquals(ConvShapes.device().size() * 2 * 2 * 2, conv.size());
        assertEquals(ConvShapes.dense().size() * 2 * 2 * 2, dense.size());
        assertEquals(ConvShapes.awkward().size() + 3, ConvShapes.device().size());
        assertEquals(1, conv.get(0).seed());
        assertEquals(100, dense.get(0).seed());
        List<EqualityCase> all = EqualityCase.all();
        assertEquals(conv.size() + dense.size() + 2, all.size());
        Set<String> names = new HashSet<>();
        for (EqualityCase c : all) {
            assertTrue(names.add(c.toString() + " " + c.batch() + " " + c.geometry()), "one case each: " + c);
        }
        for (QuantScheme s : QuantScheme.values()) {
            for (LutKernelVariant v : LutKernelVariant.values()) {
                assertTrue(conv.stream().anyMatch(c -> c.scheme() == s && c.variant() == v && c.perChannel()));
                assertTrue(dense.stream().anyMatch(c -> c.scheme() == s && c.variant() == v && !c.perChannel()));
            }
        }
    }

    @Test
    void aCaseHasTheSameOperandsEveryTime() {
        for (EqualityCase c : List.of(EqualityCase.convolutions().get(17), EqualityCase.denseLayers().get(9),
                EqualityCase.beyondInt32().get(0))) {
            EqualityCase.Operands a = c.operands();
            EqualityCase.Operands b = c.operands();
            assertArrayEquals(a.input(), b.input());
            assertEquals(a.table().name(), b.table().name());
            assertArrayEquals(a.table().entries(), b.table().entries());
            assertEquals(a.activation(), b.activation());
            assertEquals(c.batch() * c.geometry().inputSize(), a.input().length);
        }
    }

    @Test
    void tablesFitTheirVariant() {
        for (Signedness s : Signedness.values()) {
            MultiplierTable t16 = CheckTables.forVariant(s, LutKernelVariant.SMEM16, 3);
            assertTrue(LutKernelVariant.fits16Bits(t16), t16.name());
            assertEquals(Short.MAX_VALUE, t16.entry(7 << 8));
            assertEquals(s == Signedness.UNSIGNED ? 777 : -777, t16.entry(0), "0 x 0 is not 0");
            MultiplierTable t32 = CheckTables.forVariant(s, LutKernelVariant.LDG, 3);
            assertEquals(s == Signedness.UNSIGNED, LutKernelVariant.fits16Bits(t32), "the signed int32 table is beyond int16");
        }
        assertTrue(Arrays.stream(CheckTables.huge().entries()).allMatch(e -> e == MultiplierTable.MAX_SIGNED_MAGNITUDE));
    }

    @Test
    void comparisonCountsAccumulatorAndOutputBitDifferences() {
        long[] acc = {1, 2, 3, 4};
        float[] out = {0f, 1f, Float.NaN, 2f};
        Equality.Outcome same = Equality.compare(acc, acc.clone(), out, out.clone(), 5);
        assertEquals(Equality.Status.PASSED, same.status());
        assertEquals(4, same.outputs());
        assertEquals("", same.detail());

        Equality.Outcome differ = Equality.compare(acc, new long[] {1, 2, 30, 4}, out, new float[] {-0f, 1f, Float.NaN, 2f}, 5);
        assertEquals(Equality.Status.FAILED, differ.status());
        assertEquals(1, differ.accMismatch());
        assertEquals(1, differ.outMismatch(), "+0.0 and -0.0 differ in their bits");
        assertTrue(differ.detail().contains("accumulator 2: CPU 3, CUDA 30"), differ.detail());
        assertTrue(differ.detail().contains("output 0: CPU 0.0 (0x00000000), CUDA -0.0 (0x80000000)"), differ.detail());
    }

    @Test
    void jsonWritesNestedValuesAndNonFiniteNumbersAsNull() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\"\tname\n");
        m.put("n", 3);
        m.put("rate", 412.34567891);
        m.put("whole", 2.0);
        m.put("nan", Double.NaN);
        m.put("none", null);
        m.put("list", List.of(true, List.of(), Map.of()));
        assertEquals("""
                {
                  "name": "a \\"quoted\\"\\tname\\n",
                  "n": 3,
                  "rate": 412.346,
                  "whole": 2,
                  "nan": null,
                  "none": null,
                  "list": [
                    true,
                    [],
                    {}
                  ]
                }
                """, Json.write(m));
    }

    @Test
    void ptxDirectivesAreRead() {
        String ptx = "//\n// Cuda compilation tools\n\n.version 9.0\n.target sm_75\n.address_size 64\n";
        assertEquals("9.0", GpuCheck.directive(ptx, ".version"));
        assertEquals("sm_75", GpuCheck.directive(ptx, ".target"));
        assertFalse(GpuCheck.directive(ptx, ".entry") != null);
    }
}
