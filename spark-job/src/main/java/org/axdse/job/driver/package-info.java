/** The search job's driver: planning, aggregation, energy, Pareto front and output. */
package org.axdse.job.driver;
