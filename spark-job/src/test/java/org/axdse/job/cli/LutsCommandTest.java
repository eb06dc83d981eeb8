package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.MultiplierTableFiles;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.lut.TableConversions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code axdse luts} on the shipped library and on EvoApproxLib. */
class LutsCommandTest {
    static final Path EVOAPPROX = Path.of("..", "..", "shared", "evoapprox-mul8u");
    static final Path SHIPPED = Path.of("..", "luts");

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LutsCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(List.of(args));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listPrintsEvoApproxWithPublishedPowerAndComputedMetrics() {
        assumeTrue(Files.isDirectory(EVOAPPROX), "../shared/evoapprox-mul8u absent");
        String table = run("list", "--library", EVOAPPROX.toString());
        List<String> lines = table.lines().toList();
        assertEquals(2 + 36, lines.size(), table);
        String c8 = lines.stream().filter(l -> l.startsWith("mul8u_17C8 ")).findFirst().orElseThrow();
        assertTrue(c8.matches("mul8u_17C8\\s+false\\s+0\\.0019\\s+4857\\.96\\s+16896\\s+99\\.21\\s+57\\.36"), c8);

        List<String> csv = run("list", "--library", EVOAPPROX.toString(), "--format", "csv").lines().toList();
        assertEquals("name,signed,power,mae,wce,ep_percent,mre_percent", csv.get(0));
        assertTrue(csv.contains("mul8u_L40,false,0.189,1011.25,9124,74.91,7.40"), csv.toString());

        String json = run("list", "--library", EVOAPPROX.toString(), "--format", "json");
        assertTrue(json.contains("{\"name\": \"mul8u_17C8\", \"signed\": false, \"power\": 0.0019, \"mae\": 4857.96, "
                + "\"wce\": 16896, \"ep_percent\": 99.21, \"mre_percent\": 57.36}"), json);
    }

    @Test
    void listsTheShippedLibrary() {
        String out = run("list", "--library", SHIPPED.toString());
        assertTrue(out.contains("version axdse-gen-1") && out.contains("power unit relative"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("mul8u_exact\\s+false\\s+1\\.0000\\s+0\\.00\\s+0\\s+0\\.00\\s+0\\.00")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("mul8s_drum_k4 ")), out);
    }

    @Test
    void showGivesMetricsAndAHistogramThatCountsEveryPair() {
        String out = run("show", "mul8u_trunc_k8", "--library", SHIPPED.toString());
        assertTrue(out.contains("family truncated k=8,correction=false"), out);
        assertTrue(out.contains("MAE 448.25") && out.contains("WCE 1793"), out);
        long counted = out.lines().filter(l -> l.trim().startsWith("[") || l.trim().startsWith("exact"))
                .mapToLong(l -> Long.parseLong(l.replaceAll(".*[\\]\\)]\\s+(\\d+).*", "$1").trim())).sum();
        assertEquals(65_536, counted, out);
    }

    @Test
    void convertRoundTripsThroughNpyAndCsv(@TempDir Path dir) throws Exception {
        Path npy = dir.resolve("t.npy");
        Path csv = dir.resolve("t.csv");
        Path bin = dir.resolve("mul8s_back.bin");
        Path src = SHIPPED.resolve("mul8s_drum_k4.bin");
        run("convert", src.toString(), npy.toString(), "--signed");
        run("convert", npy.toString(), csv.toString(), "--signed");
        run("convert", csv.toString(), bin.toString(), "--signed");
        assertEquals(MultiplierTableFiles.read(src, Signedness.SIGNED).contentSha256(),
                MultiplierTableFiles.read(bin, Signedness.SIGNED).contentSha256());
        Path unlabelled = dir.resolve("drum.bin");
        Files.copy(src, unlabelled);
        AxdseException m = assertThrows(AxdseException.class, () -> run("convert", unlabelled.toString(), csv.toString()));
        assertTrue(m.getMessage().contains("signedness mismatch"), m.getMessage());
        AxdseException e = assertThrows(AxdseException.class, () -> run("convert", src.toString()));
        assertTrue(e.getMessage().startsWith("luts convert: expected IN OUT, got "), e.getMessage());
    }

    @Test
    void plotWritesAHeatMapWithTheErrorSign(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("trunc.png");
        run("plot", "mul8u_trunc_k8", "--library", SHIPPED.toString(), "--out", png.toString());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(60 + 512 + 110, img.getWidth());
        // Truncation only loses value: the (255, 255) corner is blue (below the exact product).
        int rgb = img.getRGB(60 + 255 * 2, 40 + 255 * 2);
        assertTrue((rgb & 0xFF) > ((rgb >> 16) & 0xFF), Integer.toHexString(rgb));
        // a = 0 row is exact: white.
        assertEquals(0xFFFFFF, img.getRGB(60 + 100, 40) & 0xFFFFFF);
    }

    @Test
    void plotToAPlaceItCannotWriteIsOneErrorAndNothingOnStandardError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream before = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        AxdseException e;
        try {
            e = assertThrows(AxdseException.class, () -> run("plot", "mul8u_trunc_k8", "--library", SHIPPED.toString(), "--out",
                    file.resolve("x.png").toString()));
        } finally {
            System.setErr(before);
        }
        assertEquals(file.resolve("x.png") + ": cannot write the heat map (java.nio.file.FileSystemException: "
                + file.resolve("x.png") + ": Not a directory)", e.getMessage());
        assertEquals("", err.toString(StandardCharsets.UTF_8), "no ImageIO stack trace");
    }

    @Test
    void tuneWritesTheTunedTable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("tuned.bin");
        String msg = run("tune", "mul8u_opt_a2w4h", "--library", SHIPPED.toString(), "--out", out.toString());
        assertTrue(msg.startsWith("mul8u_opt_a2w4h+tune: MAE 542.63 -> "), msg);
        MultiplierTable tuned = TableConversions.read(out, Signedness.UNSIGNED);
        assertEquals(MultiplierTableFiles.read(SHIPPED.resolve("mul8u_opt_a2w4h.bin"), Signedness.UNSIGNED).product(7, 0),
                tuned.product(7, 0));
    }

    @Test
    void unknownNamesAndSubcommandsAreClear() {
        AxdseException e = assertThrows(AxdseException.class, () -> run("show", "mul8u_nope", "--library", SHIPPED.toString()));
        assertTrue(e.getMessage().startsWith("unknown multiplier 'mul8u_nope' in library ../luts (46 known: mul8u_exact, "),
                e.getMessage());
        e = assertThrows(AxdseException.class, () -> run("frob"));
        assertTrue(e.getMessage().startsWith("luts: unknown subcommand 'frob'"), e.getMessage());
        e = assertThrows(AxdseException.class, () -> run("list", "--format", "xml", "--library", SHIPPED.toString()));
        assertTrue(e.getMessage().equals("luts list: --format: expected one of table, csv, json, got xml"), e.getMessage());
    }
}
