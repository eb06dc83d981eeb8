package org.axdse.kernel.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX and CIFAR-10 readers on hand-made files, and Debian's Fashion-MNIST when installed. */
class DataSetsTest {
    @TempDir
    Path dir;

    static byte[] idx(int dims, int[] sizes, byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(0x00000800 | dims);
        for (int s : sizes) {
            out.writeInt(s);
        }
        out.write(data);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(b)) {
            g.write(data);
        }
        return b.toByteArray();
    }

    private void writeIdx(String prefix, boolean gz, int n) throws IOException {
        byte[] pixels = new byte[n * 2 * 3];
        byte[] labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
        }
        byte[] im = idx(3, new int[] {n, 2, 3}, pixels);
        byte[] lb = idx(1, new int[] {n}, labels);
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(im) : im);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(lb) : lb);
    }

    @Test
    void idxReadsGzippedAndPlainFilesAndTheFirstImagesOnly() throws Exception {
        writeIdx("train", true, 5);
        writeIdx("t10k", false, 4);
        ImageSet train = DataSets.read(dir.toString(), DataSets.Split.TRAIN, 3, Normalization.UNIT);
        assertEquals(3, train.count());
        assertEquals(1, train.channels());
        assertEquals(2, train.height());
        assertEquals(3, train.width());
        assertArrayEquals(new int[] {0, 1, 2}, train.labels());
        assertEquals(37 / 255f, train.pixels()[1]);
        assertEquals(((7 * 37) & 0xFF) / 255f, train.pixels()[7]);
        ImageSet test = DataSets.read(dir.toString(), DataSets.Split.TEST, -1, new Normalization(new float[] {0.5f},
                new float[] {0.25f}));
        assertEquals(4, test.count());
        assertEquals((37 / 255f - 0.5f) / 0.25f, test.pixels()[1]);
    }

    @Test
    void corruptIdxFilesAreNamed() throws Exception {
        writeIdx("t10k", false, 4);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        byte[] full = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(full, full.length - 1));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSets.read(dir.toString(), DataSets.Split.TEST, -1, Normalization.UNIT));
        assertTrue(e.getMessage().startsWith(images + ": truncated: expected 4 images of 2x3 (24 bytes)"), e.getMessage());

        full[3] = 1;
        Files.write(images, full);
        e = assertThrows(InvalidInputException.class, () -> DataSets.read(dir.toString(), DataSets.Split.TEST, -1, Normalization.UNIT));
        assertTrue(e.getMessage().contains("magic 0x00000801, expected 0x00000803"), e.getMessage());

        e = assertThrows(InvalidInputException.class, () -> DataSets.read(dir.toString(), DataSets.Split.TEST, 10, Normalization.UNIT));
        assertTrue(e.getMessage().contains("magic") || e.getMessage().contains("10 images requested"), e.getMessage());

        e = assertThrows(InvalidInputException.class, () -> DataSets.read(dir.toString(), DataSets.Split.TRAIN, -1, Normalization.UNIT));
        assertTrue(e.getMessage().contains("no data set found: expected train-images-idx3-ubyte[.gz] (IDX) or data_batch_1.bin"),
                e.getMessage());
    }

    @Test
    void labelAndImageCountsMustAgreeAndEnoughImagesMustExist() throws Exception {
        writeIdx("t10k", false, 4);
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idx(1, new int[] {3}, new byte[3]));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSets.read(dir.toString(), DataSets.Split.TEST, -1, Normalization.UNIT));
        assertTrue(e.getMessage().endsWith("holds 4 images but " + dir.resolve("t10k-labels-idx1-ubyte") + " holds 3 labels"),
                e.getMessage());
        writeIdx("t10k", false, 4);
        e = assertThrows(InvalidInputException.class, () -> DataSets.read(dir.toString(), DataSets.Split.TEST, 5, Normalization.UNIT));
        assertTrue(e.getMessage().endsWith("5 images requested, the split has only 4"), e.getMessage());
    }

    @Test
    void cifarRecordsAreChannelMajorWithALeadingLabel() throws Exception {
        byte[] data = new byte[2 * CifarReader.RECORD];
        data[0] = 3;
        data[1] = (byte) 255; // R plane, pixel 0
        data[1 + 1024] = (byte) 51; // G plane, pixel 0
        data[CifarReader.RECORD] = 9;
        Files.write(dir.resolve("test_batch.bin"), data);
        ImageSet s = DataSets.read(dir.toString(), DataSets.Split.TEST, -1, Normalization.UNIT);
        assertEquals(2, s.count());
        assertEquals(3, s.channels());
        assertArrayEquals(new int[] {3, 9}, s.labels());
        assertEquals(1f, s.pixels()[0]);
        assertEquals(0.2f, s.pixels()[1024]);

        Files.write(dir.resolve("test_batch.bin"), new byte[100]);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSets.read(dir.toString(), DataSets.Split.TEST, -1, Normalization.UNIT));
        assertTrue(e.getMessage().contains("not CIFAR-10 binary: 100 bytes is not a multiple of 3073"), e.getMessage());
    }

    @Test
    void debiansFashionMnistHas60000TrainingAnd10000TestImages() {
        assumeTrue(Files.isDirectory(Path.of(DataSets.FASHION_MNIST)), "dataset-fashion-mnist not installed");
        ImageSet test = DataSets.read("fashion-mnist", DataSets.Split.TEST, -1, Normalization.UNIT);
        assertEquals(10_000, test.count());
        assertEquals(28, test.height());
        assertEquals(9, test.labels()[0]); // the first test image is an ankle boot
        int[] perClass = new int[10];
        for (int l : test.labels()) {
            perClass[l]++;
        }
        assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        assertEquals(512, DataSets.read("fashion-mnist", DataSets.Split.TRAIN, 512, Normalization.UNIT).count());
    }
}
