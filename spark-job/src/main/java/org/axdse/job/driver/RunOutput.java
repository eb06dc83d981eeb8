package org.axdse.job.driver;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.LayerRecord;
import org.axdse.job.output.MultiplierRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.job.output.RunRecord;
import org.axdse.job.output.SensitivityRecord;
import org.axdse.job.output.TableWriter;
import org.axdse.job.output.Tables;
import org.axdse.kernel.InvalidInputException;

/**
 * One run's tables under the output root: the resume check against an earlier invocation of the run id, and
 * the writes of each table's partition for this run (nothing else under the root is touched).
 */
final class RunOutput {
    private final SparkSession spark;
    private final ResolvedRun run;
    private final TableWriter tables;
    private final List<EvaluationRecord> earlier;

    private RunOutput(SparkSession spark, ResolvedRun run, TableWriter tables, List<EvaluationRecord> earlier) {
        this.spark = spark;
        this.run = run;
        this.tables = tables;
        this.earlier = earlier;
    }

    /**
     * Opens the run's output: without {@code overwrite}, an existing run id must have the same fingerprint and its
     * evaluations are kept; with it, they are replaced.
     *
     * @param spark     the session
     * @param run       the resolved run
     * @param overwrite replace an existing run instead of resuming it
     * @return the output
     * @throws InvalidInputException when the run id exists with settings that change results or its evaluations used
     *                               tables that changed since ({@link ResumeCheck})
     */
    static RunOutput open(SparkSession spark, ResolvedRun run, boolean overwrite) {
        TableWriter tables = new TableWriter(spark, run.outputRoot());
        try {
            tables.checkWritable(); // before any work: a file in the way, a read-only or full file system
        } catch (org.axdse.kernel.AxdseException e) {
            throw new InvalidInputException(JobConfig.OUTPUT.name() + ": " + e.getMessage(), e);
        }
        List<EvaluationRecord> earlier = new ArrayList<>();
        if (!overwrite) {
            for (Row r : tables.readRun(Tables.RUNS, run.runId())) {
                ResumeCheck.settings(run.runId(), tables.path(Tables.RUNS), r.getAs("fingerprint"), run.fingerprint());
            }
            tables.readRun(Tables.EVALUATIONS, run.runId()).forEach(r -> earlier.add(EvaluationRecord.from(r)));
            ResumeCheck.tables(run, tables.path(Tables.EVALUATIONS), earlier);
        }
        return new RunOutput(spark, run, tables, earlier);
    }

    /** @return the evaluations an earlier invocation of this run id wrote (none when overwriting) */
    List<EvaluationRecord> earlier() {
        return earlier;
    }

    /** @return the output root */
    String root() {
        return tables.path("");
    }

    /**
     * Writes the run's row.
     *
     * @param finished   end time, null while running
     * @param status     {@code running} or {@code finished}
     * @param candidates candidates of the run so far
     * @param rows       this invocation's evaluation rows (executors, backends, MAC counts)
     * @param seconds    wall time (0 while running)
     * @param imageEvaluations images evaluated over the run's candidates
     */
    void runRow(Timestamp finished, String status, int candidates, List<EvaluationRow> rows, double seconds,
                long imageEvaluations) {
        Map<String, Integer> backends = new TreeMap<>();
        Set<String> executors = new HashSet<>();
        long computed = 0;
        long naive = 0;
        for (EvaluationRow r : rows) {
            backends.merge(r.backend(), 1, Integer::sum);
            executors.add(r.executor());
            computed += r.macsComputed();
            naive += r.macsNaive();
        }
        StringBuilder config = new StringBuilder("{");
        run.config().resolved().forEach((k, v) -> config.append(config.length() > 1 ? ", " : "").append('"').append(k)
                .append("\": \"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"'));
        config.append('}');
        tables.replaceRun(Tables.RUNS, run.runId(), List.of(new RunRecord(run.runId(), run.started(), finished, status,
                run.modelSource(), run.network().sha256(), run.dataDir(), run.images(),
                run.config().get(JobConfig.STRATEGY).spelling(), config.toString(), spark.sparkContext().master(),
                executors.size(), backends.toString(), run.library().location(), run.library().version(), candidates, computed,
                naive, seconds, run.fingerprint(), imageEvaluations, (long) candidates * run.images())));
    }

    /**
     * @param layers      the layers table's records
     * @param multipliers the multipliers table's records
     */
    void describe(List<LayerRecord> layers, List<MultiplierRecord> multipliers) {
        tables.replaceRun(Tables.MULTIPLIERS, run.runId(), multipliers);
        tables.replaceRun(Tables.LAYERS, run.runId(), layers);
    }

    /**
     * @param records every evaluation of the run: written to {@code evaluations}, the front's to {@code pareto}
     *                (not validated yet)
     */
    void evaluations(List<EvaluationRecord> records) {
        tables.replaceRun(Tables.EVALUATIONS, run.runId(), records);
        pareto(records.stream().filter(EvaluationRecord::onParetoFront).map(r -> new ParetoRecord(r, null)).toList());
    }

    /** @param records the front, validated or not */
    void pareto(List<ParetoRecord> records) {
        tables.replaceRun(Tables.PARETO, run.runId(), records);
    }

    /** @param records the sensitivity stage's records; none deletes the run's partition (an overwritten run's) */
    void sensitivity(List<SensitivityRecord> records) {
        tables.replaceRun(Tables.SENSITIVITY, run.runId(), records);
    }

    /** @param html the run's report: {@code reports/<run_id>.html} and {@code report.html} (the latest run) */
    void report(String html) {
        tables.writeText("reports/" + run.runId() + ".html", html);
        tables.writeText("report.html", html);
    }
}
