/** The typed job configuration: every axdse.* key with its default, validator and documentation. */
package org.axdse.job.config;
