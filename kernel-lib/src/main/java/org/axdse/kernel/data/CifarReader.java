package org.axdse.kernel.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.axdse.kernel.InvalidInputException;

/**
 * The CIFAR-10 binary format: records of 1 label byte and 3 x 32 x 32 pixel bytes (channel-major: R, G,
 * B planes), 10,000 records per {@code data_batch_*.bin} / {@code test_batch.bin}.
 */
public final class CifarReader {
    /** Bytes of one record. */
    public static final int RECORD = 1 + 3 * 32 * 32;

    private CifarReader() {
    }

    /** A batch file: its stream and its name for messages. */
    public record Part(InputStream in, String name) {
    }

    /**
     * @param parts the batch files in order; each stream is closed
     * @param limit read at most this many images (the first ones, across files), or -1 for all
     * @param norm  normalisation
     * @return the images
     */
    public static ImageSet read(List<Part> parts, int limit, Normalization norm) {
        norm.check(3);
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        String first = parts.isEmpty() ? "(no CIFAR files)" : parts.get(0).name();
        for (Part p : parts) {
            try (InputStream in = new BufferedInputStream(p.in())) {
                byte[] data = in.readAllBytes();
                if (data.length == 0 || data.length % RECORD != 0) {
                    throw new InvalidInputException(p.name() + ": not CIFAR-10 binary: " + data.length + " bytes is not a multiple of "
                            + RECORD + " (1 label + 3x32x32 pixels)");
                }
                all.write(data, 0, data.length);
            } catch (IOException e) {
                throw new InvalidInputException(p.name() + ": cannot read CIFAR-10 data (" + e + ")", e);
            }
            if (limit >= 0 && all.size() / RECORD >= limit) {
                break;
            }
        }
        byte[] data = all.toByteArray();
        int n = data.length / RECORD;
        if (limit >= 0) {
            n = Math.min(n, limit);
        }
        float[] pixels = new float[n * 3 * 1024];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int label = data[i * RECORD] & 0xFF;
            if (label > 9) {
                throw new InvalidInputException(first + ": record " + i + " has label " + label + ", expected 0..9");
            }
            labels[i] = label;
            for (int j = 0; j < 3 * 1024; j++) {
                pixels[i * 3072 + j] = norm.apply(data[i * RECORD + 1 + j] & 0xFF, j / 1024);
            }
        }
        return new ImageSet(pixels, labels, 3, 32, 32, first);
    }
}
