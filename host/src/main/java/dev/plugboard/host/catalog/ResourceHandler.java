package dev.plugboard.host.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.protocol.CallContext;
import java.util.List;
import java.util.Map;

/** Reads a resource. */
@FunctionalInterface
public interface ResourceHandler {

    /**
     * Reads the resource at a URI on the current thread.
     *
     * @param uri the requested URI
     * @param variables the template's variables matched in the URI (empty for a fixed resource)
     * @param context the request's context
     * @return the contents in wire form, or null when no such resource exists
     * @throws Exception when reading fails
     */
    List<JsonNode> read(String uri, Map<String, String> variables, CallContext context) throws Exception;

    /**
     * How long a read may be answered from the cache of reads ({@code cacheSeconds} of the
     * resource's annotation), or null (the default) for never.
     */
    default java.time.Duration cacheFor() {
        return null;
    }
}
