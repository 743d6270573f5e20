package net.ircbridge.store;

/** A database failure; the message says what went wrong in words an operator can act on. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
