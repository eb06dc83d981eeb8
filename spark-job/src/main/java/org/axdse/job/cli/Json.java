package org.axdse.job.cli;

import java.util.Locale;
import java.util.Map;

/** Writes flat JSON objects for the command line's {@code --format json}. */
final class Json {
    private Json() {
    }

    /** @return a JSON string literal */
    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** @return a JSON value: strings quoted, NaN/infinite numbers as null, booleans and numbers as they are */
    static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? "null" : String.valueOf(d);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        return string(v.toString());
    }

    /** @return a one-line JSON object of the map, in its iteration order */
    static String object(Map<String, ?> fields) {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(string(k)).append(": ").append(value(v)));
        return sb.append('}').toString();
    }
}
