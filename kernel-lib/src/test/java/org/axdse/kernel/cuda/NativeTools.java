package org.axdse.kernel.cuda;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Finds and runs the native tools (nvcc, g++) of the kernel build checks, which skip when a tool is absent. */
final class NativeTools {
    /** Where the CUDA sources live, relative to kernel-lib. */
    static final String KERNELS = "src/main/kernels";

    private static final File NULL_DEVICE = new File(File.separatorChar == '\\' ? "NUL" : "/dev/null");

    private NativeTools() {
    }

    /** Output and exit status of a finished command, and how long it ran. */
    record Result(int exitCode, String output, long millis) {
    }

    /**
     * @param name      an executable's name, looked up on the PATH
     * @param fallbacks absolute paths tried when it is not on the PATH
     * @return the executable, if any
     */
    static Optional<Path> find(String name, String... fallbacks) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path p = Path.of(dir, name);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return Optional.of(p);
                    }
                }
            }
        }
        for (String f : fallbacks) {
            Path p = Path.of(f);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** @return nvcc: the PATH, else the CUDA toolkit's default places */
    static Optional<Path> nvcc() {
        return find("nvcc", "/usr/local/cuda/bin/nvcc", "/usr/local/bin/nvcc");
    }

    /** @return the kernel-lib module directory (the working directory under Maven, or below it from the root) */
    static Path moduleDir() {
        for (Path candidate : List.of(Path.of("."), Path.of("kernel-lib"))) {
            if (Files.isRegularFile(candidate.resolve(KERNELS).resolve("lut_kernels.cu"))) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("cannot find " + KERNELS + "/lut_kernels.cu from " + Path.of("").toAbsolutePath());
    }

    /**
     * Runs a command to completion (stdout and stderr together), failing after {@code timeoutSeconds}.
     *
     * @param dir            working directory
     * @param env            extra environment variables
     * @param timeoutSeconds limit
     * @param command        the command and its arguments
     * @return its result
     */
    static Result run(Path dir, Map<String, String> env, int timeoutSeconds, List<String> command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("axdse-native", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(NULL_DEVICE));
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + command);
                }
            } finally {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // nvcc's cicc and ptxas
                p.destroyForcibly();
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), millis);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
