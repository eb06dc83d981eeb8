/**
 * The Parquet output tables (runs, layers, multipliers, evaluations, pareto, sensitivity), partitioned by
 * run_id: one typed record per table with its schema ({@link org.axdse.job.output.TableRecord}) and the writer
 * that replaces, deletes and reads back one run's partition. Spark rows are made here and nowhere else.
 */
package org.axdse.job.output;
