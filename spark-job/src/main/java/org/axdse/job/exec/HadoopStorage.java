package org.axdse.job.exec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.axdse.kernel.io.FileSource;

/**
 * A directory on any Hadoop file system (local paths, hdfs://, s3a://), as a {@link FileSource} for the
 * library and data-set readers of kernel-lib.
 */
public final class HadoopStorage implements FileSource {
    private final String dir;
    private final transient FileSystem fs;

    /**
     * @param dir  the directory (a path or URI)
     * @param conf Hadoop configuration
     * @throws IOException if its file system cannot be reached
     */
    public HadoopStorage(String dir, Configuration conf) throws IOException {
        this.dir = dir;
        this.fs = FileSystem.get(URI.create(dir.contains("://") ? dir : "file:///"), conf);
    }

    private Path path(String name) {
        return new Path(new Path(dir), name);
    }

    @Override
    public String location() {
        return dir;
    }

    /**
     * @return null when the directory exists, else why it is not one ({@code no such directory} or {@code a file,
     *         not a directory})
     * @throws IOException if its file system cannot be asked
     */
    public String notADirectory() throws IOException {
        Path p = new Path(dir);
        if (!fs.exists(p)) {
            return "no such directory";
        }
        return fs.getFileStatus(p).isDirectory() ? null : "a file, not a directory";
    }

    @Override
    public boolean exists(String name) throws IOException {
        return fs.isFile(path(name));
    }

    @Override
    public InputStream open(String name) throws IOException {
        return fs.open(path(name));
    }

    @Override
    public List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(new Path(dir))) {
            if (s.isFile()) {
                names.add(s.getPath().getName());
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * @param file a file path or URI
     * @param conf Hadoop configuration
     * @return its bytes
     * @throws IOException if it cannot be read
     */
    public static byte[] readAll(String file, Configuration conf) throws IOException {
        FileSystem fs = FileSystem.get(URI.create(file.contains("://") ? file : "file:///"), conf);
        try (InputStream in = fs.open(new Path(file))) {
            return in.readAllBytes();
        }
    }
}
