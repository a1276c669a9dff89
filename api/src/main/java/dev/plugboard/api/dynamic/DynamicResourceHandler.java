package dev.plugboard.api.dynamic;

import dev.plugboard.api.context.RequestContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reads a resource (or a template's resources) defined at run time. Called on one of the plugin's
 * own threads, under the host's time limit; the thread is interrupted when the read is cancelled.
 *
 * @since 1.1
 */
@ConsumerType
@FunctionalInterface
public interface DynamicResourceHandler {

    /**
     * Reads one URI.
     *
     * @param uri the URI asked for (for a template, one it matches)
     * @param context the request's context (progress, logging, cancellation, the caller)
     * @return the JSON text of an MCP {@code ReadResourceResult}: an object with a {@code contents}
     *     array of {@code {uri, mimeType?, text}} or {@code {uri, mimeType?, blob}} objects; null or
     *     an empty array when there is no such resource (the client is told it was not found)
     * @throws Exception when reading fails; the client gets an error with the message only
     */
    String read(String uri, RequestContext context) throws Exception;
}
