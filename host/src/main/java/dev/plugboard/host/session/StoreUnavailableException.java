package dev.plugboard.host.session;

/**
 * The shared session store cannot answer now (it is unreachable or too slow); the client should
 * try again shortly. The message is fit for a client.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is unavailable, fit for a client */
    public StoreUnavailableException(String message) {
        super(message, null, false, false);
    }
}
