package dev.plugboard.host.protocol;

import dev.plugboard.api.client.InputRequest;
import java.util.Map;

/**
 * Unwinds a plugin method that asked the client for input the client has not given yet, under the
 * stateless revision: the host answers the request with an input-required result and runs the
 * method again when the client retries with the answers.
 *
 * <p>An {@link Error} rather than an exception, so that plugin code catching exceptions does not
 * swallow it.
 */
public final class InputRequiredSignal extends Error {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, InputRequest> requests;

    /**
     * @param requests what the client must answer, by key
     */
    public InputRequiredSignal(Map<String, InputRequest> requests) {
        super("input required: " + requests.keySet(), null, false, false);
        this.requests = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requests));
    }

    /** What the client must answer, by key. */
    public Map<String, InputRequest> requests() {
        return requests;
    }
}
