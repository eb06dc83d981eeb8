package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.MultiplierTableFiles;
import org.axdse.kernel.lut.Signedness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kernel demo on a real local Spark session gives what the kernels give on the driver. */
class KernelDemoTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("kernel-demo-test")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Drops the 8 least-significant bits of every product: a crude truncated multiplier. */
    static MultiplierTable truncated() {
        int[] e = MultiplierTable.exact(Signedness.UNSIGNED).entries();
        for (int i = 0; i < e.length; i++) {
            e[i] &= ~0xFF;
        }
        return MultiplierTable.of("trunc8", Signedness.UNSIGNED, e);
    }

    @Test
    void sparkTasksReproduceTheDriverSideEvaluation(@TempDir Path dir) throws Exception {
        MultiplierTableFiles.write(truncated(), dir.resolve("trunc8.bin"));
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED), dir.resolve("mul8u_exact.bin"));
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.SIGNED), dir.resolve("mul8s_exact.bin"));
        Files.writeString(dir.resolve("library.csv"), "name,power_mw,area_um2\nmul8u_exact,0.4,700\ntrunc8,0.1,200\n"
                + "mul8s_exact,0.5,800\n");
        MultiplierLibrary library = MultiplierLibraries.load(dir);
        List<MultiplierTable> tables = KernelDemo.unsignedTables(library);
        Map<String, Double> power = KernelDemo.relativePower(library);

        List<KernelDemo.Row> rows = KernelDemo.run(JavaSparkContext.fromSparkContext(spark.sparkContext()), tables, power, 7);

        assertEquals(List.of("mul8u_exact", "trunc8"), rows.stream().map(KernelDemo.Row::name).toList());
        KernelDemo.Row exact = rows.get(0);
        assertEquals(0.0, exact.outputRelativeRms());
        assertEquals(1.0, exact.relativePower());
        KernelDemo.Row approx = rows.get(1);
        KernelDemo.Row local = KernelDemo.evaluate(truncated(), 0.25, 7);
        assertEquals(local.outputRelativeRms(), approx.outputRelativeRms(), "deterministic across JVM boundaries");
        assertEquals(local.mae(), approx.mae());
        assertEquals(255, approx.wce());
        assertEquals(0.25, approx.relativePower(), 1e-12);
        assertTrue(approx.outputRelativeRms() > 0 && approx.outputRelativeRms() < 0.5, "truncation error is visible but bounded");
        assertTrue(approx.gmacsPerSecond() > 0);
        assertTrue(KernelDemo.format(rows).contains("trunc8"));
    }

    @Test
    void theBuiltInExactTableIsAddedOnlyWhenTheLibraryHasNone(@TempDir Path dir) throws Exception {
        MultiplierTableFiles.write(MultiplierTable.exact(Signedness.UNSIGNED).renamed("mul8u_1JFF"), dir.resolve("mul8u_1JFF.bin"));
        assertEquals(List.of("mul8u_1JFF"), KernelDemo.unsignedTables(MultiplierLibraries.load(dir)).stream()
                .map(MultiplierTable::name).toList());
        Files.delete(dir.resolve("mul8u_1JFF.bin"));
        MultiplierTableFiles.write(truncated(), dir.resolve("trunc8.bin"));
        MultiplierLibrary noExact = MultiplierLibraries.load(dir);
        assertEquals(List.of("mul8u_exact", "trunc8"), KernelDemo.unsignedTables(noExact).stream()
                .map(MultiplierTable::name).toList());
        assertTrue(KernelDemo.relativePower(noExact).isEmpty());
    }

    @Test
    void aCorruptTableIsReportedByFileBeforeAnySparkWork(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.bin");
        Files.write(bad, new byte[100]);
        AxdseException e = assertThrows(AxdseException.class, () -> AxdseCli.run(new String[] {"demo", "--luts", dir.toString()}));
        assertTrue(e.getMessage().startsWith(bad.toString()) && e.getMessage().contains("got 100 bytes"), e.getMessage());
    }

    @Test
    void helpIsAnsweredAndErrorsInsideSparkTasksAreFound() {
        assertEquals(0, AxdseCli.run(new String[] {"--help"}));
        assertEquals(0, AxdseCli.run(new String[] {"help"}));
        AxdseException inner = new AxdseException("bad table");
        assertEquals(inner, AxdseCli.axdseCause(new RuntimeException("Job aborted", new IllegalStateException(inner))));
        assertEquals(null, AxdseCli.axdseCause(new IllegalStateException("other")));
    }

    @Test
    void unknownCommandsAndOptionsAreRefused() {
        AxdseException e = assertThrows(AxdseException.class, () -> AxdseCli.run(new String[] {"frobnicate"}));
        assertTrue(e.getMessage().startsWith("unknown command 'frobnicate'"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> AxdseCli.run(new String[] {"demo", "--seed", "x"}));
        assertTrue(e.getMessage().contains("--seed: expected an integer, got 'x'"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> AxdseCli.run(new String[] {"demo", "--luts", "/nonexistent/dir"}));
        assertTrue(e.getMessage().contains("/nonexistent/dir (not a directory)"), e.getMessage());
    }
}
