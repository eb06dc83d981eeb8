package org.axdse.kernel.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.axdse.kernel.InvalidInputException;

/**
 * The IDX format of MNIST and Fashion-MNIST (gzipped or not, detected from the content): big-endian
 * magic {@code 0x0000 08 nd} (unsigned bytes, {@code nd} dimensions), {@code nd} int32 sizes, then the data.
 * Images are {@code [n][rows][cols]} (one channel), labels {@code [n]}.
 */
public final class IdxReader {
    private IdxReader() {
    }

    /**
     * @param images    images stream ({@code *-images-idx3-ubyte[.gz]}); closed
     * @param labels    labels stream ({@code *-labels-idx1-ubyte[.gz]}); closed
     * @param limit     read at most this many images (the first ones), or -1 for all
     * @param norm      normalisation
     * @param imagesSrc name of the images file, for messages
     * @param labelsSrc name of the labels file, for messages
     * @return the images
     */
    public static ImageSet read(InputStream images, InputStream labels, int limit, Normalization norm, String imagesSrc,
                                String labelsSrc) {
        norm.check(1);
        try (DataInputStream im = open(images); DataInputStream lb = open(labels)) {
            int[] imDims = header(im, 3, imagesSrc);
            int[] lbDims = header(lb, 1, labelsSrc);
            if (imDims[0] != lbDims[0]) {
                throw new InvalidInputException(imagesSrc + " holds " + imDims[0] + " images but " + labelsSrc + " holds "
                        + lbDims[0] + " labels");
            }
            int n = limit < 0 ? imDims[0] : Math.min(limit, imDims[0]);
            int rows = imDims[1];
            int cols = imDims[2];
            if (rows < 1 || cols < 1 || (long) n * rows * cols > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(imagesSrc + ": unsupported image size " + n + "x" + rows + "x" + cols);
            }
            byte[] raw = new byte[n * rows * cols];
            readFully(im, raw, imagesSrc, n + " images of " + rows + "x" + cols);
            float[] pixels = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                pixels[i] = norm.apply(raw[i] & 0xFF, 0);
            }
            byte[] rawLabels = new byte[n];
            readFully(lb, rawLabels, labelsSrc, n + " labels");
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = rawLabels[i] & 0xFF;
            }
            return new ImageSet(pixels, l, 1, rows, cols, imagesSrc);
        } catch (IOException e) {
            throw new InvalidInputException(imagesSrc + ": cannot read IDX data (" + e + ")", e);
        }
    }

    private static DataInputStream open(InputStream in) throws IOException {
        BufferedInputStream b = new BufferedInputStream(in, 1 << 16);
        b.mark(2);
        int m1 = b.read();
        int m2 = b.read();
        b.reset();
        return new DataInputStream(m1 == 0x1f && m2 == 0x8b ? new BufferedInputStream(new GZIPInputStream(b, 1 << 16)) : b);
    }

    private static int[] header(DataInputStream in, int dims, String src) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new InvalidInputException(src + ": empty or truncated IDX file", e);
        }
        int expected = 0x00000800 | dims;
        if (magic != expected) {
            throw new InvalidInputException(String.format("%s: not an IDX file of unsigned bytes with %d dimension(s): magic 0x%08x, expected 0x%08x",
                    src, dims, magic, expected));
        }
        int[] d = new int[dims];
        for (int i = 0; i < dims; i++) {
            d[i] = in.readInt();
            if (d[i] < 0) {
                throw new InvalidInputException(src + ": negative dimension " + d[i]);
            }
        }
        return d;
    }

    private static void readFully(DataInputStream in, byte[] into, String src, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new InvalidInputException(src + ": truncated: expected " + what + " (" + into.length + " bytes)", e);
        }
    }
}
