package org.axdse.kernel;

/**
 * Root of AxDSE's small exception family. Every error that AxDSE raises on purpose is one of these,
 * so callers (the CLI, the Spark driver) can report it cleanly instead of printing a stack trace.
 */
public class AxdseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, where, expected vs actual */
    public AxdseException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, where, expected vs actual
     * @param cause   the underlying failure (e.g. an {@link java.io.IOException})
     */
    public AxdseException(String message, Throwable cause) {
        super(message, cause);
    }
}
