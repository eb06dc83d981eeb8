/** The self-contained HTML report of a run (inline SVG, no scripts). */
package org.axdse.job.report;
