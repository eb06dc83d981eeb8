package org.axdse.job.config;

import java.util.function.Function;

import org.axdse.kernel.InvalidInputException;

/**
 * One documented job key: its name, default, parser/validator and doc line. {@link JobConfig} holds them
 * all; conf/README.md lists them (a test keeps the two in step).
 *
 * @param <T>          the value type
 * @param name         e.g. {@code axdse.images}
 * @param defaultValue the default as text
 * @param doc          one line of documentation
 * @param parser       text to value; throws {@link IllegalArgumentException} with the expected form
 */
public record ConfigKey<T>(String name, String defaultValue, String doc, Function<String, T> parser) {
    /**
     * @param text the configured text
     * @return the parsed value
     * @throws InvalidInputException naming the key, the value and what was expected
     */
    public T parse(String text) {
        try {
            return parser.apply(text.trim());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(name + ": " + e.getMessage() + ", got '" + text + "'");
        }
    }

    static Function<String, Integer> positiveInt() {
        return atLeast(1, "a positive integer");
    }

    static Function<String, Integer> nonNegativeInt() {
        return atLeast(0, "an integer >= 0");
    }

    static Function<String, Integer> atLeast(int minimum, String expected) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + expected);
            }
            if (v < minimum) {
                throw new IllegalArgumentException("expected " + expected);
            }
            return v;
        };
    }

    /** A probability in [0, 1], or {@code auto} (parsed as NaN: the consumer picks its documented default). */
    static Function<String, Double> probabilityOrAuto() {
        Function<String, Double> p = fraction("a probability in [0, 1] or auto");
        return s -> s.equals("auto") ? Double.NaN : p.apply(s);
    }

    /** A number in [0, 1]. */
    static Function<String, Double> fraction() {
        return fraction("a number in [0, 1]");
    }

    private static Function<String, Double> fraction(String expected) {
        return s -> {
            double v;
            try {
                v = Double.parseDouble(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + expected);
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("expected " + expected);
            }
            return v;
        };
    }

    static Function<String, Long> anyLong() {
        return s -> {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer");
            }
        };
    }

    static Function<String, Boolean> bool() {
        return s -> switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    static Function<String, String> oneOf(String... allowed) {
        return s -> {
            for (String a : allowed) {
                if (a.equals(s)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("expected one of " + String.join(", ", allowed));
        };
    }

    static Function<String, String> nonEmpty() {
        return s -> {
            if (s.isEmpty()) {
                throw new IllegalArgumentException("expected a non-empty value");
            }
            return s;
        };
    }
}
