package org.axdse.job.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code axdse} as a user does: {@link AxdseCli#main} in a JVM of its own (this one's class path and module
 * options), in a given working directory, so that what it prints, its exit status and the files it leaves can be
 * checked.
 */
final class CliProcess {
    /** The project root, from spark-job's working directory. */
    static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    /**
     * @param status exit status
     * @param out    standard output
     * @param err    standard error
     */
    record Result(int status, String out, String err) {
        /** @return standard error's lines */
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private CliProcess() {
    }

    /**
     * @param workDir the working directory
     * @param args    the command line after {@code axdse}
     * @return what it did
     */
    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-") || a.startsWith("-Djdk.") || a.startsWith("-Dio.netty")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Daxdse.home=" + HOME,
                "-Dlog4j2.configurationFile=" + HOME.resolve("conf/log4j2.properties"), AxdseCli.class.getName()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("axdse-cli", ".out");
        Path err = Files.createTempFile("axdse-cli", ".err");
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("axdse " + String.join(" ", args) + " did not end in 300 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
