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

    /**
     * @param value a value of this key's type
     * @return how it is written in a configuration (the inverse of {@link #parse})
     */
    public String format(T value) {
        if (value instanceof Choice c) {
            return c.spelling();
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
        if (value instanceof Double d && d.isNaN()) {
            return "auto";
        }
        return String.valueOf(value);
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

    /** A number strictly between 0 and 1 (a confidence level). */
    static Function<String, Double> openFraction() {
        Function<String, Double> f = fraction("a number strictly between 0 and 1");
        return s -> {
            double v = f.apply(s);
            if (v == 0 || v == 1) {
                throw new IllegalArgumentException("expected a number strictly between 0 and 1");
            }
            return v;
        };
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

    /**
     * @param values   the allowed values, in documentation order
     * @param spelling how each is written
     * @param <E>      the enum
     * @return a parser to the constant written as {@code spelling}
     */
    static <E extends Enum<E>> Function<String, E> choice(E[] values, Function<E, String> spelling) {
        return s -> {
            for (E v : values) {
                if (spelling.apply(v).equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("expected one of " + String.join(", ",
                    java.util.Arrays.stream(values).map(spelling).toList()));
        };
    }

    /**
     * @param values the allowed values, in documentation order
     * @param <E>    an enum whose constants say how they are written
     * @return a parser to the constant whose {@link Choice#spelling()} is the text
     */
    static <E extends Enum<E> & Choice> Function<String, E> choice(E[] values) {
        return choice(values, Choice::spelling);
    }

    /**
     * @param item     parser of one listed item (throws {@link IllegalArgumentException} with the expected form)
     * @param <T>      the item type
     * @return a parser of {@code all} or a comma-separated list of at least one item (items trimmed)
     */
    static <T> Function<String, Selection<T>> allOrList(Function<String, T> item) {
        return s -> {
            if (s.equals("all")) {
                return Selection.all();
            }
            java.util.List<T> items = new java.util.ArrayList<>();
            for (String part : s.split(",", -1)) {
                String p = part.trim();
                if (p.isEmpty()) {
                    throw new IllegalArgumentException("expected all or a comma-separated list without empty items");
                }
                items.add(item.apply(p));
            }
            return new Selection<>(items);
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
