package dev.plugboard.api.client;

/**
 * Thrown when a request needs a capability the client did not declare. Let it propagate: the host
 * answers the client with the matching protocol error.
 */
public class MissingCapabilityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ClientCapability capability;

    /**
     * @param capability what the client lacks
     */
    public MissingCapabilityException(ClientCapability capability) {
        super("the client did not declare the " + capability.name().toLowerCase(java.util.Locale.ROOT) + " capability");
        this.capability = capability;
    }

    /** What the client lacks. */
    public ClientCapability capability() {
        return capability;
    }
}
