package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.axdse.kernel.AxdseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axdse sql} over the tables of a real small run. */
class SqlCommandTest {
    @TempDir
    static Path out;
    private static SparkSession spark;

    @BeforeAll
    static void run() {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        spark = SmallRun.spark("sql-test");
        SmallRun.run(spark, out, "q", "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4");
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static String sql(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SqlCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void queriesEveryTableInEveryFormat() {
        String table = sql("--out", out.toString(), "SELECT run_id, count(*) AS n FROM evaluations GROUP BY run_id");
        assertEquals(List.of("run_id n", "q      3", "(1 row)"), table.lines().toList());
        String csv = sql("--out", out.toString(), "--format", "csv",
                "SELECT assignment, relative_energy FROM pareto ORDER BY relative_energy");
        assertTrue(csv.startsWith("assignment,relative_energy\n"), csv);
        assertTrue(csv.contains("\"mul8u_exact,mul8u_exact,mul8u_exact,mul8u_exact,mul8u_exact\",1.00000"), csv);
        String json = sql("--out", out.toString(), "--format", "json", "SELECT count(*) AS layers FROM layers");
        assertEquals("{\"layers\": 5}\n", json);
        assertTrue(sql("--out", out.toString(), "SELECT status FROM runs").contains("finished"));
        assertTrue(sql("--out", out.toString(), "SELECT count(*) FROM multipliers").contains("46"));
    }

    @Test
    void badQueriesAndMissingTablesAreClear() {
        AxdseException e = assertThrows(AxdseException.class, () -> sql("--out", out.toString(), "SELECT * FROM nope"));
        assertTrue(e.getMessage().startsWith("sql: ") && e.getMessage().contains("views: runs, layers, multipliers, evaluations, pareto"),
                e.getMessage());
        e = assertThrows(AxdseException.class, () -> sql("--out", out.resolve("empty").toString(), "SELECT 1"));
        assertTrue(e.getMessage().startsWith("sql: no AxDSE tables under "), e.getMessage());
    }
}
