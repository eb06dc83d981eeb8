package org.axdse.job.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.axdse.kernel.data.ImageSet;

/**
 * The content hash of the images a run reads (its test images and its calibration images, pixels and labels as
 * decoded), part of the run's fingerprint: a data set replaced or edited at the same path is another input, and
 * a resumed run must not mix results measured on both.
 */
final class ImageDigest {
    private ImageDigest() {
    }

    /**
     * @param sets image sets, in a fixed order
     * @return the first 16 hex digits of SHA-256 over their shapes, pixels (IEEE-754 bits) and labels
     */
    static String of(ImageSet... sets) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (ImageSet s : sets) {
            buf.putInt(s.count()).putInt(s.channels()).putInt(s.height()).putInt(s.width());
            for (float p : s.pixels()) {
                flushIfFull(md, buf);
                buf.putFloat(p);
            }
            for (int l : s.labels()) {
                flushIfFull(md, buf);
                buf.putInt(l);
            }
        }
        buf.flip();
        md.update(buf);
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static void flushIfFull(MessageDigest md, ByteBuffer buf) {
        if (buf.remaining() < Float.BYTES) {
            buf.flip();
            md.update(buf);
            buf.clear();
        }
    }
}
