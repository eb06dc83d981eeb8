package org.axdse.job.cluster;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark standalone cluster on 127.0.0.1 started from the Maven jars: a {@code SPARK_HOME} that holds
 * only {@code jars/} (links to the build's Spark class path), a Master and two Workers, each Worker
 * announcing one fake GPU through a discovery script, and a {@code spark-submit} that builds its command
 * with Spark's own launcher library. {@link #close()} stops every process it started, executors included.
 */
final class LoopbackCluster implements AutoCloseable {
    final Path home;
    final Path sparkSubmit;
    final Path gpuScript;
    final int port;
    private final int uiPort;
    private final List<Process> processes = new ArrayList<>();

    LoopbackCluster(Path dir, Path launcherClasspath) throws IOException, InterruptedException {
        this(dir, launcherClasspath, null);
    }

    /**
     * @param dir               working folder (logs, SPARK_HOME, work dirs)
     * @param launcherClasspath the build's class path file
     * @param secret            null: no authentication; else the Master and Workers run with {@code spark.authenticate}
     *                          and this shared secret (in properties files of mode 600), and refuse anyone without it
     */
    LoopbackCluster(Path dir, Path launcherClasspath, String secret) throws IOException, InterruptedException {
        home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (String entry : Files.readString(launcherClasspath).trim().split(":")) {
            Path jar = Path.of(entry);
            if (jar.getFileName().toString().endsWith(".jar") && !jar.getFileName().toString().startsWith("axdse-")
                    && !jar.toString().contains("nd4j") && !jar.toString().contains("bytedeco")) {
                Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
        }
        gpuScript = executable(dir.resolve("fake-gpu.sh"), "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\"]}'\n");
        // spark-submit as bin/spark-class does it: ask org.apache.spark.launcher.Main for the command, run it.
        sparkSubmit = executable(dir.resolve("spark-submit"), """
                #!/usr/bin/env bash
                set -euo pipefail
                # The launcher prints the command as NUL-separated fields, after a few leading ones that are not
                # part of it: start at the java executable.
                cmd=()
                while IFS= read -r -d '' part; do
                  part="${part#$'\\n'}"
                  if [[ ${#cmd[@]} -gt 0 || "$part" == */bin/java ]]; then cmd+=("$part"); fi
                done < <(java -Xmx128m -cp "$SPARK_HOME/jars/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@")
                exec "${cmd[@]}"
                """);
        String auth = secret == null ? "" : "spark.authenticate=true\nspark.authenticate.secret=" + secret + "\n";
        Path workerProps = privateFile(dir.resolve("worker.properties"), auth + "spark.worker.resource.gpu.amount=1\n"
                + "spark.worker.resource.gpu.discoveryScript=" + gpuScript + "\n");
        Path masterProps = privateFile(dir.resolve("master.properties"), auth);
        port = freePort();
        uiPort = freePort();
        start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(uiPort), "--properties-file", masterProps.toString());
        for (int w = 0; w < 2; w++) {
            start(dir.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    "1", "--memory", "1500m", "--webui-port", String.valueOf(freePort()), "--work-dir",
                    Files.createDirectories(dir.resolve("work" + w)).toString(), "--properties-file", workerProps.toString(),
                    "spark://127.0.0.1:" + port);
        }
        awaitWorkers(2);
    }

    /**
     * Starts a cluster for an integration test, or skips the test (JUnit assumption) where the data set or the
     * cluster jar is missing.
     *
     * @param dir    working folder
     * @param home   the project root
     * @param jar    the cluster jar the test submits
     * @param secret the shared secret, null for none
     * @return the running cluster
     */
    static LoopbackCluster startOrSkip(Path dir, Path home, Path jar, String secret) throws IOException, InterruptedException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of(org.axdse.kernel.data.DataSets.FASHION_MNIST)),
                "dataset-fashion-mnist not installed");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(jar), "cluster jar not built");
        return new LoopbackCluster(dir, home.resolve("spark-job/target/launcher-classpath.txt"), secret);
    }

    /** @return environment for processes that use this cluster's SPARK_HOME */
    Map<String, String> environment() {
        return Map.of("SPARK_HOME", home.toString(), "SPARK_SCALA_VERSION", "2.13", "JAVA_HOME",
                System.getProperty("java.home"), "SPARK_LOCAL_IP", "127.0.0.1");
    }

    private void start(Path log, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", home.resolve("jars") + "/*"));
        cmd.addAll(List.of(System.getProperty("axdse.jvm.opens", "").split(" ")).stream().filter(s -> !s.isBlank()).toList());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment());
        processes.add(pb.start());
    }

    private void awaitWorkers(int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        String json = "";
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + uiPort + "/json/").toURL().openConnection();
                c.setConnectTimeout(1000);
                json = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (json.split("\"state\" ?: ?\"ALIVE\"", -1).length - 1 >= n) {
                    return;
                }
            } catch (IOException e) {
                // the master is still starting
            }
            Thread.sleep(500);
        }
        throw new IOException("the loopback cluster did not get " + n + " alive workers in 120 s: " + json);
    }

    /** @return the executor processes (CoarseGrainedExecutorBackend) running now */
    static List<ProcessHandle> executors() {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .toList();
    }

    /**
     * Starts {@code submit/axdse-submit} against this cluster: one core and 1 GiB per executor, one fake GPU each.
     *
     * @param home the project root
     * @param jar  the cluster jar
     * @param conf {@code axdse.key=value} settings
     * @param log  where its output goes
     * @param env  more environment (AXDSE_* settings)
     * @return the process
     */
    Process submit(Path home, Path jar, List<String> conf, Path log, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(home.resolve("submit/axdse-submit").toString()));
        for (String c : conf) {
            cmd.add("--conf");
            cmd.add(c);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(environment());
        pb.environment().put("SPARK_SUBMIT", sparkSubmit.toString());
        pb.environment().put("AXDSE_MASTER", "spark://127.0.0.1:" + port);
        pb.environment().put("AXDSE_EXECUTOR_CORES", "1");
        pb.environment().put("AXDSE_EXECUTOR_MEMORY", "1g");
        pb.environment().put("AXDSE_GPUS_PER_EXECUTOR", "1");
        pb.environment().put("AXDSE_GPU_DISCOVERY", gpuScript.toString());
        pb.environment().put("AXDSE_JAR", jar.toString());
        pb.environment().putAll(env);
        return pb.start();
    }

    private static Path privateFile(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
