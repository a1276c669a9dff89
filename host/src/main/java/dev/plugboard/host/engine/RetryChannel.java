package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.api.client.ClientCapability;
import dev.plugboard.api.client.InputRequest;
import dev.plugboard.host.protocol.ClientChannel;
import dev.plugboard.host.protocol.InputRequiredSignal;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Asks the client under the stateless revision: answers come with the client's retry (from the
 * retry's {@code inputResponses} and the answers sealed in its {@code requestState}); an answer not
 * given yet ends this run of the method with an input-required result.
 */
final class RetryChannel implements ClientChannel {

    private final ClientCapabilities capabilities;
    private final Map<String, JsonNode> answers;
    private final ClientMessages messages;

    RetryChannel(ClientCapabilities capabilities, Map<String, JsonNode> answers, ClientMessages messages) {
        this.capabilities = capabilities;
        this.answers = answers;
        this.messages = messages;
    }

    @Override
    public boolean supports(ClientCapability capability) {
        return capabilities.has(capability.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public Map<String, Object> ask(Map<String, InputRequest> requests) {
        Map<String, InputRequest> missing = new LinkedHashMap<>();
        requests.forEach((key, request) -> {
            JsonNode answer = answers.get(key);
            if (answer == null || answer.isNull()) {
                missing.put(key, request);
            }
        });
        if (!missing.isEmpty()) {
            throw new InputRequiredSignal(missing);
        }
        Map<String, Object> decoded = new LinkedHashMap<>();
        requests.forEach((key, request) -> decoded.put(key, messages.answer(key, request, answers.get(key))));
        return decoded;
    }
}
