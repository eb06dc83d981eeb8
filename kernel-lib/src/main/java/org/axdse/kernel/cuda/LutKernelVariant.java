package org.axdse.kernel.cuda;

import org.axdse.kernel.lut.MultiplierTable;

/**
 * Where a LUT kernel reads the 256 x 256 table from. The choice is {@link #choose}, a pure function of the
 * table's value range and the device's opt-in shared memory limit.
 */
public enum LutKernelVariant {
    /**
     * The int32 table (256 KiB) read from global memory through the read-only data cache ({@code __ldg}):
     * works for every table and device; the table's hot rows stay in L1/L2.
     */
    LDG("axdse_lut_conv2d_ldg", "axdse_lut_dense_ldg"),
    /**
     * A 16-bit copy of the table (128 KiB) loaded into each block's dynamic shared memory: every lookup is a
     * shared-memory read. The kernels read the low 16 bits back zero-extended for unsigned tables and
     * sign-extended for signed ones, so it needs every entry in {@code [0, 65535]} (unsigned; every TFApprox
     * table) or {@code [-32768, 32767]} (signed), and a device that grants {@link #SHARED_BYTES} of shared
     * memory per block ({@code MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}: e.g. A100 163 KiB, H100 227 KiB; not T4,
     * and not sm_86/89/120 consumer parts with 99 KiB). One 1024-thread block per multiprocessor, each
     * loading the table once.
     */
    SMEM16("axdse_lut_conv2d_smem16", "axdse_lut_dense_smem16");

    /** Dynamic shared memory of the {@link #SMEM16} kernels: 65,536 int16 entries. */
    public static final int SHARED_BYTES = MultiplierTable.ENTRIES * 2;
    /** Threads per block of the quantize and {@link #LDG} kernels. */
    public static final int BLOCK_THREADS = 256;
    /** Threads per block of the {@link #SMEM16} kernels (their {@code __launch_bounds__}). */
    public static final int SMEM16_BLOCK_THREADS = 1024;
    /** Most blocks per launch; the kernels' grid-stride loops cover the rest. */
    public static final int MAX_BLOCKS = 65535 * 4;

    private final String convFunction;
    private final String denseFunction;

    LutKernelVariant(String convFunction, String denseFunction) {
        this.convFunction = convFunction;
        this.denseFunction = denseFunction;
    }

    /** @return the PTX entry point of the convolution kernel */
    public String convFunction() {
        return convFunction;
    }

    /** @return the PTX entry point of the dense kernel */
    public String denseFunction() {
        return denseFunction;
    }

    /**
     * @return the PTX entry point of the convolution kernel that also writes each output's int64 accumulator
     *         ({@code axdse_lut_conv2d_acc_*}: the convolution kernel's parameters, then the accumulators)
     */
    public String convAccFunction() {
        return accFunction(convFunction);
    }

    /** @return the PTX entry point of the dense kernel that also writes each output's int64 accumulator */
    public String denseAccFunction() {
        return accFunction(denseFunction);
    }

    /** {@code axdse_lut_conv2d_ldg} -> {@code axdse_lut_conv2d_acc_ldg}. */
    private static String accFunction(String function) {
        int last = function.lastIndexOf('_');
        return function.substring(0, last) + "_acc" + function.substring(last);
    }

    /** @return dynamic shared memory bytes per block at launch */
    public int sharedBytes() {
        return this == SMEM16 ? SHARED_BYTES : 0;
    }

    /**
     * The variant to use: the shared-memory table when it is possible, else the read-only-cache one.
     *
     * @param tableFits16Bits      whether every table entry fits the 16-bit copy ({@link #fits16Bits})
     * @param sharedPerBlockOptin  the device's {@code CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN}, bytes
     * @return {@link #SMEM16} when both allow it, else {@link #LDG}
     */
    public static LutKernelVariant choose(boolean tableFits16Bits, int sharedPerBlockOptin) {
        return tableFits16Bits && allowsSmem16(sharedPerBlockOptin) ? SMEM16 : LDG;
    }

    /**
     * @param sharedPerBlockOptin the device's opt-in shared memory limit per block, bytes
     * @return whether the {@link #SMEM16} kernels can be launched on it
     */
    public static boolean allowsSmem16(int sharedPerBlockOptin) {
        return sharedPerBlockOptin >= SHARED_BYTES;
    }

    /**
     * @param table a multiplier
     * @return whether every entry survives the 16-bit copy: {@code [0, 65535]} for unsigned tables (read back
     *         zero-extended), {@code [-32768, 32767]} for signed ones (sign-extended)
     */
    public static boolean fits16Bits(MultiplierTable table) {
        boolean unsigned = table.signedness() == org.axdse.kernel.lut.Signedness.UNSIGNED;
        int min = unsigned ? 0 : Short.MIN_VALUE;
        int max = unsigned ? 0xFFFF : Short.MAX_VALUE;
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            int v = table.entry(i);
            if (v < min || v > max) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param table a multiplier that {@link #fits16Bits fits 16 bits}
     * @return its entries' low 16 bits, same order
     */
    static short[] int16Entries(MultiplierTable table) {
        short[] s = new short[MultiplierTable.ENTRIES];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) table.entry(i);
        }
        return s;
    }

    /**
     * Blocks of a launch over {@code total} elements (one thread each, grid-stride beyond {@link #MAX_BLOCKS}).
     *
     * @param total elements; at least 1
     * @return {@code min(ceil(total / 256), 65535 * 4)}
     */
    public static int gridBlocks(long total) {
        if (total < 1) {
            throw new IllegalArgumentException("launch over " + total + " elements: expected at least 1");
        }
        return (int) Math.min((total + BLOCK_THREADS - 1) / BLOCK_THREADS, MAX_BLOCKS);
    }

    /** @return threads per block of this variant's LUT kernels */
    public int blockThreads() {
        return this == SMEM16 ? SMEM16_BLOCK_THREADS : BLOCK_THREADS;
    }

    /**
     * Blocks of a LUT-kernel launch: as {@link #gridBlocks(long)} for {@link #LDG}; for {@link #SMEM16} at most one
     * block per multiprocessor (only one fits, and each block stages the whole table once).
     *
     * @param total           output elements; at least 1
     * @param multiprocessors the device's multiprocessors
     * @return blocks
     */
    public int gridBlocks(long total, int multiprocessors) {
        if (this == LDG) {
            return gridBlocks(total);
        }
        if (total < 1) {
            throw new IllegalArgumentException("launch over " + total + " elements: expected at least 1");
        }
        return (int) Math.max(1, Math.min((total + SMEM16_BLOCK_THREADS - 1) / SMEM16_BLOCK_THREADS, multiprocessors));
    }
}
