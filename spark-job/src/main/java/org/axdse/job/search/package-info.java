/** Search strategies and candidates: uniform, exhaustive, random, list; the interface iterative ones implement. */
package org.axdse.job.search;
