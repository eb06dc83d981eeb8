package org.axdse.kernel.lut;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;

/**
 * Reads and writes multiplier tables in the TFApprox {@code .bin} format and its signed variants
 * (see {@link TableFormat}). The format of a file follows from its signedness and size: an unsigned
 * table is always {@link TableFormat#UINT16}; a signed one is {@link TableFormat#INT16} at 131,072
 * bytes or {@link TableFormat#INT32} at 262,144 bytes.
 */
public final class MultiplierTableFiles {
    /** File-name extension of table files. */
    public static final String EXTENSION = ".bin";

    private MultiplierTableFiles() {
    }

    /**
     * Reads a table file; its name is the file name without {@value #EXTENSION}.
     *
     * @param file       the table file
     * @param signedness how to interpret operands and entries
     * @return the validated table
     * @throws InvalidInputException naming the file when it is missing, unreadable, of the wrong size
     *                               or holds out-of-range entries
     */
    public static MultiplierTable read(Path file, Signedness signedness) {
        return read(file, signedness, nameOf(file.getFileName().toString()));
    }

    /**
     * Reads a table file under a given name.
     *
     * @param file       the table file
     * @param signedness how to interpret operands and entries
     * @param name       the table's name
     * @return the validated table
     */
    public static MultiplierTable read(Path file, Signedness signedness, String name) {
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > TableFormat.INT32.fileSize()) {
                throw new InvalidInputException(file + ": " + sizeMessage(signedness, size));
            }
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(file + ": multiplier table file does not exist", e);
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read multiplier table (" + e + ")", e);
        }
        return decode(data, signedness, name, file.toString());
    }

    /**
     * Reads a table from a stream (e.g. a Hadoop file), reading at most one byte past the largest
     * valid size so a huge wrong file is not loaded whole.
     *
     * @param in         the stream; not closed
     * @param signedness how to interpret operands and entries
     * @param name       the table's name
     * @param source     where the stream comes from, for error messages
     * @return the validated table
     */
    public static MultiplierTable read(InputStream in, Signedness signedness, String name, String source) {
        byte[] data;
        try {
            data = in.readNBytes(TableFormat.INT32.fileSize() + 1);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read multiplier table (" + e + ")", e);
        }
        if (data.length > TableFormat.INT32.fileSize()) {
            throw new InvalidInputException(source + ": " + sizeMessage(signedness, -1));
        }
        return decode(data, signedness, name, source);
    }

    /**
     * Decodes the bytes of a table file.
     *
     * @param data       the file's bytes
     * @param signedness how to interpret operands and entries
     * @param name       the table's name
     * @param source     where the bytes come from, for error messages
     * @return the validated table
     */
    public static MultiplierTable decode(byte[] data, Signedness signedness, String name, String source) {
        TableFormat format = formatOf(signedness, data.length);
        if (format == null) {
            throw new InvalidInputException(source + ": " + sizeMessage(signedness, data.length));
        }
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int[] entries = new int[MultiplierTable.ENTRIES];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = switch (format) {
                case UINT16 -> buf.getShort() & 0xFFFF;
                case INT16 -> buf.getShort();
                case INT32 -> buf.getInt();
            };
        }
        return MultiplierTable.of(name, signedness, entries, source);
    }

    /**
     * @param table a table
     * @return the narrowest format that holds it: UINT16 for unsigned, INT16 or INT32 for signed
     */
    public static TableFormat formatFor(MultiplierTable table) {
        if (table.signedness() == Signedness.UNSIGNED) {
            return TableFormat.UINT16;
        }
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            int v = table.entry(i);
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                return TableFormat.INT32;
            }
        }
        return TableFormat.INT16;
    }

    /**
     * @param table a table
     * @return its file bytes in {@link #formatFor(MultiplierTable)}
     */
    public static byte[] encode(MultiplierTable table) {
        TableFormat format = formatFor(table);
        ByteBuffer buf = ByteBuffer.allocate(format.fileSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            int v = table.entry(i);
            if (format == TableFormat.INT32) {
                buf.putInt(v);
            } else {
                buf.putShort((short) v);
            }
        }
        return buf.array();
    }

    /**
     * Writes a table atomically: to a temporary file beside {@code file}, then moved into place, so a
     * failure never leaves a half-written table.
     *
     * @param table the table
     * @param file  destination
     */
    public static void write(MultiplierTable table, Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            Files.write(tmp, encode(table));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AxdseException(file + ": cannot write multiplier table (" + e + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and harmless
                }
            }
        }
    }

    /**
     * @param fileName a table file name
     * @return the name without {@value #EXTENSION}
     */
    public static String nameOf(String fileName) {
        return fileName.endsWith(EXTENSION) ? fileName.substring(0, fileName.length() - EXTENSION.length()) : fileName;
    }

    private static TableFormat formatOf(Signedness signedness, int size) {
        if (signedness == Signedness.UNSIGNED) {
            return size == TableFormat.UINT16.fileSize() ? TableFormat.UINT16 : null;
        }
        if (size == TableFormat.INT16.fileSize()) {
            return TableFormat.INT16;
        }
        return size == TableFormat.INT32.fileSize() ? TableFormat.INT32 : null;
    }

    private static String sizeMessage(Signedness signedness, long actual) {
        String expected = signedness == Signedness.UNSIGNED
                ? "expected " + TableFormat.UINT16.fileSize() + " bytes (256 x 256 little-endian uint16)"
                : "expected " + TableFormat.INT16.fileSize() + " bytes (256 x 256 little-endian int16) or "
                        + TableFormat.INT32.fileSize() + " bytes (int32)";
        String got = actual < 0 ? "more than " + TableFormat.INT32.fileSize() + " bytes" : actual + " bytes";
        return (signedness == Signedness.UNSIGNED ? "not an unsigned" : "not a signed") + " multiplier table: " + expected
                + ", got " + got;
    }
}
