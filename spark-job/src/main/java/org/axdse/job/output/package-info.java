/** The Parquet output tables (runs, layers, multipliers, evaluations, pareto), partitioned by run_id. */
package org.axdse.job.output;
