package org.axdse.kernel.lut;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.io.Csv;

/**
 * Table formats besides {@code .bin}: NumPy {@code .npy} (a 256 x 256 integer array, as TorchApprox and
 * agnapprox users keep their tables; rows = activation codes, in byte-pattern order for signed tables)
 * and CSV (256 lines of 256 integers, same order). The format follows from the file extension.
 */
public final class TableConversions {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([iu])(\\d)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private TableConversions() {
    }

    /**
     * Reads a table in the format its extension names ({@code .bin}, {@code .npy}, {@code .csv}).
     *
     * @param file       the file
     * @param signedness operand interpretation
     * @return the validated table, named after the file
     */
    public static MultiplierTable read(Path file, Signedness signedness) {
        String fileName = file.getFileName().toString();
        String lower = fileName.toLowerCase(Locale.ROOT);
        String name = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        try {
            if (lower.endsWith(".npy")) {
                return MultiplierTable.of(name, signedness, readNpy(Files.readAllBytes(file), file.toString()), file.toString());
            }
            if (lower.endsWith(".csv")) {
                return MultiplierTable.of(name, signedness, readCsv(Files.readAllLines(file), file.toString()), file.toString());
            }
        } catch (IOException e) {
            throw new InvalidInputException(file + ": cannot read multiplier table (" + e + ")", e);
        }
        return MultiplierTableFiles.read(file, signedness, name);
    }

    /**
     * Writes a table in the format its extension names; {@code .npy} is written as little-endian int32.
     *
     * @param table the table
     * @param file  destination
     */
    public static void write(MultiplierTable table, Path file) {
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (lower.endsWith(".npy")) {
                Files.write(file, npy(table));
            } else if (lower.endsWith(".csv")) {
                StringBuilder sb = new StringBuilder();
                for (int a = 0; a < 256; a++) {
                    for (int w = 0; w < 256; w++) {
                        sb.append(w == 0 ? "" : ",").append(table.entry((a << 8) | w));
                    }
                    sb.append('\n');
                }
                Files.writeString(file, sb, StandardCharsets.US_ASCII);
            } else {
                MultiplierTableFiles.write(table, file);
            }
        } catch (IOException e) {
            throw new AxdseException(file + ": cannot write multiplier table (" + e + ")", e);
        }
    }

    /**
     * @param fileName a file name
     * @return whether its extension is a table format ({@code .bin}, {@code .npy}, {@code .csv})
     */
    public static boolean isTableFile(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return lower.endsWith(".bin") || lower.endsWith(".npy") || (lower.endsWith(".csv") && !lower.equals("library.csv"));
    }

    /**
     * Reads a table from a stream in the format {@code fileName}'s extension names.
     *
     * @param in         the stream; not closed
     * @param fileName   the file's name (for its extension)
     * @param signedness operand interpretation
     * @param name       the table's name
     * @param source     where the stream comes from, for error messages
     * @return the validated table
     */
    public static MultiplierTable read(java.io.InputStream in, String fileName, Signedness signedness, String name,
                                       String source) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".npy") && !lower.endsWith(".csv")) {
            return MultiplierTableFiles.read(in, signedness, name, source);
        }
        byte[] data;
        try {
            data = in.readNBytes(MAX_TEXT_OR_NPY_BYTES + 1);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read multiplier table (" + e + ")", e);
        }
        if (data.length > MAX_TEXT_OR_NPY_BYTES) {
            throw new InvalidInputException(source + ": more than " + MAX_TEXT_OR_NPY_BYTES + " bytes, too large for a 256 x 256 table");
        }
        int[] entries = lower.endsWith(".npy") ? readNpy(data, source)
                : readCsv(new String(data, StandardCharsets.UTF_8).lines().toList(), source);
        return MultiplierTable.of(name, signedness, entries, source);
    }

    /** Largest .npy (int64) or CSV table accepted. */
    private static final int MAX_TEXT_OR_NPY_BYTES = 8 * MultiplierTable.ENTRIES + 4096;

    static byte[] npy(MultiplierTable table) {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (256, 256), }";
        int headerLen = dict.length() + 1;
        int pad = (64 - (10 + headerLen) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * MultiplierTable.ENTRIES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NPY_MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < MultiplierTable.ENTRIES; i++) {
            b.putInt(table.entry(i));
        }
        return b.array();
    }

    static int[] readNpy(byte[] data, String source) {
        if (data.length < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(data, 6), NPY_MAGIC)) {
            throw new InvalidInputException(source + ": not a NumPy .npy file (magic \\x93NUMPY missing)");
        }
        int major = data[6];
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = b.getShort(8) & 0xFFFF;
            offset = 10;
        } else {
            if (data.length < 12) {
                throw new InvalidInputException(source + ": truncated .npy header");
            }
            headerLen = b.getInt(8);
            offset = 12;
        }
        if (headerLen < 0 || (long) offset + headerLen > data.length) {
            throw new InvalidInputException(source + ": truncated .npy header");
        }
        String header = new String(data, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new InvalidInputException(source + ": unsupported .npy header " + header.trim());
        }
        String shape = s.group(1).replace(" ", "");
        if (!shape.equals("256,256") && !shape.equals("65536,") && !shape.equals("65536")) {
            throw new InvalidInputException(source + ": expected a 256 x 256 array, got shape (" + s.group(1) + ")");
        }
        boolean bigEndian = d.group(1).equals(">");
        boolean unsigned = d.group(2).equals("u");
        int bytes = Integer.parseInt(d.group(3));
        if (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8) {
            throw new InvalidInputException(source + ": unsupported integer width " + bytes);
        }
        int start = offset + headerLen;
        if (data.length - start != (long) bytes * MultiplierTable.ENTRIES) {
            throw new InvalidInputException(source + ": expected " + (long) bytes * MultiplierTable.ENTRIES
                    + " data bytes for 256 x 256 " + d.group(2) + bytes + ", got " + (data.length - start));
        }
        ByteBuffer body = ByteBuffer.wrap(data, start, data.length - start)
                .order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int[] e = new int[MultiplierTable.ENTRIES];
        boolean fortran = f.group(1).equals("True");
        for (int i = 0; i < e.length; i++) {
            long v = switch (bytes) {
                case 1 -> unsigned ? body.get() & 0xFF : body.get();
                case 2 -> unsigned ? body.getShort() & 0xFFFF : body.getShort();
                case 4 -> unsigned ? body.getInt() & 0xFFFFFFFFL : body.getInt();
                default -> body.getLong();
            };
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new InvalidInputException(source + ": element " + i + " = " + v + " does not fit a table entry");
            }
            int index = fortran ? ((i & 0xFF) << 8) | (i >>> 8) : i;
            e[index] = (int) v;
        }
        return e;
    }

    static int[] readCsv(List<String> lines, String source) {
        int[] e = new int[MultiplierTable.ENTRIES];
        int row = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            if (row == 256) {
                throw new InvalidInputException(source + ": expected 256 rows, got more (line " + (i + 1) + ")");
            }
            List<String> cells = Csv.parseLine(lines.get(i), source + ":" + (i + 1));
            if (cells.size() != 256) {
                throw new InvalidInputException(source + ":" + (i + 1) + ": expected 256 values, got " + cells.size());
            }
            for (int w = 0; w < 256; w++) {
                try {
                    e[(row << 8) | w] = Integer.parseInt(cells.get(w));
                } catch (NumberFormatException ex) {
                    throw new InvalidInputException(source + ":" + (i + 1) + ": column " + (w + 1) + ": expected an integer, got '"
                            + cells.get(w) + "'");
                }
            }
            row++;
        }
        if (row != 256) {
            throw new InvalidInputException(source + ": expected 256 rows, got " + row);
        }
        return e;
    }
}
