package org.axdse.job.cli;

import java.util.Locale;
import java.util.Map;

/** Writes JSON for the command line: strings, numbers, booleans, nested maps and lists; NaN as null. */
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
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? "null" : String.valueOf(f);
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "").append(string(k.toString())).append(": ").append(value(x)));
            return sb.append('}').toString();
        }
        if (v instanceof java.util.Collection<?> c) {
            StringBuilder sb = new StringBuilder("[");
            for (Object x : c) {
                sb.append(sb.length() > 1 ? ", " : "").append(value(x));
            }
            return sb.append(']').toString();
        }
        return string(v.toString());
    }

    /** @return a one-line JSON object of the map, in its iteration order (nested maps and lists too) */
    static String object(Map<String, ?> fields) {
        return value(fields);
    }
}
