package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.axdse.job.config.JobConfig;
import org.axdse.job.exec.EvaluationRow;
import org.axdse.job.output.EvaluationRecord;
import org.axdse.job.output.ParetoRecord;
import org.axdse.job.output.SensitivityRecord;
import org.axdse.job.report.RunReport;
import org.axdse.kernel.model.ApproxLayer;

/** Assembles a finished run's HTML report from its evaluations (the facts table, the front plot, the heat map). */
final class RunReportWriter {
    private RunReportWriter() {
    }

    /**
     * @param run         the run
     * @param master      the Spark master URL
     * @param ledger      the run's evaluations
     * @param records     their {@code evaluations} records (front membership and drop)
     * @param front       the front with its validation
     * @param sensitivity the sensitivity stage's records (empty without the stage)
     * @param seconds     the run's wall time
     * @return the HTML page
     */
    static String html(ResolvedRun run, String master, RunLedger ledger, List<EvaluationRecord> records,
                       List<ParetoRecord> front, List<SensitivityRecord> sensitivity, double seconds) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("model", run.modelSource() + " (sha256 " + run.network().sha256().substring(0, 16) + "...)");
        facts.put("library", run.library().location() + " (version " + run.library().version() + ", power unit "
                + (run.library().powerUnit().isEmpty() ? "unstated" : run.library().powerUnit()) + ")");
        facts.put("data", run.dataDir() + ", first " + run.images() + " test images");
        facts.put("strategy", run.config().get(JobConfig.STRATEGY).spelling() + ", " + records.size() + " evaluations");
        facts.put("ranges", JobConfig.spelling(run.config().get(JobConfig.RANGES)) + ", weights "
                + (run.config().get(JobConfig.PER_CHANNEL) ? "per channel" : "per tensor"));
        facts.put("time", String.format(Locale.ROOT, "%.1f s, %.2f G LUT-MAC/s (%,d LUT-MACs evaluated now; %,d computed,"
                        + " the rest shared between candidates with equal layer prefixes)", seconds,
                ledger.macsNaive() / Math.max(1e-9, seconds) / 1e9, ledger.macsNaive(), ledger.macsComputed()));
        Map<String, Integer> backends = new TreeMap<>();
        Set<String> executors = new HashSet<>();
        for (EvaluationRow r : ledger.rows()) {
            backends.merge(r.backend(), 1, Integer::sum);
            executors.add(r.executor());
        }
        facts.put("spark", master + ", " + executors.size() + " executor(s), backends " + backends);
        List<RunReport.Point> points = new ArrayList<>();
        for (EvaluationRecord r : records) {
            points.add(new RunReport.Point(r.candidateId(), r.assignment(), r.accuracy(), r.relativeEnergy(), r.onParetoFront(),
                    r.isUniform(), r.accuracyLow(), r.accuracyHigh(), r.racedOutRound() >= 0));
        }
        Map<String, RunReport.Validation> validated = new LinkedHashMap<>();
        for (ParetoRecord p : front) {
            ParetoRecord.Validation v = p.validation();
            if (v != null) {
                validated.put(p.evaluation().candidateId(), new RunReport.Validation(v.images(), v.accuracy(), v.accuracyLow(),
                        v.accuracyHigh(), v.drop(), v.dropLow(), v.dropHigh(), v.gainSignificant()));
            }
        }
        long naive = (long) records.size() * run.images();
        if (ledger.imageEvaluations() < naive) {
            facts.put("racing", String.format(Locale.ROOT, "%,d image-evaluations of %,d (%.1f%%); %d candidates raced out",
                    ledger.imageEvaluations(), naive, 100.0 * ledger.imageEvaluations() / naive,
                    records.stream().filter(r -> r.racedOutRound() >= 0).count()));
        }
        List<RunReport.Sensitivity> cells = new ArrayList<>();
        for (SensitivityRecord r : sensitivity) {
            cells.add(new RunReport.Sensitivity(r.layerIndex(), r.layerName(), r.multiplier(), r.accuracyDrop(),
                    r.predictedAccuracyDrop()));
        }
        return RunReport.html(run.runId(), facts, run.network().layers().stream().map(ApproxLayer::name).toList(), points, cells,
                validated);
    }
}
