package org.axdse.job.stats;

/**
 * A closed interval {@code [low, high]} of a statistic, such as a confidence interval of an accuracy or of a
 * difference of accuracies.
 *
 * @param low  the lower end
 * @param high the upper end, {@code >= low}
 */
public record Interval(double low, double high) {
}
