/**
 * Experiments made of several runs: {@link org.axdse.job.experiment.AlwannExperiment} runs ALWANN's comparison
 * (uniform assignments, tiled NSGA-II, per-layer NSGA-II) as ordinary runs and summarises, per accuracy-drop
 * budget, the least energy each method found ({@link org.axdse.job.experiment.BudgetChoice}), with their cost and
 * a projection to a larger cluster. Above the driver, below the command line.
 */
package org.axdse.job.experiment;
