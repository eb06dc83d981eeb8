package org.axdse.kernel.lut.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.axdse.kernel.TestTables;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed luts/ is exactly what the generator writes. */
class GeneratedLibraryTest {
    /** The shipped library, from kernel-lib's working directory. */
    static final Path SHIPPED = Path.of("..", "luts");

    @Test
    void generatorReproducesTheShippedLibraryByteForByte(@TempDir Path dir) throws Exception {
        GeneratedLibrary.write(dir);
        List<String> generated;
        try (Stream<Path> s = Files.list(dir)) {
            generated = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> shipped;
        try (Stream<Path> s = Files.list(SHIPPED)) {
            shipped = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("README.md")).sorted().toList();
        }
        assertEquals(generated, shipped, "luts/ holds exactly the generated files (run: submit/axdse luts generate)");
        for (String f : generated) {
            assertArrayEquals(Files.readAllBytes(dir.resolve(f)), Files.readAllBytes(SHIPPED.resolve(f)), "luts/" + f);
        }
        MultiplierLibrary lib = MultiplierLibraries.load(SHIPPED);
        assertEquals(GeneratedLibrary.VERSION, lib.version());
        assertEquals(GeneratedLibrary.designs().size(), lib.size());
        assertEquals("relative", lib.powerUnit());
    }

    @Test
    void generatedExactTableIsByteIdenticalToEvoApproxLibsExactMultiplier() throws Exception {
        assumeTrue(TestTables.evoApproxPresent(), "../shared/evoapprox-mul8u absent");
        assertArrayEquals(Files.readAllBytes(TestTables.EVOAPPROX.resolve("mul8u_1JFF.bin")),
                Files.readAllBytes(SHIPPED.resolve("mul8u_exact.bin")));
    }
}
