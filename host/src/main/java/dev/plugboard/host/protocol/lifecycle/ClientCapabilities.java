package dev.plugboard.host.protocol.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * What a client declared it can do, kept as sent.
 *
 * @param raw the capabilities object; never null (an empty object when none were sent)
 */
public record ClientCapabilities(JsonNode raw) {

    /** No capabilities. */
    public static final ClientCapabilities NONE = new ClientCapabilities(JsonNodeFactory.instance.objectNode());

    /** Replaces null or non-object input with an empty object. */
    public ClientCapabilities {
        raw = raw == null || !raw.isObject() ? JsonNodeFactory.instance.objectNode() : raw;
    }

    /** Whether the client declared the named top-level capability ({@code sampling}, {@code roots}, ...). */
    public boolean has(String capability) {
        return raw.has(capability) && raw.get(capability).isObject();
    }
}
