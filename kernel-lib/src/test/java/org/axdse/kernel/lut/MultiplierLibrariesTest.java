package org.axdse.kernel.lut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.TestTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading libraries: EvoApproxLib as users bring it, and every malformed row. */
class MultiplierLibrariesTest {
    @TempDir
    Path dir;

    @Test
    void evoApproxLibraryLoadsAsIs() {
        assumeTrue(TestTables.evoApproxPresent(), "../shared/evoapprox-mul8u absent");
        MultiplierLibrary lib = MultiplierLibraries.load(TestTables.EVOAPPROX);
        assertEquals(36, lib.size());
        assertEquals("mw", lib.powerUnit());
        assertEquals("um2", lib.areaUnit());
        assertEquals("ns", lib.delayUnit());
        assertTrue(lib.version().startsWith("sha256:"), lib.version());
        MultiplierInfo c8 = lib.get("mul8u_17C8").info();
        assertEquals(0.0019, c8.power());
        assertEquals(15.5, c8.area());
        assertEquals(Signedness.UNSIGNED, c8.signedness());
        assertEquals("mul8u_17C8.bin", c8.file());
        assertEquals("mul8u_1JFF", lib.exact(Signedness.UNSIGNED).orElseThrow().name());
        assertEquals("mul8u_1JFF", lib.names().get(0), "row order is kept");
    }

    @Test
    void unknownNamesAreReportedWithTheLibrary() {
        write("name,power\nmul8u_a,1\n", "mul8u_a");
        MultiplierLibrary lib = MultiplierLibraries.load(dir);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> lib.get("mul8u_b"));
        assertTrue(e.getMessage().startsWith("unknown multiplier 'mul8u_b' in library " + dir + " (1 known: mul8u_a)"),
                e.getMessage());
    }

    @Test
    void versionTagAndUnitComeFromComments() {
        write("# produced by hand\n# version: v7\n# unit: relative\nname,power,area\nmul8u_a,0.5,0.25\n", "mul8u_a");
        MultiplierLibrary lib = MultiplierLibraries.load(dir);
        assertEquals("v7", lib.version());
        assertEquals("relative", lib.powerUnit());
        assertEquals(0.25, lib.get("mul8u_a").info().area());
        assertTrue(Double.isNaN(lib.get("mul8u_a").info().delay()));
    }

    @Test
    void contentVersionDistinguishesReleasesThatReuseNames() {
        write("name\nmul8u_a\n", "mul8u_a");
        String v1 = MultiplierLibraries.load(dir).version();
        MultiplierTableFiles.write(TestTables.randomTable(Signedness.UNSIGNED, 5).renamed("mul8u_a"), dir.resolve("mul8u_a.bin"));
        String v2 = MultiplierLibraries.load(dir).version();
        assertFalse(v1.equals(v2), v1 + " vs " + v2);
    }

    @Test
    void missingFileNamesTheRow() {
        write("name,file,power\nmul8u_a,,1\nmul8u_b,b.bin,2\n", "mul8u_a");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("library.csv line 3 (mul8u_b): table file " + dir + "/b.bin does not exist"),
                e.getMessage());
    }

    @Test
    void duplicateNameNamesBothLines() {
        write("name\nmul8u_a\nmul8u_a\n", "mul8u_a");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("line 3 (mul8u_a): duplicate name mul8u_a (first on line 2)"), e.getMessage());
    }

    @Test
    void wrongSizeNamesTheRowAndTheSizes() throws Exception {
        write("name\nmul8u_a\n");
        Files.write(dir.resolve("mul8u_a.bin"), new byte[1000]);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("line 2 (mul8u_a): ") && e.getMessage().contains("expected 131072 bytes")
                && e.getMessage().contains("got 1000 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(": not an unsigned multiplier table: "), e.getMessage());
    }

    @Test
    void signednessMismatchIsRefused() {
        // A signed table listed as unsigned: negative products read as huge ones.
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.SIGNED).renamed("t"), dir.resolve("t.bin"));
        write("name,signed\nt,false\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("line 2 (t): signedness mismatch: read as unsigned the table's MAE is")
                && e.getMessage().contains("read as signed it is 0.0"), e.getMessage());
        // A mul8s name with signed=false contradicts itself.
        write("name,signed\nmul8s_x,false\n", "mul8s_x");
        e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("column signed says unsigned but the name mul8s_x says signed"), e.getMessage());
    }

    @Test
    void negativeAndNonNumericFiguresAreRefused() {
        write("name,power_mw\nmul8u_a,-0.1\n", "mul8u_a");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("line 2 (mul8u_a): column power_mw: expected a finite number >= 0, got -0.1"),
                e.getMessage());
        write("name,area\nmul8u_a,big\n", "mul8u_a");
        e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("column area: expected a number, got 'big'"), e.getMessage());
        write("file,power\nx.bin,1\n");
        e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("the header has no 'name' column"), e.getMessage());
    }

    @Test
    void aDirectoryOfTablesWithoutCsvIsALibraryWithUnknownFigures() {
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED), dir.resolve("mul8u_e.bin"));
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.SIGNED), dir.resolve("mul8s_e.bin"));
        MultiplierLibrary lib = MultiplierLibraries.load(dir);
        assertEquals(List.of("mul8s_e", "mul8u_e"), lib.names());
        assertEquals(Signedness.SIGNED, lib.get("mul8s_e").table().signedness());
        assertTrue(Double.isNaN(lib.get("mul8u_e").info().power()));
    }

    @Test
    void torchApproxStyleNpyTablesAreLibraryMembers() {
        MultiplierTable s = TestTables.randomTable(Signedness.SIGNED, 21);
        TableConversions.write(s, dir.resolve("mul8s_rand.npy"));
        write("name,file,power\nmul8s_rand,mul8s_rand.npy,0.1\n");
        assertEquals(s.contentSha256(), MultiplierLibraries.load(dir).get("mul8s_rand").table().contentSha256());
    }

    @Test
    void aRowWithMoreCellsThanTheHeaderIsRefused() {
        write("name,power_mw,area_um2\nmul8u_a,0,391,709.6\n", "mul8u_a");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().endsWith("library.csv line 2: 4 cells but the header has 3 columns (a stray comma? quote fields"
                + " that contain commas)"), e.getMessage());
    }

    @Test
    void quotedFieldsMayHoldCommas() {
        write("name,parameters,source\nmul8u_a,\"k=4,c=1\",\"a \"\"quoted\"\" source\"\n", "mul8u_a");
        MultiplierInfo i = MultiplierLibraries.load(dir).get("mul8u_a").info();
        assertEquals("k=4,c=1", i.parameters());
        assertEquals("a \"quoted\" source", i.source());
    }

    @Test
    void aByteOrderMarkAsSpreadsheetsWriteItIsAccepted() {
        write("\uFEFF# version: v1\nname,power\nmul8u_a,1\n", "mul8u_a");
        assertEquals("v1", MultiplierLibraries.load(dir).version());
        write("\uFEFFname,power\nmul8u_a,1\n", "mul8u_a");
        assertEquals(1.0, MultiplierLibraries.load(dir).get("mul8u_a").info().power());
    }

    @Test
    void aTableFileOutsideTheLibraryDirectoryIsRefused() throws Exception {
        Path inner = Files.createDirectories(dir.resolve("lib"));
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED).renamed("mul8u_out"), dir.resolve("mul8u_out.bin"));
        for (String file : List.of("../mul8u_out.bin", dir.resolve("mul8u_out.bin").toString(), "sub/../../mul8u_out.bin",
                "..\\mul8u_out.bin", "file:///etc/passwd")) {
            Files.writeString(inner.resolve("library.csv"), "name,file\nmul8u_out,\"" + file + "\"\n");
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(inner), file);
            assertTrue(e.getMessage().endsWith("library.csv line 2 (mul8u_out): column file: expected a path inside the library"
                    + " directory, got '" + file + "'"), e.getMessage());
        }
        Files.createDirectories(inner.resolve("tables"));
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED).renamed("mul8u_in"), inner.resolve("tables/in.bin"));
        Files.writeString(inner.resolve("library.csv"), "name,file\nmul8u_in,tables/in.bin\n");
        assertTrue(MultiplierLibraries.load(inner).contains("mul8u_in"), "a sub-folder is inside");
    }

    @Test
    void notALibrary() throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir.resolve("nope")));
        assertTrue(e.getMessage().endsWith("nope: not a multiplier library (no such directory)"), e.getMessage());
        Path file = Files.writeString(dir.resolve("library.csv"), "name\n");
        e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(file));
        assertEquals(file + ": not a multiplier library (a file, not a directory; give the folder that holds library.csv and"
                + " the tables)", e.getMessage());
        Files.delete(file);
        e = assertThrows(InvalidInputException.class, () -> MultiplierLibraries.load(dir));
        assertTrue(e.getMessage().contains("no library.csv and no *.bin tables"), e.getMessage());
    }

    private void write(String csv, String... exactTables) {
        try {
            Files.writeString(dir.resolve("library.csv"), csv);
            for (String t : exactTables) {
                Signedness s = t.startsWith("mul8s") ? Signedness.SIGNED : Signedness.UNSIGNED;
                MultiplierTableFiles.write(MultiplierTable.exact(s).renamed(t), dir.resolve(t + ".bin"));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
