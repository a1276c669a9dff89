package dev.plugboard.router.cascade;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.config.RouterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds the request that asks a reviewer model for a {@link Verdict}, constrained the way the
 * reviewer's model supports ({@code response_format} with a JSON schema, or a GBNF {@code grammar}).
 */
public final class Reviewer {

    private static final String INSTRUCTIONS = "You review an assistant's answer for correctness and completeness. "
            + "Reply with JSON only: {\"verdict\":\"accept\"|\"reject\",\"issues\":[...],\"openQuestions\":[...]}. "
            + "Reject an answer that is wrong, incomplete, evasive or off-topic.";

    private Reviewer() {
    }

    /**
     * The review request.
     *
     * @param reviewer the reviewer model
     * @param task the user's last message
     * @param answer the answer under review
     * @param maxTokens the most tokens the verdict may take
     */
    public static ObjectNode request(ObjectMapper mapper, RouterConfig.Model reviewer, String task, String answer,
            int maxTokens) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "system").put("content", INSTRUCTIONS);
        messages.addObject().put("role", "user").put("content", "Task:\n" + task + "\n\nAnswer under review:\n" + answer);
        body.put("temperature", 0);
        body.put("max_tokens", maxTokens);
        switch (reviewer.constraint()) {
            case JSON_SCHEMA -> {
                ObjectNode format = body.putObject("response_format");
                format.put("type", "json_schema");
                ObjectNode schema = format.putObject("json_schema");
                schema.put("name", "verdict");
                schema.put("strict", true);
                try {
                    schema.set("schema", mapper.readTree(Verdict.SCHEMA));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case GRAMMAR -> body.put("grammar", Verdict.GRAMMAR);
            case NONE -> {
            }
        }
        return body;
    }
}
