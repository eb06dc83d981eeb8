package org.axdse.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kernel-lib's packages are layered one way: each may depend only on packages of lower layers, so there is no
 * cycle. The dependencies are read from the compiled classes with jdeps, as
 * {@code jdeps -verbose:package -filter:none --multi-release 17 kernel-lib/target/classes} prints them.
 */
class PackageLayeringTest {
    /** From the bottom: a package may depend on the ones before it, never on the ones after it. */
    private static final List<String> LAYERS = List.of(
            "org.axdse.kernel",
            "org.axdse.kernel.io",
            "org.axdse.kernel.lut",
            "org.axdse.kernel.lut.gen",
            "org.axdse.kernel.quant",
            "org.axdse.kernel.conv",
            "org.axdse.kernel.cuda",
            "org.axdse.kernel.cuda.check",
            "org.axdse.kernel.data",
            "org.axdse.kernel.graph",
            "org.axdse.kernel.model",
            "org.axdse.kernel.onnx",
            "org.axdse.kernel.estimate");

    private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+\\S+.*$");

    /** Package -> the packages it refers to (itself excluded), all of them, not only kernel-lib's. */
    private static final Map<String, Set<String>> DEPENDENCIES = new TreeMap<>();

    @BeforeAll
    static void readDependencies() {
        Path classes = Path.of("target", "classes");
        assertTrue(Files.isDirectory(classes.resolve("org/axdse/kernel")), "compiled classes under " + classes.toAbsolutePath());
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none", "--multi-release", "17",
                classes.toString());
        assertEquals(0, rc, "jdeps failed: " + err);
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.matches() && !m.group(1).equals(m.group(2))) {
                DEPENDENCIES.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertTrue(DEPENDENCIES.containsKey("org.axdse.kernel.model"), "jdeps output not understood:\n" + out);
    }

    @Test
    void everyPackageIsInALayer() {
        for (String p : DEPENDENCIES.keySet()) {
            assertTrue(LAYERS.contains(p), p + " is not in LAYERS: place it there");
        }
    }

    @Test
    void packagesDependOnlyOnLowerLayers() {
        List<String> wrong = new ArrayList<>();
        DEPENDENCIES.forEach((from, targets) -> {
            for (String to : targets) {
                if (to.startsWith("org.axdse.") && LAYERS.indexOf(to) >= LAYERS.indexOf(from)) {
                    wrong.add(from + " -> " + to);
                }
            }
        });
        assertEquals(List.of(), wrong, "dependencies against the layering " + LAYERS);
    }

    @Test
    void theImporterAndTheErrorModelAreIndependentLeaves() {
        for (String p : LAYERS) {
            Set<String> targets = DEPENDENCIES.getOrDefault(p, Set.of());
            assertFalse(targets.contains("org.axdse.kernel.onnx"), p + " depends on the importer");
            assertFalse(targets.contains("org.axdse.kernel.estimate"), p + " depends on the error model");
        }
    }

    @Test
    void onlyTheImporterUsesProtobufAndNothingUsesNd4jOrSpark() {
        DEPENDENCIES.forEach((from, targets) -> {
            for (String to : targets) {
                assertFalse(to.startsWith("org.nd4j") || to.startsWith("org.bytedeco") || to.startsWith("org.apache.spark"),
                        from + " -> " + to);
                assertTrue(!to.startsWith("com.google.protobuf") || from.equals("org.axdse.kernel.onnx"), from + " -> " + to);
            }
        });
    }
}
