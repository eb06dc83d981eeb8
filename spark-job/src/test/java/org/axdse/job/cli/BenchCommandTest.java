package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.axdse.job.SmallRun;
import org.axdse.kernel.AxdseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code axdse bench search} on a space small enough to finish in seconds. */
class BenchCommandTest {
    @Test
    void endsWithOneJsonLinePerStrategyAndWritesItsPage(@TempDir Path out) throws Exception {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Layers 2 and 3 with two multipliers: 4 assignments, so nsga2 (population 4) evaluates all of them.
        int rc = new BenchCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of("search", "--images", "60",
                "--multipliers", "mul8u_exact,mul8u_trunc_k6c", "--layers", "2,3", "--population", "4", "--generations", "2",
                "--levels", "3", "--refine", "2", "--refine-generations", "1", "--reference-drop", "0.5", "--out", out.toString(),
                "--library", SmallRun.HOME.resolve("luts").toString(),
                "--master", "local[2]"));
        assertEquals(0, rc);
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> strategies = List.of("nsga2", "error-model", "error-model-measured", "exhaustive+racing", "nsga2+racing",
                "error-model+racing", "error-model-measured+racing");
        List<String> json = lines.subList(lines.size() - strategies.size(), lines.size());
        ObjectMapper mapper = new ObjectMapper();
        for (int i = 0; i < strategies.size(); i++) {
            JsonNode n = mapper.readTree(json.get(i));
            assertEquals(strategies.get(i), n.path("strategy").asText(), json.get(i));
            assertEquals(4, n.path("exhaustive_evaluations").asInt());
            int evaluations = n.path("evaluations").asInt();
            double ratio = n.path("hypervolume_ratio").asDouble();
            assertTrue(evaluations >= 1 && evaluations <= 4, json.get(i));
            assertTrue(ratio >= 0 && ratio <= 1 + 1e-12, json.get(i));
            if (evaluations == 4) {
                assertEquals(1.0, ratio, 1e-12, "every assignment evaluated: the exhaustive front itself");
            }
            assertEquals(4 * 60, n.path("exhaustive_image_evaluations").asLong(), json.get(i));
            long images = n.path("image_evaluations").asLong();
            if (strategies.get(i).endsWith("+racing")) { // rounds of 50 and 10 images: a raced-out candidate saw 50
                assertTrue(images >= 50L * evaluations && images <= 60L * evaluations, json.get(i));
                long reach = n.path("image_evaluations_to_reach_plain_ratio").asLong(-2);
                assertTrue(strategies.get(i).equals("exhaustive+racing") ? reach == -2 : reach == -1 || reach <= images,
                        json.get(i));
            } else {
                assertEquals(60L * evaluations, images, json.get(i));
            }
        }
        assertEquals(4, mapper.readTree(json.get(0)).path("evaluations").asInt(), "nsga2's population covers the space");
        String page = Files.readString(out.resolve("reports/bench-search.html"));
        assertTrue(page.contains("<svg id=\"curves\"") && page.contains("data-strategy=\"nsga2\"") && !page.contains("<script"), page);
    }

    @Test
    void badOptionsAreNamed() {
        BenchCommand b = new BenchCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        AxdseException e = assertThrows(AxdseException.class, () -> b.run(List.of("search", "--reference-drop", "x")));
        assertEquals("bench: --reference-drop: expected a non-negative number, got 'x'", e.getMessage());
        e = assertThrows(AxdseException.class, () -> b.run(List.of("search", "--reference-drop", "0")));
        assertEquals("bench: --reference-drop: expected a number > 0, got 0.0", e.getMessage());
        e = assertThrows(AxdseException.class, () -> b.run(List.of("search", "--reference-drop", "Infinity")));
        assertEquals("bench: --reference-drop: expected a finite number, got Infinity", e.getMessage());
        e = assertThrows(AxdseException.class, () -> b.run(List.of("speed")));
        assertTrue(e.getMessage().startsWith("bench: expected 'search' or 'eval', got speed"), e.getMessage());
    }
}
