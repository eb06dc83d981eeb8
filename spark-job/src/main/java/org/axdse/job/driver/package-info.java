/**
 * The search job's driver, read top-down from {@link org.axdse.job.driver.SearchJob#run()}:
 * <ol>
 *   <li>{@link org.axdse.job.driver.RunResolver} turns the typed settings into a
 *       {@link org.axdse.job.driver.ResolvedRun} (model, library with AxTune's tables, search space, baseline,
 *       data, fingerprint), checking everything before any Spark job;</li>
 *   <li>{@link org.axdse.job.driver.StrategyFactory} builds the strategy (so its settings fail early too);</li>
 *   <li>{@link org.axdse.job.driver.RunOutput} resumes or refuses an existing run id and writes the run's
 *       partitions of the tables;</li>
 *   <li>the stages, each one Spark job through {@link org.axdse.job.driver.RunLedger#stage}: the optional
 *       {@link org.axdse.job.driver.SensitivityStage}, then the strategy's generations (the exact 8-bit baseline
 *       goes with the first stage);</li>
 *   <li>the final {@code runs} row and the report ({@link org.axdse.job.driver.RunReportWriter}).</li>
 * </ol>
 * A candidate's result has one form on the driver, {@link org.axdse.job.driver.Evaluation}, from the sum of its
 * shards ({@link org.axdse.job.driver.ShardTotals}, plain Java) to the table records
 * ({@link org.axdse.job.driver.EvaluationTable}) and the report. Energy is ALWANN's relative multiplier energy
 * ({@link org.axdse.job.driver.Energy}).
 */
package org.axdse.job.driver;
