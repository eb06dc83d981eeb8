package org.axdse.job.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.data.DataSets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on the output side: each is one AxDSE error naming the path and what to do, checked before any work
 * where it can be, and the runs finished earlier stay byte for byte as they were. The full and read-only file
 * systems are real (a small tmpfs, mounted by the test; skipped where it cannot mount).
 */
class OutputFaultsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("output-faults-test").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SearchJob.Summary run(Path out, String runId, boolean overwrite) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=100",
                "axdse.calibration.images=64", "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c", "axdse.validate.images=0"));
        return new SearchJob(spark, JobConfig.load(null, c), overwrite, SearchJobTest.HOME).run();
    }

    /** Every file under a folder with its bytes, by relative path. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (var files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(f).toString(), java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return m;
    }

    @Test
    void anOutputRootThatIsAFileOrUnderOneIsRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "not a directory");
        AxdseException e = assertThrows(AxdseException.class, () -> run(file, "f", false));
        assertEquals("axdse.output: " + file + ": is a file, not a directory; choose another output root", e.getMessage());
        e = assertThrows(AxdseException.class, () -> run(file.resolve("out/deeper"), "f", false));
        assertEquals("axdse.output: " + file.resolve("out/deeper") + ": lies under the file " + file
                + ", not a directory; choose another output root", e.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aTruncatedFileOfTheRunBeingResumedIsNamedAndOverwriteReplacesTheRun(@TempDir Path out) throws IOException {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        run(out, "k", false);
        run(out, "other", false);
        Map<String, String> other = new TreeMap<>(snapshot(out));
        other.keySet().removeIf(k -> !k.contains("run_id=other"));
        Path part;
        try (var files = Files.list(out.resolve("evaluations/run_id=k"))) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        Files.write(part, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.deleteIfExists(part.resolveSibling("." + part.getFileName() + ".crc")); // as a crash would leave it
        AxdseException e = assertThrows(AxdseException.class, () -> run(out, "k", false));
        System.out.println("FAULT truncated: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("file:" + part + ": cannot read run k of table evaluations (RuntimeException: the file"
                + " is not a Parquet file."), e.getMessage());
        assertTrue(e.getMessage().endsWith("); the run cannot resume from it: --overwrite replaces the run (its earlier rows"
                + " are lost), or choose another axdse.run-id"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals(2, run(out, "k", true).evaluatedNow(), "--overwrite evaluates the run again");
        Map<String, String> after = new TreeMap<>(snapshot(out));
        after.keySet().removeIf(k -> !k.contains("run_id=other"));
        assertEquals(other, after, "the other run is byte-identical");
    }

    @Test
    void aFullOrReadOnlyFileSystemIsOneErrorAndEarlierRunsStayByteIdentical(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        Path mount = Files.createDirectories(dir.resolve("small-disk"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mount.toString()) == 0, "cannot mount a tmpfs here");
        try {
            Path out = mount.resolve("out");
            run(out, "a", false);
            Map<String, String> before = snapshot(out);

            // Fill the file system but for a few pages: the next run passes the check, then a write fails mid-way.
            long free = Files.getFileStore(mount).getUsableSpace();
            Files.write(mount.resolve("filler"), new byte[(int) Math.max(0, free - 24 * 1024)]);
            AxdseException e = assertThrows(AxdseException.class, () -> run(out, "b", false));
            System.out.println("FAULT disk full: " + e.getMessage());
            assertTrue(e.getMessage().matches("(axdse.output: )?" + java.util.regex.Pattern.quote(out.toString())
                    + "(/\\w+)?: cannot write .*No space left on device.*"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            Map<String, String> now = snapshot(out);
            now.keySet().removeIf(k -> k.contains("run_id=b"));
            assertEquals(before, now, "run a is byte-identical and nothing else is left behind");

            // Read-only (the same folder through a read-only bind mount): refused before any work, naming the root.
            Files.delete(mount.resolve("filler"));
            Path readOnly = Files.createDirectories(dir.resolve("read-only"));
            assertEquals(0, sh("mount", "--bind", "-o", "ro", out.toString(), readOnly.toString()));
            try {
                e = assertThrows(AxdseException.class, () -> run(readOnly, "c", false));
                System.out.println("FAULT read-only: " + e.getMessage());
                assertEquals("axdse.output: " + readOnly + ": cannot write there (FileNotFoundException: " + readOnly
                        + "/.axdse-write-check-", e.getMessage().substring(0, e.getMessage().indexOf("check-") + 6));
                assertTrue(e.getMessage().contains("(Read-only file system)); choose another output root or fix its"
                        + " permissions or free space"), e.getMessage());
            } finally {
                sh("umount", "-l", readOnly.toString());
            }
            Map<String, String> after = snapshot(out);
            after.keySet().removeIf(k -> k.contains("run_id=b"));
            assertEquals(before, after);
        } finally {
            sh("umount", "-l", mount.toString()); // lazily: a failed write may leave a file open until collected
        }
    }

    private static int sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
