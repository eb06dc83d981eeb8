package org.axdse.job.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Zeppelin note under notebooks/ is well-formed Zeppelin 0.10 note JSON, its first paragraph
 * registers the five tables, and every {@code %spark.sql} paragraph runs against the tables of a real
 * small run (registered the same way). Zeppelin's own parser (zeppelin-zengine) is not reachable from this
 * workplace's Maven registry (404), so the structure is checked with Jackson.
 */
class NotebooksTest {
    static final Path NOTEBOOKS = Path.of("..", "notebooks");
    @TempDir
    static Path out;
    private static SparkSession spark;

    @BeforeAll
    static void run() {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        spark = SmallRun.spark("notebooks-test");
        for (String run : new String[] {"n1", "n2"}) {
            SmallRun.run(spark, out, run, "axdse.strategy=exhaustive", "axdse.layers=1,2",
                    "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4", "axdse.sensitivity=" + run.equals("n2"));
        }
        for (String t : List.of("runs", "layers", "multipliers", "evaluations", "pareto", "sensitivity")) {
            spark.read().option("basePath", out.resolve(t).toString()).parquet(out.resolve(t).toString()).createOrReplaceTempView(t);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static List<Path> notes() throws Exception {
        try (Stream<Path> s = Files.list(NOTEBOOKS)) {
            return s.filter(p -> p.toString().endsWith(".zpln")).sorted().toList();
        }
    }

    @Test
    void theFourNotesExist() throws Exception {
        assertEquals(List.of("layers.zpln", "multipliers.zpln", "pareto.zpln", "runs.zpln"),
                notes().stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void everySqlParagraphRunsAgainstARealRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int queries = 0;
        for (Path note : notes()) {
            JsonNode n = json.readTree(note.toFile());
            assertTrue(n.path("name").asText().startsWith("AxDSE/"), note + " name");
            assertFalse(n.path("id").asText().isEmpty(), note + " id");
            assertEquals("spark", n.path("defaultInterpreterGroup").asText(), note + " interpreter");
            JsonNode paragraphs = n.path("paragraphs");
            assertTrue(paragraphs.isArray() && paragraphs.size() >= 2, note + " paragraphs");
            String register = paragraphs.get(0).path("text").asText();
            assertTrue(register.startsWith("%spark\n") && register.contains("z.noteTextbox(\"output\"")
                    && register.contains("\"runs\", \"layers\", \"multipliers\", \"evaluations\", \"pareto\""), note + " registers the views");
            List<String> ids = new ArrayList<>();
            for (JsonNode p : paragraphs) {
                assertFalse(p.path("id").asText().isEmpty(), note + " paragraph id");
                assertFalse(ids.contains(p.path("id").asText()), note + " unique paragraph ids");
                ids.add(p.path("id").asText());
                assertTrue(p.path("config").path("enabled").asBoolean(), note + " paragraph enabled");
                String text = p.path("text").asText();
                if (text.startsWith("%spark.sql\n")) {
                    String sql = text.substring("%spark.sql\n".length());
                    List<Row> rows = spark.sql(sql).collectAsList();
                    assertFalse(rows.isEmpty(), note + ": " + p.path("title").asText() + " returns rows");
                    queries++;
                }
            }
        }
        assertEquals(11, queries);
    }
}
