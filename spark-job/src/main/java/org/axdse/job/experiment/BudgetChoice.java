package org.axdse.job.experiment;

import java.util.ArrayList;
import java.util.List;

import org.axdse.job.output.ParetoRecord;

/**
 * For one accuracy-drop budget and one method, the cheapest assignment of that method's front whose drop stays
 * within the budget, and its saving over the best uniform assignment within the same budget.
 *
 * <p>The drop is the validated one (measured again on test images the search never saw, paired with the
 * baseline on the same images) when the run validated its front; a front member without a validation is then
 * not eligible, since its search accuracy is biased upwards by the selection. Without validation the search drop
 * is used, and {@link #validated()} says so. The exact 8-bit baseline, when it is on the front, has drop 0 and so
 * is eligible for every budget; when a cheaper assignment dominates it and still exceeds the budget on the
 * validation images, the method has no choice within that budget. Ties in energy go to the higher accuracy.
 *
 * @param budget            accuracy-drop budget as a fraction (0.005 = 0.5 percentage points)
 * @param run               the method's run
 * @param choice            the chosen front member, null when none is within the budget
 * @param validated         whether the choice was judged by its validated drop
 * @param savingOverUniform {@code 1 - energy / energy of the uniform choice within the same budget}; NaN when the
 *                          uniform method did not run or either has no choice
 */
public record BudgetChoice(double budget, MethodRun run, ParetoRecord choice, boolean validated, double savingOverUniform) {
    /** Budgets are compared with this slack, so a drop equal to the budget in decimal stays within it. */
    static final double SLACK = 1e-12;

    /** @return the choice's drop as judged (validated or search), NaN without a choice */
    public double drop() {
        return choice == null ? Double.NaN : drop(choice, validated);
    }

    /** @return the choice's relative energy, NaN without a choice */
    public double relativeEnergy() {
        return choice == null ? Double.NaN : choice.evaluation().relativeEnergy();
    }

    /**
     * @param runs    the experiment's runs, the uniform one (if any) among them
     * @param budgets drop budgets as fractions, in the order the table lists them
     * @return one choice per budget and run, budgets outermost, runs in the given order
     */
    public static List<BudgetChoice> table(List<MethodRun> runs, List<Double> budgets) {
        MethodRun uniform = runs.stream().filter(r -> r.method() == Method.UNIFORM).findFirst().orElse(null);
        List<BudgetChoice> rows = new ArrayList<>();
        for (double budget : budgets) {
            ParetoRecord uniformChoice = uniform == null ? null : choose(uniform, budget);
            double uniformEnergy = uniformChoice == null ? Double.NaN : uniformChoice.evaluation().relativeEnergy();
            for (MethodRun run : runs) {
                ParetoRecord choice = choose(run, budget);
                double saving = choice == null ? Double.NaN : 1 - choice.evaluation().relativeEnergy() / uniformEnergy;
                rows.add(new BudgetChoice(budget, run, choice, isValidated(run), saving));
            }
        }
        return rows;
    }

    private static boolean isValidated(MethodRun run) {
        return run.front().stream().anyMatch(p -> p.validation() != null);
    }

    /** @return the cheapest front member within the budget, null when there is none */
    static ParetoRecord choose(MethodRun run, double budget) {
        boolean validated = isValidated(run);
        ParetoRecord best = null;
        for (ParetoRecord p : run.front()) {
            double drop = drop(p, validated);
            if (drop <= budget + SLACK && !Double.isNaN(p.evaluation().relativeEnergy()) && (best == null || better(p, best))) {
                best = p;
            }
        }
        return best;
    }

    /** NaN (never within a budget) for a front member left unvalidated in a validated run. */
    private static double drop(ParetoRecord p, boolean validated) {
        if (!validated) {
            return p.evaluation().accuracyDrop();
        }
        return p.validation() == null ? Double.NaN : p.validation().drop();
    }

    private static boolean better(ParetoRecord a, ParetoRecord b) {
        double ea = a.evaluation().relativeEnergy();
        double eb = b.evaluation().relativeEnergy();
        return ea < eb || ea == eb && a.evaluation().accuracy() > b.evaluation().accuracy();
    }
}
