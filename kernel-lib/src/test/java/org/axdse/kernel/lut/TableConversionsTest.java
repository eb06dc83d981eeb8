package org.axdse.kernel.lut;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and CSV tables. */
class TableConversionsTest {
    @TempDir
    Path dir;

    @Test
    void everyFormatRoundTrips() {
        for (Signedness s : Signedness.values()) {
            MultiplierTable t = TestTables.randomTable(s, 3);
            for (String ext : new String[] {".bin", ".npy", ".csv"}) {
                Path f = dir.resolve("t" + s + ext);
                TableConversions.write(t, f);
                assertArrayEquals(t.entries(), TableConversions.read(f, s).entries(), s + ext);
            }
        }
    }

    @Test
    void npyOfOtherIntegerTypesAndOrdersIsRead() throws Exception {
        MultiplierTable t = TestTables.randomTable(Signedness.UNSIGNED, 8);
        // big-endian uint16, Fortran (column-major) order, format version 2
        String dict = "{'descr': '>u2', 'fortran_order': True, 'shape': (256, 256), }";
        String header = dict + " ".repeat(64 - (12 + dict.length() + 1) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(12 + header.length() + 2 * 65536);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0});
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(header.length()).order(ByteOrder.BIG_ENDIAN);
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int w = 0; w < 256; w++) {
            for (int a = 0; a < 256; a++) {
                b.putShort((short) t.product(a, w));
            }
        }
        Path f = dir.resolve("fortran.npy");
        Files.write(f, b.array());
        assertArrayEquals(t.entries(), TableConversions.read(f, Signedness.UNSIGNED).entries());
    }

    @Test
    void malformedNpyAndCsvAreNamed() throws Exception {
        Path npy = dir.resolve("bad.npy");
        Files.write(npy, "not numpy".getBytes(StandardCharsets.US_ASCII));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TableConversions.read(npy, Signedness.UNSIGNED));
        assertTrue(e.getMessage().startsWith(npy + ": not a NumPy .npy file"), e.getMessage());

        byte[] good = TableConversions.npy(MultiplierTable.exact(Signedness.UNSIGNED));
        String h = new String(good, 10, good.length - 10, StandardCharsets.ISO_8859_1).replace("(256, 256)", "(256, 128)");
        Files.write(npy, concat(java.util.Arrays.copyOf(good, 10), h.getBytes(StandardCharsets.ISO_8859_1)));
        e = assertThrows(InvalidInputException.class, () -> TableConversions.read(npy, Signedness.UNSIGNED));
        assertTrue(e.getMessage().contains("expected a 256 x 256 array, got shape (256, 128)"), e.getMessage());

        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,2,3\n");
        e = assertThrows(InvalidInputException.class, () -> TableConversions.read(csv, Signedness.UNSIGNED));
        assertTrue(e.getMessage().equals(csv + ":1: expected 256 values, got 3"), e.getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
