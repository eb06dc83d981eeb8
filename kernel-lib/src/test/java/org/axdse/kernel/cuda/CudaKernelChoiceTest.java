package org.axdse.kernel.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.junit.jupiter.api.Test;

/** Which kernel variant and launch shape the CUDA layers use; pure logic, no GPU needed. */
class CudaKernelChoiceTest {
    static final int T4_OPTIN = 64 << 10;        // sm_75
    static final int V100_OPTIN = 96 << 10;      // sm_70
    static final int A100_OPTIN = 163 << 10;     // sm_80
    static final int H100_OPTIN = 227 << 10;     // sm_90

    @Test
    void theSharedMemoryTableNeedsAnInt16TableAndA128KibBlock() {
        assertEquals(LutKernelVariant.SMEM16, LutKernelVariant.choose(true, H100_OPTIN));
        assertEquals(LutKernelVariant.SMEM16, LutKernelVariant.choose(true, A100_OPTIN));
        assertEquals(LutKernelVariant.SMEM16, LutKernelVariant.choose(true, 131072), "exactly 128 KiB is enough");
        assertEquals(LutKernelVariant.LDG, LutKernelVariant.choose(true, 131071));
        assertEquals(LutKernelVariant.LDG, LutKernelVariant.choose(true, V100_OPTIN));
        assertEquals(LutKernelVariant.LDG, LutKernelVariant.choose(true, T4_OPTIN));
        assertEquals(LutKernelVariant.LDG, LutKernelVariant.choose(false, H100_OPTIN), "int32 entries stay in global memory");
        assertEquals(LutKernelVariant.LDG, LutKernelVariant.choose(false, 0));
        assertEquals(131072, LutKernelVariant.SMEM16.sharedBytes());
        assertEquals(0, LutKernelVariant.LDG.sharedBytes());
    }

    @Test
    void int16FitFollowsTheTableEntries() {
        assertTrue(LutKernelVariant.fits16Bits(MultiplierTable.exact(Signedness.SIGNED)), "products of -128..127 fit");
        // Unsigned tables are 0..65535 by validation, so every one fits (read back zero-extended).
        assertTrue(LutKernelVariant.fits16Bits(MultiplierTable.exact(Signedness.UNSIGNED)), "255 * 255 = 65025 fits 16 unsigned bits");
        int[] top = new int[MultiplierTable.ENTRIES];
        java.util.Arrays.fill(top, 0xFFFF);
        assertTrue(LutKernelVariant.fits16Bits(MultiplierTable.of("top", Signedness.UNSIGNED, top)));
        assertEquals(-1, LutKernelVariant.int16Entries(MultiplierTable.of("top", Signedness.UNSIGNED, top))[0],
                "65535's low 16 bits, which the kernel zero-extends");
        assertFalse(LutKernelVariant.fits16Bits(TestTables.randomTable(Signedness.SIGNED, 1)), "an entry of -2^20");
        int[] e = new int[MultiplierTable.ENTRIES];
        e[5] = Short.MIN_VALUE;
        e[6] = Short.MAX_VALUE;
        MultiplierTable edges = MultiplierTable.of("edges", Signedness.SIGNED, e);
        assertTrue(LutKernelVariant.fits16Bits(edges));
        short[] s = LutKernelVariant.int16Entries(edges);
        assertEquals(Short.MIN_VALUE, s[5]);
        assertEquals(Short.MAX_VALUE, s[6]);
        e[7] = Short.MAX_VALUE + 1;
        assertFalse(LutKernelVariant.fits16Bits(MultiplierTable.of("over", Signedness.SIGNED, e)));
        e[7] = Short.MIN_VALUE - 1;
        assertFalse(LutKernelVariant.fits16Bits(MultiplierTable.of("under", Signedness.SIGNED, e)));
        // A small unsigned table fits as well.
        int[] small = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < small.length; i++) {
            small[i] = ((i >>> 8) * (i & 0xFF)) >> 2;
        }
        assertTrue(LutKernelVariant.fits16Bits(MultiplierTable.of("small", Signedness.UNSIGNED, small)));
    }

    @Test
    void sharedMemoryKernelsRunOneFullBlockPerMultiprocessor() {
        assertEquals(1024, LutKernelVariant.SMEM16.blockThreads());
        assertEquals(256, LutKernelVariant.LDG.blockThreads());
        assertEquals(1, LutKernelVariant.SMEM16.gridBlocks(1, 132));
        assertEquals(2, LutKernelVariant.SMEM16.gridBlocks(1025, 132));
        assertEquals(132, LutKernelVariant.SMEM16.gridBlocks(10_000_000, 132), "H100: 132 SMs");
        assertEquals(LutKernelVariant.gridBlocks(10_000_000), LutKernelVariant.LDG.gridBlocks(10_000_000, 132));
    }

    @Test
    void gridsCoverEveryElementWithGridStrideLoopsBeyondTheCap() {
        assertEquals(1, LutKernelVariant.gridBlocks(1));
        assertEquals(1, LutKernelVariant.gridBlocks(256));
        assertEquals(2, LutKernelVariant.gridBlocks(257));
        assertEquals(65535 * 4, LutKernelVariant.gridBlocks(256L * 65535 * 4));
        assertEquals(65535 * 4, LutKernelVariant.gridBlocks(Integer.MAX_VALUE));
        assertEquals(65535 * 4, LutKernelVariant.gridBlocks(Long.MAX_VALUE / 2));
        assertThrows(IllegalArgumentException.class, () -> LutKernelVariant.gridBlocks(0));
        assertEquals(256, LutKernelVariant.BLOCK_THREADS);
    }

    @Test
    void entryPointsFollowTheKernelAbi() {
        assertEquals("axdse_lut_conv2d_ldg", LutKernelVariant.LDG.convFunction());
        assertEquals("axdse_lut_conv2d_smem16", LutKernelVariant.SMEM16.convFunction());
        assertEquals("axdse_lut_dense_ldg", LutKernelVariant.LDG.denseFunction());
        assertEquals("axdse_lut_dense_smem16", LutKernelVariant.SMEM16.denseFunction());
        assertEquals("axdse_quantize", CudaContext.QUANTIZE_FUNCTION);
        assertEquals("/org/axdse/kernel/cuda/lut_kernels.ptx", CudaContext.PTX_RESOURCE);
    }

    @Test
    void whenThePtxIsPackagedItDefinesEveryEntryPointWithTheAbisParameterCount() {
        org.junit.jupiter.api.Assumptions.assumeTrue(CudaContext.ptxPresent(), CudaContext.PTX_RESOURCE + " not built yet");
        String ptx = CudaContext.ptx();
        assertEntry(ptx, CudaContext.QUANTIZE_FUNCTION, 6);
        for (LutKernelVariant v : LutKernelVariant.values()) {
            assertEntry(ptx, v.convFunction(), 26);
            assertEntry(ptx, v.denseFunction(), 13);
        }
    }

    /** Asserts that {@code .entry name(...)} exists with {@code params} parameters. */
    private static void assertEntry(String ptx, String name, int params) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.entry\\s+" + name + "\\s*\\(([^)]*)\\)").matcher(ptx);
        assertTrue(m.find(), name + " is not an entry of the PTX");
        assertEquals(params, m.group(1).split(",").length, name + " parameters: " + m.group(1));
    }
}
