package org.axdse.job.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.output.Failures;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.conv.KernelWarmUp;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;

/**
 * The {@code axdse} command line: {@code run} (the search job; the default), {@code demo}, {@code luts},
 * {@code train}, {@code eval}, {@code sql}, {@code bench} and {@code help} ({@link #usage()} lists their
 * options). Errors from AxDSE ({@link AxdseException}, also when Spark wraps one thrown in a task) are printed
 * as {@code axdse: MESSAGE}, without a stack trace, and exit with status 2; any other exception as one line
 * {@code axdse: unexpected error: ...} with status 1 (the environment variable {@code AXDSE_TRACE} adds its stack
 * trace).
 */
public final class AxdseCli {
    /** The project root: system property {@code axdse.home} (set by submit/axdse), else the working directory. */
    static final Path HOME = Path.of(System.getProperty("axdse.home", "."));

    private AxdseCli() {
    }

    /**
     * @param args {@code [COMMAND] [OPTIONS]}: the command and its options, as {@link #usage()} lists them;
     *             {@code run} when there is no command or the first argument is an option ({@code --help} and
     *             {@code -h} mean {@code help})
     */
    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (Throwable e) { // Scala code throws checked exceptions undeclared: catch them all, report one line
            System.err.println("axdse: " + message(e));
            if (System.getenv("AXDSE_TRACE") != null) {
                e.printStackTrace();
            }
            status = axdseCause(e) != null ? 2 : 1;
        }
        System.exit(status);
    }

    /**
     * @param e what a command threw
     * @return the message of the AxDSE error behind it; for any other (a bug, or a fault of Spark, Hadoop or the
     *         JVM that no check caught) the first line of its innermost message and where to get the stack trace
     */
    static String message(Throwable e) {
        AxdseException cause = axdseCause(e);
        if (cause != null) {
            return cause.getMessage();
        }
        String hint = e instanceof OutOfMemoryError ? "; give the JVM more memory (spark.driver.memory, AXDSE_JAVA_OPTS=-Xmx...)" : "";
        return "unexpected error: " + Failures.firstLine(e) + hint + " (AXDSE_TRACE=1 prints the stack trace)";
    }

    /** @return the AxDSE error behind {@code e} (Spark wraps errors of tasks), or null if there is none */
    static AxdseException axdseCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AxdseException a) {
                return a;
            }
        }
        return null;
    }

    static int run(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        boolean helpAsked = !rest.isEmpty() && List.of("--help", "-h").contains(rest.get(0));
        String command = helpAsked ? "help" : rest.isEmpty() || rest.get(0).startsWith("--") ? "run" : rest.remove(0);
        if (evaluatesHere(command, rest)) {
            // Compiles the CPU kernels' vector loops on another core while the command loads its inputs.
            KernelWarmUp.start();
        }
        return switch (command) {
            case "run" -> new RunCommand(System.out).run(rest);
            case "demo" -> demo(rest);
            case "luts" -> new LutsCommand(System.out).run(rest);
            case "train" -> new TrainCommand(System.out).run(rest);
            case "eval" -> new EvalCommand(System.out).run(rest);
            case "sql" -> new SqlCommand(System.out).run(rest);
            case "bench" -> new BenchCommand(System.out).run(rest);
            case "experiment" -> new ExperimentCommand(System.out).run(rest);
            case "help" -> {
                System.out.println(usage());
                yield 0;
            }
            default -> throw new AxdseException("unknown command '" + command + "'\n" + usage());
        };
    }

    /**
     * Whether this JVM will run the kernels: eval and bench always, run only on a local master (on a cluster
     * the executors warm up in their first task, and a driver's warm-up would only take a core from them).
     */
    static boolean evaluatesHere(String command, List<String> args) {
        if (command.equals("eval") || command.equals("bench")) {
            return true;
        }
        if (!command.equals("run") && !command.equals("experiment")) {
            return false;
        }
        int i = args.indexOf("--master");
        String master = i >= 0 && i + 1 < args.size() ? args.get(i + 1) : System.getProperty("spark.master", "local[*]");
        return master.startsWith("local");
    }

    static String usage() {
        return """
                usage: axdse [run] [--config FILE] [--conf axdse.key=value ...] [--overwrite] [--master URL]
                         the search job (default); keys in conf/README.md
                       axdse experiment alwann [--model resnet20|mobilenet|FILE] [--library DIR] [--budget-minutes M] ...
                         ALWANN's experiment: uniform, tiled and per-layer searches, summary per accuracy-drop budget
                       axdse demo [--luts DIR] [--master URL] [--seed N]
                       axdse luts list|show|generate|convert|plot|tune ...   (axdse luts for details)
                       axdse sql [--out ROOT] [--format table|csv|json] "SELECT ... FROM evaluations ..."
                       axdse eval --assign M1,M2,...|M [--model lenet5|FILE.onnx] [--library DIR] [--images N] ...
                       axdse train [--out FILE] [--epochs N]   (re-train the bundled LeNet-5)
                       axdse bench search [...]   search quality of nsga2 and error-model against exhaustive search
                       axdse bench eval [--model M] [--images N] [--backend cpu|cuda] ...   evaluation throughput per layer
                  demo   evaluate each unsigned multiplier of library DIR (default: the shipped luts/)
                         on a synthetic LeNet-5 conv layer in a Spark job: table metrics, relative power, layer
                         output error vs exact 8-bit, LUT kernel G MAC/s.
                """ + EvalCommand.USAGE;
    }

    private static int demo(List<String> args) {
        Path luts = null;
        String master = "local[*]";
        long seed = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String v = i + 1 < args.size() ? args.get(i + 1) : null;
            switch (a) {
                case "--luts" -> luts = Path.of(require(a, v));
                case "--master" -> master = require(a, v);
                case "--seed" -> {
                    try {
                        seed = Long.parseLong(require(a, v));
                    } catch (NumberFormatException e) {
                        throw new AxdseException("--seed: expected an integer, got '" + v + "'");
                    }
                }
                default -> throw new AxdseException("demo: unknown option '" + a + "'\n" + usage());
            }
            i++;
        }
        if (luts != null && !Files.isDirectory(luts)) {
            throw new AxdseException("--luts: expected a multiplier library directory, got " + luts + " (not a directory)");
        }
        MultiplierLibrary library = MultiplierLibraries.load(luts != null ? luts : HOME.resolve("luts"));
        List<MultiplierTable> tables = KernelDemo.unsignedTables(library);
        Map<String, Double> power = KernelDemo.relativePower(library);
        System.out.println("AxDSE kernel demo: " + tables.size() + " unsigned multiplier(s) of library " + library.location()
                + " (version " + library.version() + ") on a synthetic LeNet-5 conv2 layer "
                + KernelDemo.LAYER.inChannels() + "x" + KernelDemo.LAYER.inHeight() + "x" + KernelDemo.LAYER.inWidth()
                + " -> " + KernelDemo.LAYER.outChannels() + " (3x3), batch " + KernelDemo.BATCH + ", seed " + seed
                + ".\nSynthetic activations and weights (no model or data set; axdse eval and axdse run evaluate networks):"
                + " layer error = RMS(output - exact 8-bit output) / RMS(exact 8-bit output);"
                + " G MAC/s is indicative (tasks share the cores; submit/bench-kernels measures).");
        SparkSession spark = Launch.session(SparkSession.builder().appName("axdse-demo").master(master)
                .config("spark.ui.enabled", "false"), master);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<KernelDemo.Row> rows = KernelDemo.run(jsc, tables, power, seed);
            System.out.print(KernelDemo.format(rows));
            System.out.println("Spark master " + spark.sparkContext().master() + ", " + rows.size() + " tasks.");
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new AxdseException(option + ": expected a value");
        }
        return value;
    }
}
