package org.axdse.kernel;

/**
 * Bad input given to AxDSE: a malformed or unreadable file, an argument outside its domain, an
 * inconsistent shape. The message names the file, key or argument and says expected vs actual.
 */
public class InvalidInputException extends AxdseException {
    private static final long serialVersionUID = 1L;

    /** @param message names the source (file, key, argument) and says expected vs actual */
    public InvalidInputException(String message) {
        super(message);
    }

    /**
     * @param message names the source and says expected vs actual
     * @param cause   the underlying failure
     */
    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
