package org.axdse.kernel.cuda.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU check bundle ({@code submit/gpu-check-bundle}) builds from this build's classes, stays under 60 MiB, and its
 * {@code run.sh} runs the check with the bundled runtime in an empty environment (no Java on the PATH, no JAVA_HOME),
 * which on this machine without a device means: one "no CUDA device" line, CPU figures only, exit status 0. So the
 * bundle a device machine will run cannot rot unnoticed.
 */
@Tag("slow")
class GpuCheckBundleTest {
    static final long MAX_BYTES = 60L << 20;

    @Test
    void theBundleBuildsFitsAndRunsOnItsOwnRuntimeWithoutADevice(@TempDir Path tmp) throws Exception {
        Path module = moduleDir();
        Path root = module.getParent();
        Path bundle = module.resolve("target").resolve("gpu-check");
        String classpath = String.join(File.pathSeparator, jarOf(JCudaDriver.class), nativesJar(), jarOf(org.slf4j.Logger.class),
                jarOf(org.slf4j.simple.SimpleLogger.class));

        Result build = run(root, Map.of("JAVA_HOME", System.getProperty("java.home"), "PATH", System.getenv("PATH"),
                "HOME", tmp.toString()), List.of("/bin/bash", "submit/gpu-check-bundle", "--no-build", "--classpath", classpath));
        assertEquals(0, build.exitCode(), "submit/gpu-check-bundle failed:\n" + build.output());
        System.out.printf("GpuCheckBundleTest: bundle built in %.1f s:%n%s", build.seconds(), build.output());

        long bytes = size(bundle);
        assertTrue(bytes < MAX_BYTES, "the bundle has " + bytes + " bytes, more than 60 MiB");
        for (String part : List.of("run.sh", "BUNDLE.txt", "runtime/bin/java", "lib/axdse-kernel-lib.jar")) {
            assertTrue(Files.exists(bundle.resolve(part)), part + " is in the bundle");
        }
        System.out.println("GpuCheckBundleTest: " + bytes + " bytes; " + Files.readString(bundle.resolve("BUNDLE.txt")));

        // A minimal runtime of its own: the vector API, none of the desktop, SQL or compiler modules.
        Result modules = run(bundle, Map.of(), List.of(bundle.resolve("runtime/bin/java").toString(), "--list-modules"));
        assertEquals(0, modules.exitCode(), modules.output());
        List<String> names = modules.output().lines().map(l -> l.replaceFirst("@.*", "")).toList();
        assertTrue(names.contains("java.base") && names.contains("jdk.incubator.vector"), names.toString());
        for (String absent : List.of("java.desktop", "java.sql", "jdk.compiler", "jdk.jlink")) {
            assertFalse(names.contains(absent), absent + " is not needed: " + names);
        }

        // run.sh in an empty environment: bash and the bundle, nothing else.
        Path out = tmp.resolve("out");
        Result check = run(bundle, Map.of("PATH", "/nonexistent", "HOME", tmp.toString(), "TMPDIR", tmp.toString()),
                List.of("/bin/bash", bundle.resolve("run.sh").toString(), "--quick", out.toString()));
        System.out.printf("GpuCheckBundleTest: run.sh --quick took %.1f s:%n%s", check.seconds(), check.output());
        assertEquals(0, check.exitCode(), "run.sh without a device exits 0:\n" + check.output());
        List<String> lines = check.output().lines().toList();
        List<String> noDevice = lines.stream().filter(l -> l.startsWith(GpuCheck.NO_DEVICE)).toList();
        assertEquals(1, noDevice.size(), "one line says there is no device:\n" + check.output());
        assertTrue(noDevice.get(0).endsWith("; CPU figures only"), noDevice.get(0));
        String runtime = bundle.resolve("runtime").toRealPath().toString();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("AxDSE GPU check") && l.endsWith("(" + runtime + ")")),
                "the check runs on the bundled runtime " + runtime + ", not the system JDK:\n" + check.output());
        assertTrue(lines.stream().noneMatch(l -> l.contains(" passed, ") || l.contains("FAILED") || l.contains("Exception")),
                "no equality cases and no failure without a device:\n" + check.output());
        int figures = 2 * Throughput.benches().size();
        assertEquals(figures, lines.stream().filter(l -> l.contains(" cpu ") && l.contains(" G LUT-MAC/s")).count(),
                "one CPU figure per bench and scheme");
        assertTrue(lines.get(lines.size() - 1).startsWith("gpu-check: ok in "), lines.get(lines.size() - 1));

        String json = Files.readString(out.resolve(GpuCheck.JSON_FILE), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"available\": false"), json);
        assertTrue(json.contains("\"home\": \"" + runtime + "\""), "JSON names the bundled runtime");
        assertEquals(figures, count(json, "\"backend\": \"cpu\""), json);
        assertEquals(0, count(json, "\"backend\": \"cuda\""), json);
        assertEquals(figures, count(json, "\"error\": null"), "every figure measured");
        assertFalse(json.contains("\"equality\""), "no equality section without a device");
        assertTrue(json.contains("\"exitStatus\": 0"), json);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** @return the kernel-lib module directory (the working directory under Maven, or below it from the root) */
    static Path moduleDir() {
        for (Path candidate : List.of(Path.of("."), Path.of("kernel-lib"))) {
            if (Files.isDirectory(candidate.resolve("src/main/kernels")) && Files.isRegularFile(candidate.resolve("pom.xml"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find kernel-lib from " + Path.of("").toAbsolutePath());
    }

    private static String jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** @return the jcuda-natives jar on this class path (JCuda loads its libraries from it) */
    private static String nativesJar() {
        URL url = JCudaDriver.class.getClassLoader().getResource("lib/libJCudaDriver-12.6.0-linux-x86_64.so");
        assertTrue(url != null && url.getProtocol().equals("jar"), "the linux-x86_64 JCuda natives jar is on the class path: " + url);
        String path = url.getPath(); // file:/.../jcuda-natives-12.6.0-linux-x86_64.jar!/lib/...
        return Path.of(java.net.URI.create(path.substring(0, path.indexOf("!/")))).toString();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).sum();
        }
    }

    record Result(int exitCode, String output, double seconds) {
    }

    /** Runs a command in exactly the environment {@code env} (nothing inherited), stdout and stderr together. */
    private static Result run(Path dir, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("gpu-check-bundle", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().clear();
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            try {
                if (!p.waitFor(600, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("timed out after 600 s: " + command + "\n" + Files.readString(log));
                }
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), (System.nanoTime() - t0) / 1e9);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
