/** The executor side: shard evaluation of candidate batches, Hadoop file access, broadcast inputs. */
package org.axdse.job.exec;
