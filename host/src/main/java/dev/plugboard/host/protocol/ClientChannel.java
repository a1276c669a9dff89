package dev.plugboard.host.protocol;

import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.InputRequest;
import java.util.Map;

/**
 * How one request reaches its client for input: server-to-client requests in a session, or
 * input-required results under the stateless revision.
 */
public interface ClientChannel {

    /** A channel for requests whose client declared nothing. */
    ClientChannel NONE = new ClientChannel() {
        @Override
        public boolean supports(ClientCapability capability) {
            return false;
        }

        @Override
        public Map<String, Object> ask(Map<String, InputRequest> requests) {
            throw new IllegalStateException("the client declared no capabilities");
        }
    };

    /** Whether the client declared the capability for this request. */
    boolean supports(ClientCapability capability);

    /**
     * Asks the client and waits for every answer.
     *
     * @param requests what to ask, by key (the client's capabilities were checked)
     * @return by key: an {@code ElicitResult}, a {@code SamplingResult} or a {@code List<Root>}
     * @throws InputRequiredSignal when the answers must come with a retry (stateless revision)
     * @throws InterruptedException when the request is cancelled while waiting
     */
    Map<String, Object> ask(Map<String, InputRequest> requests) throws InterruptedException;
}
