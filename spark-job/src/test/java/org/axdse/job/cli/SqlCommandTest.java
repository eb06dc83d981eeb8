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

    @Test
    void onlyQueriesRunAndNothingIsWritten(@TempDir Path victim) throws Exception {
        java.nio.file.Files.writeString(victim.resolve("keep.txt"), "precious");
        for (String statement : List.of("INSERT OVERWRITE DIRECTORY '" + victim + "' USING parquet SELECT * FROM runs",
                "INSERT OVERWRITE LOCAL DIRECTORY '" + victim + "' SELECT 1", "CREATE TABLE t USING parquet AS SELECT 1 AS x",
                "DROP VIEW evaluations", "SET spark.sql.ansi.enabled=false", "ADD JAR /tmp/x.jar",
                "WITH e AS (SELECT * FROM runs) INSERT OVERWRITE DIRECTORY '" + victim + "' USING csv SELECT * FROM e",
                "FROM runs INSERT OVERWRITE DIRECTORY '" + victim + "' USING csv SELECT *", "CACHE TABLE c AS SELECT 1")) {
            AxdseException e = assertThrows(AxdseException.class, () -> sql("--out", out.toString(), statement), statement);
            assertTrue(e.getMessage().startsWith("sql: only queries run here (SELECT, WITH, VALUES, TABLE); this statement is ")
                    && e.getMessage().endsWith("which would write files or change state: refused"), e.getMessage());
        }
        assertEquals(List.of(victim.resolve("keep.txt")), java.nio.file.Files.list(victim).toList(), "the directory is untouched");
        assertEquals("precious", java.nio.file.Files.readString(victim.resolve("keep.txt")));
        // Queries of every form still run; the views were not dropped.
        assertTrue(sql("--out", out.toString(), "WITH r AS (SELECT * FROM runs) SELECT count(*) AS n FROM r;").contains("1"));
        assertTrue(sql("--out", out.toString(), "VALUES (1), (2)").contains("(2 rows)"));
        assertTrue(sql("--out", out.toString(), "FROM runs SELECT run_id").contains("q"));
        AxdseException e = assertThrows(AxdseException.class, () -> sql("--out", out.toString(),
                "SELECT reflect('java.lang.System', 'getProperty', 'user.home')"));
        assertTrue(e.getMessage().startsWith("sql: [UNRESOLVED_ROUTINE] Cannot resolve routine `reflect`"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void syntaxAndRuntimeErrorsAreOneLineWithTheMessage() {
        for (String[] q : new String[][] {
                {"SELEC * FROM runs", "sql: [PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'"},
                {"SELECT raise_error('boom')", "sql: [USER_RAISED_EXCEPTION] boom"},
                {"SELECT count(*) / 0 FROM evaluations", "sql: [DIVIDE_BY_ZERO] Division by zero."},
                {"SELECT CAST('x' AS INT)", "sql: [CAST_INVALID_INPUT] The value 'x' of the type \"STRING\" cannot be cast"},
                {"SELECT nope FROM runs", "sql: [UNRESOLVED_COLUMN.WITH_SUGGESTION] A column, variable, or function parameter"
                        + " with name `nope` cannot be resolved."}}) {
            AxdseException e = assertThrows(AxdseException.class, () -> sql("--out", out.toString(), q[0]), q[0]);
            assertTrue(e.getMessage().startsWith(q[1]), q[0] + " -> " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), q[0] + " -> " + e.getMessage());
        }
    }

    /** Standard error without the log's lines (HH:mm:ss LEVEL logger: message). */
    static List<String> messages(CliProcess.Result r) {
        return r.errLines().stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d (INFO |WARN |ERROR|DEBUG).*")).toList();
    }

    @Test
    void theCommandLineRefusesWritesInOneLineAndLeavesNoWarehouseBehind(@TempDir Path work) throws Exception {
        java.nio.file.Files.writeString(work.resolve("keep.txt"), "precious");
        CliProcess.Result r = CliProcess.run(work, "sql", "--out", out.toString(),
                "INSERT OVERWRITE DIRECTORY '" + work + "' USING csv SELECT * FROM runs");
        assertEquals(2, r.status(), r.err());
        assertEquals(List.of("axdse: sql: only queries run here (SELECT, WITH, VALUES, TABLE); this statement is InsertIntoDir,"
                + " which would write files or change state: refused"), messages(r), r.err());
        r = CliProcess.run(work, "sql", "--out", out.toString(), "SELECT raise_error('boom') FROM runs");
        assertEquals(2, r.status(), r.err());
        assertEquals(List.of("axdse: sql: [USER_RAISED_EXCEPTION] boom SQLSTATE: P0001 (views: runs, layers, multipliers,"
                + " evaluations, pareto)"), messages(r), r.err());
        r = CliProcess.run(work, "sql", "--out", out.toString(), "SELECT count(*) AS n FROM runs");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of("n", "1", "(1 row)"), r.out().lines().toList());
        assertEquals(List.of(work.resolve("keep.txt")), java.nio.file.Files.list(work).toList(),
                "no spark-warehouse/, no metastore_db/, nothing written");
    }

    @Test
    void aCorruptTableFileIsNamed(@TempDir Path copy) throws Exception {
        Path part;
        try (var files = java.nio.file.Files.walk(out.resolve("runs"))) {
            for (Path f : files.toList()) {
                java.nio.file.Files.copy(f, copy.resolve("runs").resolve(out.resolve("runs").relativize(f).toString()));
            }
        }
        try (var files = java.nio.file.Files.walk(copy.resolve("runs"))) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        java.nio.file.Files.write(part, new byte[] {1, 2, 3});
        java.nio.file.Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc"));
        AxdseException e = assertThrows(AxdseException.class, () -> sql("--out", copy.toString(), "SELECT * FROM runs"));
        assertTrue(e.getMessage().startsWith("sql: cannot read table runs (file:" + part + ": "), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
