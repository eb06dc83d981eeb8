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
import org.apache.zeppelin.notebook.Note;
import org.apache.zeppelin.notebook.Paragraph;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Zeppelin note under notebooks/ parses with Zeppelin's own parser ({@code Note.fromJson} of
 * zeppelin-zengine 0.10), its first paragraph registers the tables, and every {@code %spark.sql} paragraph
 * (as Zeppelin splits interpreter and script) runs against the tables of a real small run, registered the
 * same way.
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
    void everyNoteParsesWithZeppelinsParserAndEverySqlParagraphRunsAgainstARealRun() throws Exception {
        ObjectMapper json = new ObjectMapper();
        int queries = 0;
        for (Path note : notes()) {
            String text = Files.readString(note);
            Note n = Note.fromJson(null, text);
            JsonNode raw = json.readTree(text);
            assertTrue(n.getName().startsWith("AxDSE/"), note + " name");
            assertFalse(n.getId().isEmpty(), note + " id");
            assertEquals("spark", n.getDefaultInterpreterGroup(), note + " interpreter");
            List<Paragraph> paragraphs = n.getParagraphs();
            assertEquals(raw.path("paragraphs").size(), paragraphs.size(), note + ": Zeppelin reads every paragraph");
            assertTrue(paragraphs.size() >= 2, note + " paragraphs");
            Paragraph register = paragraphs.get(0);
            assertEquals("spark", register.getIntpText(), note + " registers in Scala");
            assertTrue(register.getScriptText().contains("z.noteTextbox(\"output\"")
                    && register.getScriptText().contains("\"runs\", \"layers\", \"multipliers\", \"evaluations\", \"pareto\""),
                    note + " registers the views");
            List<String> ids = new ArrayList<>();
            for (Paragraph p : paragraphs) {
                assertFalse(p.getId().isEmpty(), note + " paragraph id");
                assertFalse(ids.contains(p.getId()), note + " unique paragraph ids");
                ids.add(p.getId());
                assertTrue(p.isEnabled(), note + " paragraph enabled");
                assertTrue(List.of("spark", "spark.sql").contains(p.getIntpText()), note + ": " + p.getIntpText());
                if (p.getIntpText().equals("spark.sql")) {
                    List<Row> rows = spark.sql(p.getScriptText()).collectAsList();
                    assertFalse(rows.isEmpty(), note + ": " + p.getTitle() + " returns rows");
                    queries++;
                }
            }
        }
        assertEquals(12, queries);
    }
}
