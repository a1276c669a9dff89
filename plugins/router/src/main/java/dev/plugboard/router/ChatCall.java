package dev.plugboard.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.routing.ModelPreferences;

/**
 * One chat request as the router takes it from any door.
 *
 * @param caller the authenticated principal
 * @param body the OpenAI chat-completions request (messages, sampling parameters, tools); not changed
 * @param qualityLevel {@code normal}, {@code high} or {@code critical}
 * @param project the caller's project, or null
 * @param preferences MCP model preferences
 * @param conversationId the conversation to continue and record into, or null
 * @param maxCost the most this request may cost in USD, or null for the configured ceiling
 * @param clientModel the calling MCP client's model, or null when the request did not come from one that samples
 */
public record ChatCall(String caller, ObjectNode body, String qualityLevel, String project,
        ModelPreferences preferences, String conversationId, Double maxCost, ClientModel clientModel) {

    /** A call without a client model (from HTTP). */
    public ChatCall(String caller, ObjectNode body, String qualityLevel, String project, ModelPreferences preferences,
            String conversationId, Double maxCost) {
        this(caller, body, qualityLevel, project, preferences, conversationId, maxCost, null);
    }

    /** What the client asked for: a tier, a model alias or {@code auto}. */
    public String requested() {
        String m = body.path("model").asText("");
        return m.isBlank() ? "auto" : m;
    }
}
