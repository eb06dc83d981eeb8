package org.axdse.kernel.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.axdse.kernel.InvalidInputException;

/**
 * A directory of files that readers open by name: a local directory ({@link #of(Path)}) or, on the Spark
 * side, any Hadoop file system (the spark-job module adapts {@code FileSystem} to this interface). The
 * multiplier-library loader and the data-set readers read through it.
 */
public interface FileSource {
    /** @return the directory, for messages */
    String location();

    /**
     * @param name file name relative to the directory
     * @return whether it exists as a regular file
     * @throws IOException if the storage cannot be read
     */
    boolean exists(String name) throws IOException;

    /**
     * @param name file name relative to the directory
     * @return a stream of its bytes; the caller closes it
     * @throws IOException if it cannot be opened
     */
    InputStream open(String name) throws IOException;

    /**
     * @return the names of the regular files directly in the directory
     * @throws IOException if it cannot be listed
     */
    List<String> list() throws IOException;

    /**
     * @param dir a local directory
     * @return storage over it
     */
    static FileSource of(Path dir) {
        return new FileSource() {
            @Override
            public String location() {
                return dir.toString();
            }

            @Override
            public boolean exists(String name) {
                return Files.isRegularFile(dir.resolve(name));
            }

            @Override
            public InputStream open(String name) throws IOException {
                try {
                    return Files.newInputStream(dir.resolve(name));
                } catch (NoSuchFileException e) {
                    throw new InvalidInputException(dir.resolve(name) + ": file does not exist", e);
                }
            }

            @Override
            public List<String> list() throws IOException {
                try (Stream<Path> s = Files.list(dir)) {
                    return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
                }
            }
        };
    }
}
