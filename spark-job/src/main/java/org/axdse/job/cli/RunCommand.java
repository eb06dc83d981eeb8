package org.axdse.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.SearchJob;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.kernel.AxdseException;

/**
 * {@code axdse run [--config FILE] [--conf axdse.key=value ...] [--overwrite] [--master URL]}: the search job.
 * With no options it runs the embedded default: the bundled LeNet-5, the shipped library, Fashion-MNIST,
 * the uniform (ALWANN baseline) strategy, output in {@code axdse-out/}.
 */
final class RunCommand {
    static final String USAGE = """
            usage: axdse run [--config FILE.properties] [--conf axdse.key=value ...] [--overwrite] [--master URL]
                   keys and defaults: conf/README.md""";

    private final PrintStream out;

    RunCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        Path file = null;
        List<String> overrides = new ArrayList<>();
        boolean overwrite = false;
        String master = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--config" -> file = Path.of(Sessions.value("run", args, ++i, a));
                case "--conf" -> overrides.add(Sessions.value("run", args, ++i, a));
                case "--overwrite" -> overwrite = true;
                case "--master" -> master = Sessions.value("run", args, ++i, a);
                default -> throw new AxdseException("run: unknown option " + a + "\n" + USAGE);
            }
        }
        JobConfig cfg = JobConfig.load(file, overrides);
        SparkSession spark = Sessions.start("axdse " + cfg.get(JobConfig.RUN_ID), master);
        try {
            SearchJob.Summary s = new SearchJob(spark, cfg, overwrite, AxdseCli.HOME).run();
            print(s, cfg.get(JobConfig.SENSITIVITY));
        } catch (RuntimeException e) {
            throw Sessions.explainStopped(spark, e);
        } finally {
            spark.stop();
        }
        return 0;
    }


    private void print(SearchJob.Summary s, boolean sensitivity) {
        String shared = s.macsComputed() < s.macs() ? String.format(Locale.ROOT,
                " (%.0f%% of the layer MACs computed: candidates share equal layer prefixes)", 100.0 * s.macsComputed() / s.macs()) : "";
        out.printf(Locale.ROOT, "run %s: %d candidates (%d evaluated now) in %d generation(s) on %d shards in %.1f s,"
                        + " %.2f G LUT-MAC/s%s%n", s.runId(), s.candidates(), s.evaluatedNow(), s.generations(), s.shards(),
                s.seconds(), s.macsPerSecond() / 1e9, shared);
        if (s.evaluationSeconds() > 0) {
            out.printf(Locale.ROOT, "  of which %.1f s in the evaluation jobs (%.2f G LUT-MAC/s), %.1f s loading, calibrating"
                            + " and writing tables%n", s.evaluationSeconds(), s.macs() / s.evaluationSeconds() / 1e9,
                    s.seconds() - s.evaluationSeconds());
        }
        if (s.imageEvaluations() < s.naiveImageEvaluations()) {
            out.printf(Locale.ROOT, "  racing: %,d image-evaluations of %,d for every candidate on every image (%.1f%%)%n",
                    s.imageEvaluations(), s.naiveImageEvaluations(), 100.0 * s.imageEvaluations() / s.naiveImageEvaluations());
        }
        boolean validated = s.front().stream().anyMatch(r -> r.validation() != null);
        out.printf(Locale.ROOT, "Pareto front (%d): best accuracy at each energy level%s%n", s.front().size(), validated
                ? String.format(Locale.ROOT, "; validated on %d further images (%.0f%% intervals; * = gain over the cheaper"
                        + " neighbour not significant)", s.front().get(0).validation().images(), 100 * s.confidence()) : "");
        out.printf(Locale.ROOT, "  %-8s %-9s %-9s %s%s%n", "energy", "accuracy", "drop", validated
                ? String.format(Locale.ROOT, "%-10s %-17s %-9s %-17s ", "validated", "interval", "drop", "drop interval") : "",
                "assignment");
        for (ParetoRecord p : s.front()) {
            EvaluationRecord r = p.evaluation();
            ParetoRecord.Validation v = p.validation();
            String checked = v == null ? "" : String.format(Locale.ROOT, "%-10s [%.4f,%.4f] %-9.4f [%.4f,%.4f] ",
                    String.format(Locale.ROOT, "%.4f%s", v.accuracy(), Boolean.FALSE.equals(v.gainSignificant()) ? "*" : ""),
                    v.accuracyLow(), v.accuracyHigh(), v.drop(), v.dropLow(), v.dropHigh());
            out.printf(Locale.ROOT, "  %-8.4f %-9.4f %-9.4f %s%s%n", r.relativeEnergy(), r.accuracy(), r.accuracyDrop(), checked,
                    String.join(",", r.assignment()));
        }
        out.printf(Locale.ROOT, "tables: %s{runs,layers,multipliers,evaluations,pareto%s}/run_id=%s%n", s.output(),
                sensitivity ? ",sensitivity" : "", s.runId());
    }
}
