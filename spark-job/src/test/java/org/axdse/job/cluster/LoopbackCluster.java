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
        Path workerProps = dir.resolve("worker.properties");
        Files.writeString(workerProps, "spark.worker.resource.gpu.amount=1\nspark.worker.resource.gpu.discoveryScript=" + gpuScript
                + "\n");
        port = freePort();
        uiPort = freePort();
        start(dir.resolve("master.log"), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(port), "--webui-port", String.valueOf(uiPort));
        for (int w = 0; w < 2; w++) {
            start(dir.resolve("worker" + w + ".log"), "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores",
                    "1", "--memory", "1500m", "--webui-port", String.valueOf(freePort()), "--work-dir",
                    Files.createDirectories(dir.resolve("work" + w)).toString(), "--properties-file", workerProps.toString(),
                    "spark://127.0.0.1:" + port);
        }
        awaitWorkers(2);
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
