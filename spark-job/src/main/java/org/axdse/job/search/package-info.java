/**
 * Search strategies and candidates: the one-shot uniform, exhaustive, random and list strategies, ALWANN's
 * NSGA-II ({@link org.axdse.job.search.Nsga2Strategy}, with {@link org.axdse.job.search.Dominance} and
 * {@link org.axdse.job.search.Hypervolume}), and the error-model guided sweep
 * ({@link org.axdse.job.search.ErrorModelStrategy}).
 */
package org.axdse.job.search;
