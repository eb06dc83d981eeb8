package org.axdse.kernel.lut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading, writing and validating table files. */
class MultiplierTableFilesTest {
    @TempDir
    Path dir;

    @Test
    void unsignedTableRoundTripsThroughTheTfApproxFormat() throws Exception {
        MultiplierTable t = TestTables.randomTable(Signedness.UNSIGNED, 11);
        Path f = dir.resolve("mul8u_rand.bin");
        MultiplierTableFiles.write(t, f);
        assertEquals(131_072, Files.size(f));
        MultiplierTable back = MultiplierTableFiles.read(f, Signedness.UNSIGNED);
        assertEquals("mul8u_rand", back.name());
        assertArrayEquals(t.entries(), back.entries());
    }

    @Test
    void tfApproxLayoutIsLittleEndianRowMajorByActivation() throws Exception {
        // Hand-built file: entry (a=3, w=200) = 0xBEEF, everything else 0.
        ByteBuffer b = ByteBuffer.allocate(131_072).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(2 * (3 * 256 + 200), (short) 0xBEEF);
        Path f = dir.resolve("one.bin");
        Files.write(f, b.array());
        MultiplierTable t = MultiplierTableFiles.read(f, Signedness.UNSIGNED);
        assertEquals(0xBEEF, t.product(3, 200));
        assertEquals(0, t.product(200, 3));
        assertFalse(t.isSymmetric());
    }

    @Test
    void signedTablesUseByteOrderedCodesAndInt16OrInt32() throws Exception {
        MultiplierTable exact = MultiplierTable.exact(Signedness.SIGNED);
        assertEquals(-128 * 127, exact.product(-128, 127));
        assertEquals(16_384, exact.product(-128, -128));
        // row of code -128 is the 129th row (byte pattern 0x80)
        assertEquals(exact.entry((0x80 << 8) | 0x7F), exact.product(-128, 127));

        Path f16 = dir.resolve("mul8s_exact.bin");
        MultiplierTableFiles.write(exact, f16);
        assertEquals(131_072, Files.size(f16));
        assertEquals(exact, MultiplierTableFiles.read(f16, Signedness.SIGNED));

        int[] wide = exact.entries();
        wide[5] = 100_000;
        MultiplierTable w = MultiplierTable.of("wide", Signedness.SIGNED, wide);
        assertEquals(TableFormat.INT32, MultiplierTableFiles.formatFor(w));
        Path f32 = dir.resolve("wide.bin");
        MultiplierTableFiles.write(w, f32);
        assertEquals(262_144, Files.size(f32));
        assertEquals(w, MultiplierTableFiles.read(f32, Signedness.SIGNED));
    }

    @Test
    void wrongSizeNamesTheFileAndBothSizes() throws Exception {
        Path f = dir.resolve("short.bin");
        Files.write(f, new byte[131_070]);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MultiplierTableFiles.read(f, Signedness.UNSIGNED));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected 131072 bytes") && e.getMessage().contains("got 131070 bytes"),
                e.getMessage());

        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[262_144]);
        e = assertThrows(InvalidInputException.class, () -> MultiplierTableFiles.read(big, Signedness.UNSIGNED));
        assertTrue(e.getMessage().contains("got 262144 bytes"), e.getMessage());

        Path huge = dir.resolve("huge.bin");
        Files.write(huge, new byte[1 << 20]);
        e = assertThrows(InvalidInputException.class, () -> MultiplierTableFiles.read(huge, Signedness.SIGNED));
        assertTrue(e.getMessage().contains("got 1048576 bytes"), e.getMessage());
    }

    @Test
    void oversizedStreamIsRefusedWithoutReadingItAll() {
        byte[] data = new byte[300_000];
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierTableFiles.read(
                new ByteArrayInputStream(data), Signedness.SIGNED, "x", "hdfs://nn/luts/x.bin"));
        assertTrue(e.getMessage().startsWith("hdfs://nn/luts/x.bin: ") && e.getMessage().contains("more than 262144 bytes"),
                e.getMessage());
    }

    @Test
    void outOfRangeEntryNamesTheFileTheOperandsAndTheRange() throws Exception {
        ByteBuffer b = ByteBuffer.allocate(262_144).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(4 * ((0xFF << 8) | 2), 1 << 30); // a = -1, w = 2
        Path f = dir.resolve("corrupt.bin");
        Files.write(f, b.array());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MultiplierTableFiles.read(f, Signedness.SIGNED));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[a=-1][w=2] = 1073741824") && e.getMessage().contains("-1048576..1048576"),
                e.getMessage());
    }

    @Test
    void unsignedEntriesMustBeNonNegative() {
        int[] e = new int[MultiplierTable.ENTRIES];
        e[300] = -1;
        InvalidInputException ex = assertThrows(InvalidInputException.class,
                () -> MultiplierTable.of("neg", Signedness.UNSIGNED, e));
        assertTrue(ex.getMessage().contains("[a=1][w=44] = -1") && ex.getMessage().contains("0..65535"), ex.getMessage());
    }

    @Test
    void missingAndUnreadableFilesAreNamed() throws Exception {
        Path missing = dir.resolve("nope.bin");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> MultiplierTableFiles.read(missing, Signedness.UNSIGNED));
        assertTrue(e.getMessage().equals(missing + ": multiplier table file does not exist"), e.getMessage());

        Path aDirectory = Files.createDirectory(dir.resolve("adir.bin"));
        e = assertThrows(InvalidInputException.class, () -> MultiplierTableFiles.read(aDirectory, Signedness.UNSIGNED));
        assertTrue(e.getMessage().startsWith(aDirectory + ": "), e.getMessage());
    }

    @Test
    void writeIsAtomicAndLeavesNoTemporaryFiles() throws Exception {
        Path f = dir.resolve("t.bin");
        Files.write(f, new byte[] {1, 2, 3});
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED), f);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
        assertTrue(MultiplierTableFiles.read(f, Signedness.UNSIGNED).isExact());
    }

    @Test
    void exactTablesAreExactAndSymmetric() {
        for (Signedness s : Signedness.values()) {
            MultiplierTable t = MultiplierTable.exact(s);
            assertTrue(t.isExact());
            assertTrue(t.isSymmetric());
            assertEquals(s == Signedness.UNSIGNED ? 65_025 : 16_384, t.maxAbsEntry());
        }
        assertEquals(255 * 254, MultiplierTable.exact(Signedness.UNSIGNED).product(255, 254));
    }

    @Test
    void contentHashIgnoresTheNameButNotTheEntries() {
        MultiplierTable a = TestTables.randomTable(Signedness.UNSIGNED, 1);
        assertEquals(a.contentSha256(), a.renamed("other").contentSha256());
        int[] e = a.entries();
        e[1000]++;
        assertFalse(a.contentSha256().equals(MultiplierTable.of("x", Signedness.UNSIGNED, e).contentSha256()));
        assertFalse(Arrays.equals(a.entries(), e));
    }

    @Test
    void evoApproxExactTableLoadsAsExact() {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestTables.evoApproxPresent(), "../shared/evoapprox-mul8u absent");
        assertTrue(MultiplierTableFiles.read(TestTables.EVOAPPROX.resolve("mul8u_1JFF.bin"), Signedness.UNSIGNED).isExact());
    }
}
