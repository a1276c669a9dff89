package dev.plugboard.host.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.host.binding.BoundMethod;
import dev.plugboard.host.catalog.ResourceHandler;
import dev.plugboard.host.protocol.CallContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads a resource by calling an annotated method, passing the template's variables as arguments. */
final class MethodResource implements ResourceHandler {

    private final BoundMethod method;
    private final ContentsMapper contents;
    private final String mimeType;
    private final Duration cacheFor;

    MethodResource(BoundMethod method, ContentsMapper contents, String mimeType, Duration cacheFor) {
        this.method = method;
        this.contents = contents;
        this.mimeType = mimeType;
        this.cacheFor = cacheFor;
    }

    @Override
    public Duration cacheFor() {
        return cacheFor;
    }

    @Override
    public List<JsonNode> read(String uri, Map<String, String> variables, CallContext context) throws Exception {
        ObjectNode arguments = JsonNodeFactory.instance.objectNode();
        variables.forEach(arguments::put);
        return contents.map(uri, mimeType, method.invoke(arguments, context));
    }
}
