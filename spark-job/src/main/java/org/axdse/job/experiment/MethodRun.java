package org.axdse.job.experiment;

import java.util.List;

import org.axdse.job.output.ParetoRecord;

/**
 * What one method's run of an experiment produced: its validated front and its cost.
 *
 * @param method                the method
 * @param runId                 its run id
 * @param candidates            candidates evaluated (the baseline included)
 * @param generations           generations after the initial population (as axdse.strategy.nsga2.generations counts
 *                              them; 0 for the uniform run)
 * @param imageEvaluations      images evaluated, summed over candidates (racing stops some early)
 * @param naiveImageEvaluations candidates x images, what the run would have cost without racing
 * @param wallSeconds           the run's wall time on the driver
 * @param evaluationSeconds     wall seconds inside its evaluation jobs (the search's stages and the validation)
 * @param executorSeconds       task time of those jobs summed over their tasks (what executors spent, in any number
 *                              of them): the search's evaluations (resumed ones included) and the validation
 * @param front                 the Pareto front in ascending energy, with its validation when the run validates
 */
public record MethodRun(Method method, String runId, int candidates, int generations, long imageEvaluations,
                        long naiveImageEvaluations, double wallSeconds, double evaluationSeconds, double executorSeconds,
                        List<ParetoRecord> front) {
    /** Copies the front. */
    public MethodRun {
        front = List.copyOf(front);
    }

    /**
     * The run's wall time on a cluster with more executors, from its own measurements: the driver's part
     * (everything outside the evaluation jobs) as measured, plus the executors' task time spread evenly over
     * {@code executors}. It assumes each stage has at least that many tasks and executors as fast as these.
     *
     * @param executors executor cores of the cluster
     * @return projected wall seconds
     */
    public double projectedSeconds(int executors) {
        return wallSeconds - evaluationSeconds + executorSeconds / executors;
    }
}
