package dev.plugboard.host.catalog;

import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.prompts.GetPromptResult;
import java.util.Map;

/** Renders a prompt. */
@FunctionalInterface
public interface PromptHandler {

    /**
     * Renders the prompt on the current thread.
     *
     * @param arguments the arguments given (checked against the prompt's declared arguments)
     * @param context the request's context
     * @throws dev.plugboard.host.protocol.jsonrpc.McpException for arguments that cannot be bound
     * @throws Exception when rendering fails
     */
    GetPromptResult get(Map<String, String> arguments, CallContext context) throws Exception;
}
