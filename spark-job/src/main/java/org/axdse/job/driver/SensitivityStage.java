package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.List;

import org.axdse.job.output.SensitivityRecord;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.SearchSpace;
import org.axdse.kernel.estimate.ErrorModel;
import org.axdse.kernel.lut.MultiplierTable;

/**
 * The sensitivity stage ({@code axdse.sensitivity=true}): each approximable layer alone with each of its
 * multipliers, the other layers as in the exact 8-bit baseline, evaluated as one stage (generation
 * {@link SearchJob#SENSITIVITY_GENERATION}) before the strategy; its measurements, with the error model's
 * predictions beside them, are the {@code sensitivity} table and the report's heat map.
 */
final class SensitivityStage {
    private final ResolvedRun run;
    private final ErrorModel model;

    /**
     * @param run   the run
     * @param model the error model (for the predicted columns)
     */
    SensitivityStage(ResolvedRun run, ErrorModel model) {
        this.run = run;
        this.model = model;
    }

    /**
     * Evaluates the stage and returns its table.
     *
     * @param ledger the run's ledger
     * @return one record per approximable layer and multiplier (the exact table's rows are the baseline's)
     */
    List<SensitivityRecord> run(RunLedger ledger) {
        SearchSpace space = run.space();
        List<String> baseline = run.baseline().names();
        List<Candidate> singles = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            for (String m : space.approximable(l) ? space.options().get(l) : List.<String>of()) {
                if (!m.equals(baseline.get(l))) {
                    singles.add(single(l, m));
                }
            }
        }
        ledger.stage(SearchJob.SENSITIVITY_GENERATION, singles);
        double base = ledger.evaluation(run.baseline().id()).accuracy();
        List<SensitivityRecord> records = new ArrayList<>();
        for (int l = 0; l < space.layers(); l++) {
            for (String m : space.approximable(l) ? space.options().get(l) : List.<String>of()) {
                Candidate c = single(l, m);
                Evaluation e = ledger.evaluation(c.id());
                MultiplierTable table = run.library().get(m).table();
                records.add(new SensitivityRecord(run.runId(), l, run.network().layers().get(l).name(), m, c.id(), e.accuracy(),
                        base - e.accuracy(), e.relativeEnergy(), model.relativeError(l, table),
                        model.predictedLogitNoise(l, table), model.predictedDisagreement(l, table),
                        model.predictedAccuracyDrop(l, table), model.tolerance(l)));
            }
        }
        return records;
    }

    /** The baseline with multiplier {@code m} on layer {@code l} (the baseline itself for its own table). */
    private Candidate single(int l, String m) {
        List<String> names = new ArrayList<>(run.baseline().names());
        names.set(l, m);
        return Candidate.of(SearchJob.SENSITIVITY_GENERATION, names);
    }
}
