package org.axdse.job.output;

import java.io.IOException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.axdse.kernel.AxdseException;

/**
 * Checks of the output side that turn file-system faults into AxDSE errors naming the path: whether the output root
 * can be written before any work, and which Parquet file of a table Spark cannot read.
 */
public final class OutputRoot {
    private OutputRoot() {
    }

    /**
     * Checks that the root is a directory (created when missing) in which files can be written: not a file, not under
     * a file, not on a read-only or full file system.
     *
     * @param root   the output root (a local path or a Hadoop URI)
     * @param hadoop Hadoop configuration
     * @throws AxdseException naming the root (and the file in the way) otherwise
     */
    static void checkWritable(String root, Configuration hadoop) {
        Path rootPath = new Path(root);
        try {
            FileSystem fs = rootPath.getFileSystem(hadoop);
            for (Path p = rootPath; p != null; p = p.getParent()) {
                FileStatus status = status(fs, p);
                if (status != null) {
                    if (!status.isDirectory()) {
                        throw new AxdseException(root + ": " + (p.equals(rootPath) ? "is a file" : "lies under the file " + p)
                                + ", not a directory; choose another output root");
                    }
                    break;
                }
            }
            if (!fs.mkdirs(rootPath)) {
                throw new IOException("mkdirs failed");
            }
            Path probe = new Path(rootPath, ".axdse-write-check-" + java.util.UUID.randomUUID());
            try (java.io.OutputStream o = fs.create(probe, false)) {
                o.write(new byte[4096]); // a page: a file system with no room left fails here, not after the work
            } finally {
                fs.delete(probe, false);
            }
        } catch (IOException | org.apache.hadoop.fs.FSError e) { // Hadoop's local file system reports a full disk as FSError
            throw new AxdseException(root + ": cannot write there (" + Failures.firstLine(e) + "); choose another output root"
                    + " or fix its permissions or free space", e);
        }
    }

    /** A path's status, null when nothing is there (also when a file lies on the way, which some file systems report). */
    private static FileStatus status(FileSystem fs, Path p) throws IOException {
        try {
            return fs.getFileStatus(p);
        } catch (java.io.FileNotFoundException | org.apache.hadoop.fs.ParentNotDirectoryException e) {
            return null;
        }
    }

    /**
     * @param spark a session
     * @param dir   a folder of Parquet files (a table or a partition)
     * @return the first of its data files that Spark cannot read on its own, null if it reads each
     */
    public static String unreadableFile(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            org.apache.hadoop.fs.RemoteIterator<org.apache.hadoop.fs.LocatedFileStatus> files = fs.listFiles(p, true);
            while (files.hasNext()) {
                Path f = files.next().getPath();
                if (f.getName().startsWith(".") || f.getName().startsWith("_")) {
                    continue;
                }
                try {
                    spark.read().parquet(f.toString()).collectAsList();
                } catch (Exception e) {
                    return f.toString();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
