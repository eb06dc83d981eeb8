package org.axdse.job.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.axdse.kernel.AxdseException;

/**
 * Command-line options of one subcommand: {@code --key value} pairs, {@code --flag}s and positional
 * arguments. Unknown options, missing values and extra arguments are errors that name the command.
 */
final class Options {
    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final List<String> flags = new ArrayList<>();
    private final List<String> positional = new ArrayList<>();

    /**
     * @param command   e.g. {@code "luts list"}, for messages
     * @param args      the arguments after the command
     * @param withValue options that take a value
     * @param flagNames options without a value
     */
    Options(String command, List<String> args, Set<String> withValue, Set<String> flagNames) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (withValue.contains(a)) {
                if (i + 1 >= args.size()) {
                    throw new AxdseException(command + ": " + a + " needs a value");
                }
                values.put(a, args.get(++i));
            } else if (flagNames.contains(a)) {
                flags.add(a);
            } else if (a.startsWith("--")) {
                List<String> known = new ArrayList<>(withValue);
                known.addAll(flagNames);
                known.sort(null);
                throw new AxdseException(command + ": unknown option " + a + " (known: " + String.join(", ", known) + ")");
            } else {
                positional.add(a);
            }
        }
    }

    String get(String option, String defaultValue) {
        return values.getOrDefault(option, defaultValue);
    }

    String require(String option) {
        String v = values.get(option);
        if (v == null) {
            throw new AxdseException(command + ": " + option + " is required");
        }
        return v;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    /**
     * @param names what the positional arguments mean, e.g. {@code NAME}
     * @return exactly that many positional arguments
     */
    List<String> positional(String... names) {
        if (positional.size() != names.length) {
            throw new AxdseException(command + ": expected " + (names.length == 0 ? "no arguments" : String.join(" ", names))
                    + ", got " + (positional.isEmpty() ? "none" : String.join(" ", positional)));
        }
        return positional;
    }

    /**
     * @param option  option name
     * @param value   its value
     * @param allowed allowed values
     * @return value, if allowed
     */
    String oneOf(String option, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new AxdseException(command + ": " + option + ": expected one of " + String.join(", ", allowed) + ", got " + value);
    }
}
