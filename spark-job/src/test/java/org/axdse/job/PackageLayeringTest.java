package org.axdse.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * spark-job's packages are layered one way (no cycle), read from the compiled classes with jdeps: the executor
 * side ({@code exec}) knows nothing of the driver, the output tables and the report know nothing of the search,
 * and only the command line ({@code cli}) and training ({@code train}) reach ND4J.
 */
class PackageLayeringTest {
    /** From the bottom: a package may depend on the ones before it, never on the ones after it. */
    private static final List<String> LAYERS = List.of("stats", "config", "output", "report", "search", "exec", "train", "driver", "experiment", "cli");

    private static final Pattern EDGE = Pattern.compile("^\\s+org\\.axdse\\.job\\.(\\S+)\\s+->\\s+(\\S+)\\s+\\S+.*$");

    @Test
    void packagesDependOnlyOnLowerLayersAndOnlyTrainingUsesNd4j() {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", "--multi-release", "17",
                Path.of("target", "classes").toString());
        assertEquals(0, rc, "jdeps failed: " + err);
        List<String> wrong = new ArrayList<>();
        int edges = 0;
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            edges++;
            String from = m.group(1);
            String to = m.group(2);
            assertTrue(LAYERS.contains(from), "org.axdse.job." + from + " is not in LAYERS: place it there");
            if (to.startsWith("org.axdse.job.") && LAYERS.indexOf(to.substring(14)) >= LAYERS.indexOf(from)
                    && !to.substring(14).equals(from)) {
                wrong.add(from + " -> " + to);
            }
            if ((to.startsWith("org.nd4j") || to.startsWith("org.bytedeco")) && !from.equals("train")) {
                wrong.add(from + " -> " + to);
            }
        }
        assertTrue(edges > 0, "jdeps output not understood:\n" + out);
        assertEquals(List.of(), wrong, "dependencies against the layering " + LAYERS);
    }
}
