package org.axdse.kernel.lut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.io.Csv;
import org.axdse.kernel.io.FileSource;

/**
 * Reads and writes multiplier libraries: a directory of table files plus {@code library.csv}.
 *
 * <p>{@code library.csv} has a header row; columns are matched by name, case-insensitively, in any order:
 * <ul>
 *   <li>{@code name} (required, unique);</li>
 *   <li>{@code file} (default {@code <name>.bin}; {@code .npy} and {@code .csv} tables too, see
 *       {@link TableConversions});</li>
 *   <li>{@code signed} ({@code true/false}, {@code signed/unsigned}, {@code 1/0}; default: signed when the
 *       name starts with {@code mul8s}, else unsigned);</li>
 *   <li>{@code power}, {@code area}, {@code delay}, optionally with a unit suffix ({@code power_mw},
 *       {@code area_um2}, {@code delay_ns}, as EvoApproxLib's file has); non-negative; empty = unknown;</li>
 *   <li>{@code source}, {@code family}, {@code parameters} (free text); other columns are ignored.</li>
 * </ul>
 * Lines starting with {@code #} before the header are comments; {@code # version: TAG} sets the library's
 * version tag and {@code # unit: U} the unit of unsuffixed power/area/delay columns (AxDSE's generated
 * library says {@code relative}: exact 8x8 array multiplier = 1.0). A directory without {@code library.csv} is read as every {@code *.bin} file with default
 * columns (and so is every {@code *.npy} and {@code *.csv} table). Every row is checked before anything is returned (missing file, duplicate name, size, entry
 * range, signedness mismatch, negative or non-numeric figures); errors name the file, the line and the
 * multiplier.
 */
public final class MultiplierLibraries {
    /** The metadata file of a library. */
    public static final String CSV = "library.csv";

    private static final List<String> WRITTEN_COLUMNS =
            List.of("name", "file", "signed", "power", "area", "delay", "source", "family", "parameters");

    private MultiplierLibraries() {
    }

    /**
     * @param dir a library directory
     * @return the validated library
     */
    public static MultiplierLibrary load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException(dir + ": not a multiplier library (" + (Files.exists(dir)
                    ? "a file, not a directory; give the folder that holds " + CSV + " and the tables" : "no such directory") + ")");
        }
        return load(FileSource.of(dir));
    }

    /**
     * @param storage where the library's files are
     * @return the validated library
     */
    public static MultiplierLibrary load(FileSource storage) {
        String where = storage.location();
        try {
            if (!storage.exists(CSV)) {
                return loadWithoutCsv(storage);
            }
            List<String> lines;
            try (InputStream in = storage.open(CSV);
                 BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                lines = new ArrayList<>(r.lines().toList());
            }
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) { // a byte-order mark, as spreadsheets write it
                lines.set(0, lines.get(0).substring(1));
            }
            return parse(storage, lines);
        } catch (IOException e) {
            throw new InvalidInputException(where + ": cannot read the multiplier library (" + e + ")", e);
        }
    }

    private static MultiplierLibrary loadWithoutCsv(FileSource storage) throws IOException {
        List<MultiplierLibrary.Entry> entries = new ArrayList<>();
        for (String f : storage.list()) {
            if (TableConversions.isTableFile(f)) {
                String name = f.substring(0, f.lastIndexOf('.'));
                Signedness s = defaultSignedness(name);
                MultiplierTable t = readTable(storage, f, name, s, storage.location() + "/" + f);
                entries.add(new MultiplierLibrary.Entry(new MultiplierInfo(name, f, s, Double.NaN, Double.NaN,
                        Double.NaN, "", "", ""), t));
            }
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException(storage.location() + ": not a multiplier library (no " + CSV + " and no *"
                    + MultiplierTableFiles.EXTENSION + " tables)");
        }
        return new MultiplierLibrary(storage.location(), contentVersion(entries), "", "", "", entries);
    }

    private static MultiplierLibrary parse(FileSource storage, List<String> lines) throws IOException {
        String csvName = storage.location() + "/" + CSV;
        String version = null;
        String unitNote = "";
        int headerLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.startsWith("#")) {
                String body = l.substring(1).trim();
                if (body.toLowerCase(Locale.ROOT).startsWith("version:")) {
                    version = body.substring("version:".length()).trim();
                } else if (body.toLowerCase(Locale.ROOT).startsWith("unit:")) {
                    unitNote = body.substring("unit:".length()).trim();
                }
            } else if (!l.isEmpty()) {
                headerLine = i;
                break;
            }
        }
        if (headerLine < 0) {
            throw new InvalidInputException(csvName + ": no header row (expected columns " + String.join(",", WRITTEN_COLUMNS) + ")");
        }
        Columns cols = new Columns(Csv.parseLine(lines.get(headerLine), csvName + ":" + (headerLine + 1)), csvName, unitNote);
        List<MultiplierLibrary.Entry> entries = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = headerLine + 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            int lineNo = i + 1;
            List<String> cells = Csv.parseLine(lines.get(i), csvName + ":" + lineNo);
            if (cells.size() > cols.count()) {
                throw new InvalidInputException(csvName + " line " + lineNo + ": " + cells.size() + " cells but the header has "
                        + cols.count() + " columns (a stray comma? quote fields that contain commas)");
            }
            String name = cols.get(cells, "name");
            String row = csvName + " line " + lineNo + (name.isEmpty() ? "" : " (" + name + ")");
            if (name.isEmpty()) {
                throw new InvalidInputException(row + ": empty name");
            }
            Integer first = firstLine.putIfAbsent(name, lineNo);
            if (first != null) {
                throw new InvalidInputException(row + ": duplicate name " + name + " (first on line " + first + ")");
            }
            String file = cols.get(cells, "file");
            if (file.isEmpty()) {
                file = name + MultiplierTableFiles.EXTENSION;
            }
            checkInside(file, row);
            Signedness s = parseSignedness(cols.get(cells, "signed"), name, row);
            double power = number(cols, cells, "power", row);
            double area = number(cols, cells, "area", row);
            double delay = number(cols, cells, "delay", row);
            if (!storage.exists(file)) {
                throw new InvalidInputException(row + ": table file " + storage.location() + "/" + file + " does not exist");
            }
            MultiplierTable table = readTable(storage, file, name, s, row + ": " + storage.location() + "/" + file);
            checkSignedness(table, row);
            entries.add(new MultiplierLibrary.Entry(new MultiplierInfo(name, file, s, power, area, delay,
                    cols.get(cells, "source"), cols.get(cells, "family"), cols.get(cells, "parameters")), table));
        }
        if (entries.isEmpty()) {
            throw new InvalidInputException(csvName + ": no multipliers listed");
        }
        return new MultiplierLibrary(storage.location(), version != null ? version : contentVersion(entries),
                cols.unit("power"), cols.unit("area"), cols.unit("delay"), entries);
    }

    /**
     * A table file must lie in the library's directory (or below it): a relative path without {@code ..}, so a
     * library cannot make AxDSE read files elsewhere.
     */
    private static void checkInside(String file, String row) {
        String normal = file.replace('\\', '/');
        boolean outside = normal.startsWith("/") || normal.matches("^[A-Za-z]:.*") || normal.contains("://")
                || java.util.Arrays.asList(normal.split("/")).contains("..");
        if (outside) {
            throw new InvalidInputException(row + ": column file: expected a path inside the library directory, got '" + file
                    + "'");
        }
    }

    private static MultiplierTable readTable(FileSource storage, String file, String name, Signedness s,
                                             String source) throws IOException {
        try (InputStream in = storage.open(file)) {
            return TableConversions.read(in, file, s, name, source);
        }
    }

    /** Signedness from the name when the column is absent or empty: EvoApproxLib's mul8s prefix. */
    static Signedness defaultSignedness(String name) {
        return name.toLowerCase(Locale.ROOT).startsWith("mul8s") ? Signedness.SIGNED : Signedness.UNSIGNED;
    }

    private static Signedness parseSignedness(String value, String name, String row) {
        Signedness byName = defaultSignedness(name);
        if (value.isEmpty()) {
            return byName;
        }
        Signedness s = switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "signed", "s" -> Signedness.SIGNED;
            case "false", "0", "no", "unsigned", "u" -> Signedness.UNSIGNED;
            default -> throw new InvalidInputException(row + ": column signed: expected true or false, got '" + value + "'");
        };
        boolean evoName = name.toLowerCase(Locale.ROOT).matches("mul8[su]_.*");
        if (evoName && s != byName) {
            throw new InvalidInputException(row + ": signedness mismatch: column signed says " + s.name().toLowerCase(Locale.ROOT)
                    + " but the name " + name + " says " + byName.name().toLowerCase(Locale.ROOT));
        }
        return s;
    }

    /**
     * Refuses a table whose entries fit the other signedness far better: e.g. a signed table listed as
     * unsigned reads negative products as huge ones.
     *
     * @param table a table as read
     * @param row   where it comes from, for the message
     * @throws InvalidInputException on a mismatch
     */
    public static void checkSignedness(MultiplierTable table, String row) {
        Signedness other = table.signedness() == Signedness.SIGNED ? Signedness.UNSIGNED : Signedness.SIGNED;
        double claimed = ErrorMetrics.of(table).mae();
        int[] reinterpreted = table.entries();
        for (int i = 0; i < reinterpreted.length; i++) {
            int v = reinterpreted[i];
            reinterpreted[i] = other == Signedness.SIGNED ? (short) v : v & 0xFFFF;
        }
        double alternative = ErrorMetrics.of(MultiplierTable.of(table.name(), other, reinterpreted)).mae();
        if (claimed >= 1024 && claimed > 16 * alternative) {
            throw new InvalidInputException(String.format(Locale.ROOT,
                    "%s: signedness mismatch: read as %s the table's MAE is %.1f, read as %s it is %.1f;"
                            + " fix the signed column", row, table.signedness().name().toLowerCase(Locale.ROOT), claimed,
                    other.name().toLowerCase(Locale.ROOT), alternative));
        }
    }

    private static double number(Columns cols, List<String> cells, String column, String row) {
        String v = cols.get(cells, column);
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(row + ": column " + cols.header(column) + ": expected a number, got '" + v + "'");
        }
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new InvalidInputException(row + ": column " + cols.header(column) + ": expected a finite number >= 0, got " + v);
        }
        return d;
    }

    static String contentVersion(List<MultiplierLibrary.Entry> entries) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (MultiplierLibrary.Entry e : entries) {
                md.update(e.name().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.table().contentSha256().getBytes(StandardCharsets.US_ASCII));
            }
            return "sha256:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /**
     * Writes a library: each table as {@code <name>.bin} and a {@code library.csv} with every column,
     * {@code # version: TAG} first. Files are written to temporary names and moved into place.
     *
     * @param dir       destination directory (created)
     * @param version   version tag
     * @param unit      unit of the power, area and delay columns (e.g. {@code relative}), empty if none
     * @param entries   multipliers, in row order
     */
    public static void write(Path dir, String version, String unit, List<MultiplierLibrary.Entry> entries) {
        try {
            Files.createDirectories(dir);
            StringBuilder csv = new StringBuilder("# version: " + version + "\n");
            if (!unit.isEmpty()) {
                csv.append("# unit: ").append(unit).append('\n');
            }
            csv.append(String.join(",", WRITTEN_COLUMNS)).append('\n');
            for (MultiplierLibrary.Entry e : entries) {
                MultiplierInfo i = e.info();
                MultiplierTableFiles.write(e.table(), dir.resolve(i.file()));
                csv.append(Csv.formatLine(List.of(i.name(), i.file(), String.valueOf(i.signedness() == Signedness.SIGNED),
                        format(i.power()), format(i.area()), format(i.delay()), i.source(), i.family(), i.parameters())))
                        .append('\n');
            }
            Path tmp = Files.createTempFile(dir, "." + CSV, ".tmp");
            Files.writeString(tmp, csv.toString(), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(CSV), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(CSV), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new AxdseException(dir + ": cannot write the multiplier library (" + e + ")", e);
        }
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Header lookup by base name ({@code power} matches {@code power} and {@code power_mw}). */
    private static final class Columns {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, String> header = new HashMap<>();
        private final Map<String, String> unit = new HashMap<>();

        Columns(List<String> names, String csvName, String defaultUnit) {
            for (int i = 0; i < names.size(); i++) {
                String raw = names.get(i).trim();
                String lower = raw.toLowerCase(Locale.ROOT);
                String base = lower;
                String u = defaultUnit;
                for (String measured : List.of("power", "area", "delay")) {
                    if (lower.startsWith(measured + "_")) {
                        base = measured;
                        u = lower.substring(measured.length() + 1);
                    }
                }
                if (index.putIfAbsent(base, i) != null) {
                    throw new InvalidInputException(csvName + ": column " + base + " appears twice in the header");
                }
                header.put(base, raw);
                unit.put(base, u);
            }
            if (!index.containsKey("name")) {
                throw new InvalidInputException(csvName + ": the header has no 'name' column (got " + String.join(",", names) + ")");
            }
        }

        int count() {
            return index.size();
        }

        String get(List<String> cells, String column) {
            Integer i = index.get(column);
            return i == null || i >= cells.size() ? "" : cells.get(i).trim();
        }

        String header(String column) {
            return header.getOrDefault(column, column);
        }

        String unit(String column) {
            return unit.getOrDefault(column, "");
        }
    }
}
