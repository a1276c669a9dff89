package dev.plugboard.api.dynamic;

import dev.plugboard.api.context.RequestContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Renders a prompt defined at run time. Called on one of the plugin's own threads, under the
 * host's time limit.
 *
 * @since 1.1
 */
@ConsumerType
@FunctionalInterface
public interface DynamicPromptHandler {

    /**
     * Renders the prompt.
     *
     * @param arguments the arguments given, as the JSON text of an object of strings
     * @param context the request's context (progress, logging, cancellation, the caller)
     * @return the JSON text of an MCP {@code GetPromptResult}: an object with a {@code messages}
     *     array of {@code {role, content}} objects, and optionally a {@code description}
     * @throws Exception when rendering fails; throw {@link IllegalArgumentException} for arguments
     *     that cannot be used (the client gets an invalid-params error with its message)
     */
    String get(String arguments, RequestContext context) throws Exception;
}
