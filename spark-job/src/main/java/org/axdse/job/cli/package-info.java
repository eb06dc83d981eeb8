/**
 * The {@code axdse} command line ({@link org.axdse.job.cli.AxdseCli}): {@code run} launches the search job
 * (the default), {@code luts} inspects, generates and converts multiplier libraries, {@code eval} and
 * {@code train} evaluate one assignment and re-train the bundled models, {@code sql} queries the output,
 * {@code bench} measures search quality and evaluation throughput, and {@code demo} runs the kernel demo.
 */
package org.axdse.job.cli;
