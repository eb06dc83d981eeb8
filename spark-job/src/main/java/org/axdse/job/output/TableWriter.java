package org.axdse.job.output;

import java.io.IOException;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.axdse.kernel.AxdseException;

/**
 * Writes and reads the output tables under an output root, one run at a time: a run's rows replace that
 * run's partition ({@code run_id=...}) and nothing else (Spark's dynamic partition overwrite, whose commit
 * stages the files and moves the partition in at the end), so runs accumulate and a re-written run never
 * mixes old and new rows.
 */
public final class TableWriter {
    private final SparkSession spark;
    private final String root;

    /**
     * @param spark the session
     * @param root  output root (local path or Hadoop URI)
     */
    public TableWriter(SparkSession spark, String root) {
        this.spark = spark;
        this.root = root;
    }

    /** @return the folder of a table */
    public String path(String table) {
        return root.endsWith("/") ? root + table : root + "/" + table;
    }

    /**
     * Replaces one run's partition of a table with the given rows; with no rows the partition is deleted (a
     * dynamic overwrite with no rows would leave the old one in place).
     *
     * @param table   table name
     * @param runId   the run
     * @param records the run's rows, possibly none, all of the table's record type
     */
    public void replaceRun(String table, String runId, List<? extends TableRecord> records) {
        if (records.isEmpty()) {
            deleteRun(table, runId);
            return;
        }
        StructType schema = records.get(0).schema();
        List<Row> rows = records.stream().map(TableRecord::toRow).toList();
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        spark.conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        try {
            df.write().mode(SaveMode.Overwrite).partitionBy("run_id").parquet(path(table));
        } catch (Exception e) { // a full disk, a lost permission: Spark's job failure around Hadoop's IOException
            if (e instanceof AxdseException) {
                throw (AxdseException) e;
            }
            throw new AxdseException(path(table) + ": cannot write run " + runId + " (" + Failures.firstLine(e) + "); the"
                    + " table's other runs and this run's rows written before are as they were: fix the cause and run the same"
                    + " command again to resume", e);
        }
    }

    /**
     * Checks, before any work, that the root is a directory (created when missing) in which files can be written.
     *
     * @throws AxdseException naming the root (and the file in the way) otherwise ({@link OutputRoot#checkWritable})
     */
    public void checkWritable() {
        OutputRoot.checkWritable(root, spark.sparkContext().hadoopConfiguration());
    }

    /**
     * Deletes one run's partition of a table, if it exists.
     *
     * @param table table name
     * @param runId the run
     */
    public void deleteRun(String table, String runId) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path(table), "run_id=" + runId);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(p) && !fs.delete(p, true)) {
                throw new java.io.IOException("delete " + p + " failed");
            }
        } catch (java.io.IOException e) {
            throw new org.axdse.kernel.AxdseException(path(table) + ": cannot delete run " + runId + " (" + e + ")", e);
        }
    }

    /**
     * @param table table name
     * @param runId a run
     * @return that run's rows, empty when the table or the run does not exist
     */
    public List<Row> readRun(String table, String runId) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path(table));
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(new org.apache.hadoop.fs.Path(p, "run_id=" + runId))) {
                return List.of();
            }
        } catch (java.io.IOException e) {
            throw new org.axdse.kernel.AxdseException(path(table) + ": cannot read (" + e + ")", e);
        }
        // Read the run's own folder: reading the table root would let Spark infer run_id's type, and all-digit
        // ids such as 1 and 01 would then match each other.
        String dir = path(table) + "/run_id=" + runId;
        try {
            return spark.read().parquet(dir).withColumn("run_id", functions.lit(runId)).collectAsList();
        } catch (Exception e) { // a truncated or corrupt file: Spark's error, its cause Parquet's
            String bad = OutputRoot.unreadableFile(spark, dir);
            String why = bad != null ? Failures.firstLine(e).replace(bad, "the file") : Failures.firstLine(e);
            throw new AxdseException((bad != null ? bad : dir) + ": cannot read run " + runId + " of table " + table + " ("
                    + why + "); the run cannot resume from it: --overwrite replaces the run (its earlier"
                    + " rows are lost), or choose another axdse.run-id", e);
        }
    }

    /**
     * Writes a small text file under the output root (the run report), replacing it atomically where the file
     * system renames atomically: written beside it, then renamed.
     *
     * @param relative path under the root
     * @param text     content
     */
    public void writeText(String relative, String text) {
        try {
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(path(relative));
            org.apache.hadoop.fs.FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
            org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), "." + target.getName() + ".tmp");
            try (java.io.OutputStream o = fs.create(tmp, true)) {
                o.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new java.io.IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (IOException | org.apache.hadoop.fs.FSError e) { // Hadoop's local file system reports a full disk as FSError
            throw new AxdseException(path(relative) + ": cannot write (" + Failures.firstLine(e) + ")", e);
        }
    }
}
