package org.axdse.kernel.io;

import java.util.ArrayList;
import java.util.List;

import org.axdse.kernel.InvalidInputException;

/**
 * Minimal RFC 4180 CSV: comma-separated fields, fields with commas, quotes or line breaks quoted with
 * {@code "}, quotes doubled inside. Enough for AxDSE's own metadata files; no dependency.
 */
public final class Csv {
    private Csv() {
    }

    /**
     * Splits one line (no embedded line breaks) into fields.
     *
     * @param line   the line
     * @param source file and line number for errors, e.g. {@code "luts/library.csv:4"}
     * @return the fields
     */
    public static List<String> parseLine(String line, String source) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(wasQuoted ? field.toString() : field.toString().trim());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new InvalidInputException(source + ": unterminated quoted field");
        }
        fields.add(wasQuoted ? field.toString() : field.toString().trim());
        return fields;
    }

    /**
     * @param fields values
     * @return one CSV line (no line break), quoting where needed
     */
    public static String formatLine(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String f = fields.get(i) == null ? "" : fields.get(i);
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                    || !f.equals(f.trim())) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.toString();
    }
}
