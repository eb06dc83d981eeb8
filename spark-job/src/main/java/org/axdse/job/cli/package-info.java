/**
 * The {@code axdse} command line ({@link org.axdse.job.cli.AxdseCli}) and, until the search job
 * lands, the kernel demo it runs by default.
 */
package org.axdse.job.cli;
