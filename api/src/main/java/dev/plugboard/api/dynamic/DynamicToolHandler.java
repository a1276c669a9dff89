package dev.plugboard.api.dynamic;

import dev.plugboard.api.context.RequestContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Runs calls to one tool defined at run time. Called on one of the plugin's own threads, under the
 * tool's time limit; the thread is interrupted when the call is cancelled or times out.
 */
@ConsumerType
@FunctionalInterface
public interface DynamicToolHandler {

    /**
     * Runs one call.
     *
     * @param arguments the arguments object as JSON text, already valid against the tool's input schema
     * @param context the request's context (progress, logging, cancellation, the caller)
     * @return the result as the JSON text of an MCP {@code CallToolResult}: an object with a
     *     {@code content} array, and optionally {@code structuredContent} and {@code isError}
     * @throws Exception when the call fails; the client gets an error result with the message only
     *     (throw {@link dev.plugboard.api.tool.ToolException} to say so deliberately)
     */
    String call(String arguments, RequestContext context) throws Exception;
}
