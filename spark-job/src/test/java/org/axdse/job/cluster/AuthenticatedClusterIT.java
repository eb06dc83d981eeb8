package org.axdse.job.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit/axdse-submit} against a loopback standalone cluster whose Master and Workers run with
 * {@code spark.authenticate} and a shared secret: a submit with {@code AXDSE_SECRET_FILE} (and AES network and local
 * I/O encryption) gets the same results as a local run, the secret appears in no log and on no command line, and a
 * submit without the secret is refused by the cluster.
 */
@Tag("cluster")
class AuthenticatedClusterIT {
    private static final String SECRET = randomSecret();

    @TempDir
    static Path dir;
    private static LoopbackCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = LoopbackCluster.startOrSkip(dir, LoopbackClusterIT.HOME, LoopbackClusterIT.CLUSTER_JAR, SECRET);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Test
    void onlyASubmitWithTheClusterSecretRuns() throws Exception {
        Path secretFile = Files.writeString(dir.resolve("secret"), SECRET + "\n");
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        Path out = dir.resolve("cluster-out");
        Path log = dir.resolve("auth.log");
        Process p = cluster.submit(LoopbackClusterIT.HOME, LoopbackClusterIT.CLUSTER_JAR, LoopbackClusterIT.conf(out, "auth", 120),
                log, Map.of("AXDSE_SECRET_FILE", secretFile.toString(), "AXDSE_NETWORK_CRYPTO", "1", "AXDSE_IO_ENCRYPTION", "1"));
        boolean secretOnACommandLine = false;
        while (p.isAlive() && !secretOnACommandLine) {
            secretOnACommandLine = ProcessHandle.allProcesses().anyMatch(h -> h.info().commandLine().orElse("").contains(SECRET));
            Thread.sleep(200);
        }
        assertTrue(LoopbackClusterIT.finished(p), "submit finished");
        assertEquals(0, p.exitValue(), Files.readString(log));
        assertFalse(secretOnACommandLine, "the secret was on a command line");
        assertFalse(Files.readString(log).contains(SECRET), "the secret is in the submit's log: " + Files.readString(log).lines().filter(l -> l.contains(SECRET)).toList());
        try (var files = Files.walk(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().contains("stderr")
                    || f.toString().contains("stdout")).toList()) {
                assertFalse(Files.readString(f).contains(SECRET), "the secret is in " + f);
            }
        }
        SparkSession reader = SparkSession.builder().master("local[1]").appName("local-reference")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            assertEquals(LoopbackClusterIT.localAccuracies(reader, dir.resolve("local-out"), "auth", 120),
                    LoopbackClusterIT.accuracies(reader, out, "auth").accuracy(), "authenticated cluster and local[1] agree");
        } finally {
            reader.stop();
        }

        // Without the secret the Master does not accept the application: the submit fails and writes no evaluations.
        Path refusedLog = dir.resolve("refused.log");
        Process q = cluster.submit(LoopbackClusterIT.HOME, LoopbackClusterIT.CLUSTER_JAR,
                LoopbackClusterIT.conf(out, "refused", 120), refusedLog, Map.of());
        assertTrue(LoopbackClusterIT.finished(q), "the refused submit ended");
        String refused = Files.readString(refusedLog);
        System.out.println("FAULT submit without the secret: " + refused.lines().filter(l -> l.startsWith("axdse")).toList());
        assertNotEquals(0, q.exitValue(), refused);
        assertTrue(refused.lines().anyMatch(l -> l.startsWith("axdse: Spark stopped the application while it ran (master spark://")
                && l.contains("the cluster did not accept it")), refused);
        assertFalse(Files.exists(out.resolve("evaluations/run_id=refused")), "no evaluations without the secret");

        // A secret file others may read is refused before anything starts.
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-r--r--"));
        Path looseLog = dir.resolve("loose.log");
        Process r = cluster.submit(LoopbackClusterIT.HOME, LoopbackClusterIT.CLUSTER_JAR, LoopbackClusterIT.conf(out, "loose", 120),
                looseLog, Map.of("AXDSE_SECRET_FILE", secretFile.toString()));
        assertTrue(LoopbackClusterIT.finished(r));
        assertEquals(2, r.exitValue());
        assertEquals("axdse-submit: AXDSE_SECRET_FILE: " + secretFile + " is readable or writable by others (mode 644); chmod 600"
                + " it", Files.readString(looseLog).strip());
    }
}
