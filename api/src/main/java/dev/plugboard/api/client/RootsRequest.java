package dev.plugboard.api.client;

/** Asks the client for its roots (the folders or URIs it lets servers work in). */
public record RootsRequest() implements InputRequest {

    /** The only instance needed. */
    public static final RootsRequest INSTANCE = new RootsRequest();

    @Override
    public ClientCapability capability() {
        return ClientCapability.ROOTS;
    }
}
