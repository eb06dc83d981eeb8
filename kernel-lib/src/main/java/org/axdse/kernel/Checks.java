package org.axdse.kernel;

/**
 * Explicit argument checks for public boundaries (never {@code assert}): each failure is an
 * {@link InvalidInputException} that names the argument and says expected vs actual.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * @param what  name of the argument, e.g. {@code "inChannels"}
     * @param value the value given
     * @return {@code value}
     * @throws InvalidInputException if {@code value < 1}
     */
    public static int positive(String what, int value) {
        if (value < 1) {
            throw new InvalidInputException(what + ": expected >= 1, got " + value);
        }
        return value;
    }

    /**
     * @param what  name of the argument
     * @param value the value given
     * @return {@code value}
     * @throws InvalidInputException if {@code value < 0}
     */
    public static int nonNegative(String what, int value) {
        if (value < 0) {
            throw new InvalidInputException(what + ": expected >= 0, got " + value);
        }
        return value;
    }

    /**
     * Checks that an array holds at least the number of elements a shape needs.
     *
     * @param what     name of the array, e.g. {@code "input"}
     * @param length   its actual length
     * @param required elements needed
     * @throws InvalidInputException if {@code length < required}
     */
    public static void length(String what, int length, long required) {
        if (length < required) {
            throw new InvalidInputException(what + ": expected at least " + required + " elements, got " + length);
        }
    }

    /**
     * Checks that an array holds exactly the number of elements a shape needs.
     *
     * @param what     name of the array
     * @param length   its actual length
     * @param required elements needed
     * @throws InvalidInputException if they differ
     */
    public static void exactLength(String what, int length, long required) {
        if (length != required) {
            throw new InvalidInputException(what + ": expected " + required + " elements, got " + length);
        }
    }
}
