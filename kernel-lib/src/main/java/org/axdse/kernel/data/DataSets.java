package org.axdse.kernel.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.io.FileSource;

/**
 * Finds and reads the data sets AxDSE knows by directory layout:
 * <ul>
 *   <li>IDX (MNIST, Fashion-MNIST): {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 *       {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]};</li>
 *   <li>CIFAR-10 binary: {@code data_batch_1.bin .. data_batch_5.bin}, {@code test_batch.bin}.</li>
 * </ul>
 * {@code fashion-mnist} names Debian's {@code dataset-fashion-mnist} package,
 * {@value #FASHION_MNIST}. Files are opened through a {@link FileSource} so the Spark job can read Hadoop paths.
 */
public final class DataSets {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final String FASHION_MNIST = "/usr/share/datasets/fashion-mnist";

    /** Which part of a data set. */
    public enum Split {
        /** Training images (calibration uses their first ones). */
        TRAIN,
        /** Test images (evaluation). */
        TEST
    }

    private DataSets() {
    }

    /**
     * @param spec {@code fashion-mnist} or a directory
     * @return the directory it names
     */
    public static Path resolve(String spec) {
        return Path.of(spec.equals("fashion-mnist") ? FASHION_MNIST : spec);
    }

    /**
     * @param spec  {@code fashion-mnist} or a local directory
     * @param split train or test
     * @param limit first images wanted, or -1 for all
     * @param norm  normalisation
     * @return the images
     */
    public static ImageSet read(String spec, Split split, int limit, Normalization norm) {
        Path dir = resolve(spec);
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": data set directory does not exist"
                    + (spec.equals("fashion-mnist") ? " (install Debian's dataset-fashion-mnist package)" : ""));
        }
        return read(FileSource.of(dir), split, limit, norm);
    }

    /**
     * @param files the data set's directory
     * @param split train or test
     * @param limit first images wanted, or -1 for all
     * @param norm  normalisation
     * @return the images
     */
    public static ImageSet read(FileSource files, Split split, int limit, Normalization norm) {
        try {
            String prefix = split == Split.TRAIN ? "train" : "t10k";
            String images = find(files, prefix + "-images-idx3-ubyte");
            if (images != null) {
                String labels = find(files, prefix + "-labels-idx1-ubyte");
                if (labels == null) {
                    throw new InvalidInputException(files.location() + ": has " + images + " but no " + prefix
                            + "-labels-idx1-ubyte[.gz]");
                }
                ImageSet s = IdxReader.read(files.open(images), files.open(labels), limit, norm,
                        files.location() + "/" + images, files.location() + "/" + labels);
                return checkCount(s, limit, files.location());
            }
            List<String> batches = split == Split.TRAIN
                    ? List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin")
                    : List.of("test_batch.bin");
            if (files.exists(batches.get(0))) {
                List<CifarReader.Part> parts = new ArrayList<>();
                for (String b : batches) {
                    if (!files.exists(b)) {
                        throw new InvalidInputException(files.location() + ": CIFAR-10 file " + b + " is missing");
                    }
                    parts.add(new CifarReader.Part(files.open(b), files.location() + "/" + b));
                }
                return checkCount(CifarReader.read(parts, limit, norm), limit, files.location());
            }
            throw new InvalidInputException(files.location() + ": no data set found: expected " + prefix
                    + "-images-idx3-ubyte[.gz] (IDX) or " + batches.get(0) + " (CIFAR-10 binary)");
        } catch (IOException e) {
            throw new InvalidInputException(files.location() + ": cannot read the data set (" + e + ")", e);
        }
    }

    private static ImageSet checkCount(ImageSet s, int limit, String where) {
        if (limit >= 0 && s.count() < limit) {
            throw new InvalidInputException(where + ": " + limit + " images requested, the split has only " + s.count());
        }
        return s;
    }

    private static String find(FileSource files, String base) throws IOException {
        for (String candidate : new String[] {base, base + ".gz", base.replace("-idx", ".idx")}) {
            if (files.exists(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** @return the lowercase label names of Fashion-MNIST, for reports */
    public static List<String> fashionMnistClasses() {
        return List.of("t-shirt/top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot")
                .stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
    }
}
