package dev.plugboard.router;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.provider.Completion;
import dev.plugboard.router.provider.ProviderException;

/**
 * The calling MCP client's own model, reached through sampling: a tier entry named
 * {@value #ALIAS} answers through it when the request came over MCP from a client that samples,
 * at no cost to the server.
 */
@FunctionalInterface
public interface ClientModel {

    /** The pseudo model name that stands for the client's model in a tier's list. */
    String ALIAS = "@client";

    /**
     * Asks the client's model.
     *
     * @param body an OpenAI chat-completions request
     * @return the answer as a {@code chat.completion}
     * @throws ProviderException when the client refuses or cannot sample
     */
    Completion complete(ObjectNode body) throws ProviderException;
}
