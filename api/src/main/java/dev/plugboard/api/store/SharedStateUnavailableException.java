package dev.plugboard.api.store;

/** The shared store could not be reached or did not answer in time; the message says which. */
public final class SharedStateUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message a plain sentence naming the store and what failed */
    public SharedStateUnavailableException(String message) {
        super(message);
    }
}
