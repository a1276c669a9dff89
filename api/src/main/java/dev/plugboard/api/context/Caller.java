package dev.plugboard.api.context;

import java.util.Optional;
import java.util.Set;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who is making a request: the authenticated principal and the client application.
 */
@ProviderType
public interface Caller {

    /** The authenticated principal's name, or {@code "anonymous"} when the request carries none. */
    String principal();

    /** The principal's roles; empty for an anonymous caller. */
    Set<String> roles();

    /** The client application's name as it announced itself, if it did. */
    Optional<String> clientName();

    /** The client application's version as it announced itself, if it did. */
    Optional<String> clientVersion();

    /** The MCP session the request belongs to; empty for a stateless request. */
    Optional<String> sessionId();
}
