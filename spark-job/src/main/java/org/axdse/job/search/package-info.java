/**
 * Search strategies and candidates: the one-shot uniform, exhaustive, random and list strategies, ALWANN's
 * NSGA-II ({@link org.axdse.job.search.Nsga2Strategy}, with {@link org.axdse.job.search.Dominance}), and the
 * error-model guided sweep ({@link org.axdse.job.search.ErrorModelStrategy}). The accuracy/energy Pareto front,
 * its dominance rule (ties and NaN), staircase and hypervolume are {@link org.axdse.job.search.ParetoFront2D}.
 */
package org.axdse.job.search;
