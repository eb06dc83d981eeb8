/**
 * The typed settings: every {@code axdse.*} job key ({@link org.axdse.job.config.JobConfig}) and every
 * {@code spark.axdse.*} cluster setting ({@link org.axdse.job.config.SparkSettings}), each with its default,
 * validator and documentation line ({@link org.axdse.job.config.ConfigKey}), read nowhere else. Keys hold typed
 * values: numbers, enums for fixed choices ({@link org.axdse.job.config.StrategyKind},
 * {@link org.axdse.job.config.SignednessFilter}, {@link org.axdse.job.config.CostSource}, the range mode) and
 * {@link org.axdse.job.config.Selection} for {@code all}-or-list keys, so nothing downstream parses text.
 */
package org.axdse.job.config;
