/**
 * Statistics of racing and of validated fronts, on per-image results of candidates evaluated on the same test
 * images (paired): {@link org.axdse.job.stats.CorrectBits} packs and compares the results,
 * {@link org.axdse.job.stats.Intervals} gives Wilson intervals of accuracies, intervals of paired differences and
 * the exact one-sided McNemar test, on {@link org.axdse.job.stats.Binomial} tails and
 * {@link org.axdse.job.stats.Normal} quantiles; {@link org.axdse.job.stats.RacingRule} decides which candidates a
 * race can stop evaluating, with a Bonferroni bound on the chance of losing a front candidate. Depends on nothing
 * of AxDSE but {@code org.axdse.kernel.InvalidInputException}.
 */
package org.axdse.job.stats;
