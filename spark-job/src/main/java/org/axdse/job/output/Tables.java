package org.axdse.job.output;

/**
 * The names of the five Parquet tables of ARCHITECTURE.md section 4, of the {@value #SENSITIVITY} table
 * written when a run has the sensitivity stage, and of the {@value #EXPERIMENTS} table of {@code axdse experiment};
 * each table's schema lies beside its row record ({@link RunRecord}, {@link LayerRecord}, {@link MultiplierRecord},
 * {@link EvaluationRecord}, {@link SensitivityRecord}, {@link ExperimentRecord}). Every table is partitioned by {@code run_id} (written as the partition
 * directory, so it is not a column of the files).
 */
public final class Tables {
    /** Table names, which are also their folder names under the output root. */
    public static final String RUNS = "runs";
    /** Per-layer facts of a run. */
    public static final String LAYERS = "layers";
    /** The library as the run saw it. */
    public static final String MULTIPLIERS = "multipliers";
    /** One row per evaluated candidate. */
    public static final String EVALUATIONS = "evaluations";
    /** The evaluations on the accuracy/energy Pareto front. */
    public static final String PARETO = "pareto";

    /** Each approximable layer alone with each multiplier (the sensitivity stage). */
    public static final String SENSITIVITY = "sensitivity";

    /** An experiment's summary: per accuracy-drop budget and method, the cheapest assignment (run_id = experiment id). */
    public static final String EXPERIMENTS = "experiments";

    private Tables() {
    }
}
