package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.RegisteredResource;
import dev.plugboard.host.catalog.RegisteredTemplate;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.resources.ListResourcesResult;
import dev.plugboard.host.protocol.resources.ListTemplatesResult;
import dev.plugboard.host.protocol.resources.ReadResourceResult;
import dev.plugboard.host.resource.ResourceReader;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Rights;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code resources/list}, {@code resources/templates/list}, {@code resources/read} and, for the
 * session-based revisions, {@code resources/subscribe} and {@code resources/unsubscribe}.
 */
final class ResourcesEndpoint {

    private static final Object EMPTY = Map.of();

    private final Catalog catalog;
    private final ResourceReader reader;
    private final Contexts contexts;
    private final int pageSize;

    ResourcesEndpoint(Catalog catalog, ResourceReader reader, Contexts contexts, int pageSize) {
        this.catalog = catalog;
        this.reader = reader;
        this.contexts = contexts;
        this.pageSize = pageSize;
    }

    ListResourcesResult list(JsonNode params) {
        Rights rights = Principal.current().rights();
        Pages.Page<RegisteredResource> page = Pages.page(rights.seesEverything() ? catalog.resources().all()
                : catalog.resources().all().stream().filter(r -> rights.mayUseResource(r.key())).toList(),
                RegisteredResource::key,
                Pages.cursor(params), pageSize);
        return new ListResourcesResult(page.items().stream().map(RegisteredResource::descriptor).toList(),
                page.nextCursor());
    }

    ListTemplatesResult templates(JsonNode params) {
        Rights rights = Principal.current().rights();
        Pages.Page<RegisteredTemplate> page = Pages.page(rights.seesEverything() ? catalog.templates().all()
                : catalog.templates().all().stream().filter(t -> rights.mayUseResource(t.key())).toList(),
                RegisteredTemplate::key,
                Pages.cursor(params), pageSize);
        return new ListTemplatesResult(page.items().stream().map(RegisteredTemplate::descriptor).toList(),
                page.nextCursor());
    }

    /** Sets where the reads of resources that allow it are cached. */
    void cacheReads(dev.plugboard.host.tool.ResultCache cache) {
        reader.cacheReads(cache);
    }

    /** Drops the cached read of a URI whose provider announced a change. */
    void forget(String uri) {
        reader.forget(uri);
    }

    CompletableFuture<Object> read(RequestScope scope, JsonRpcRequest request) {
        String uri = uri(request);
        if (!Principal.current().rights().mayUseResource(uri)) {
            throw notFound(scope, uri);
        }
        Contexts.Call call = contexts.create(scope, request, uri, uri);
        return reader.read(uri, call.context())
                .<Object>thenApply(contents -> {
                    if (contents == null || contents.isEmpty()) {
                        throw notFound(scope, uri);
                    }
                    return new ReadResourceResult(contents);
                })
                .exceptionally(contexts.inputRequired(request, uri, call));
    }

    Object subscribe(RequestScope scope, JsonRpcRequest request, boolean subscribe) {
        String uri = uri(request);
        if (subscribe) {
            if (!reader.exists(uri) || !Principal.current().rights().mayUseResource(uri)) {
                throw notFound(scope, uri);
            }
            if (scope.session().subscribe(uri)) {
                reader.subscriptionChanged(uri, true);
            }
        } else if (scope.session().unsubscribe(uri)) {
            reader.subscriptionChanged(uri, false);
        }
        return EMPTY;
    }

    private static String uri(JsonRpcRequest request) {
        JsonNode uri = request.params() == null ? null : request.params().get("uri");
        if (uri == null || !uri.isTextual() || uri.asText().isEmpty()) {
            throw McpException.invalidParams("Invalid params: \"uri\" must be the resource's URI");
        }
        return uri.asText();
    }

    /** Resource not found: -32002 in the session-based revisions, -32602 in the stateless one. */
    private static McpException notFound(RequestScope scope, String uri) {
        var data = JsonNodeFactory.instance.objectNode().put("uri", uri);
        return new McpException(scope.stateless() ? ErrorCodes.INVALID_PARAMS : ErrorCodes.RESOURCE_NOT_FOUND,
                "Resource not found: " + uri, data);
    }
}
