package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.RegisteredPrompt;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.prompts.ListPromptsResult;
import dev.plugboard.host.prompt.PromptRenderer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code prompts/list} and {@code prompts/get}. */
final class PromptsEndpoint {

    private final Catalog catalog;
    private final PromptRenderer renderer;
    private final Contexts contexts;
    private final int pageSize;

    PromptsEndpoint(Catalog catalog, PromptRenderer renderer, Contexts contexts, int pageSize) {
        this.catalog = catalog;
        this.renderer = renderer;
        this.contexts = contexts;
        this.pageSize = pageSize;
    }

    ListPromptsResult list(JsonNode params) {
        dev.plugboard.host.security.Rights rights = dev.plugboard.host.security.Principal.current().rights();
        Pages.Page<RegisteredPrompt> page = Pages.page(rights.seesEverything() ? catalog.prompts().all()
                : catalog.prompts().all().stream().filter(p -> rights.mayUsePrompt(p.key())).toList(),
                RegisteredPrompt::key,
                Pages.cursor(params), pageSize);
        return new ListPromptsResult(page.items().stream().map(RegisteredPrompt::descriptor).toList(), page.nextCursor());
    }

    CompletableFuture<Object> get(RequestScope scope, JsonRpcRequest request) {
        JsonNode params = request.params();
        JsonNode name = params == null ? null : params.get("name");
        if (name == null || !name.isTextual()) {
            throw McpException.invalidParams("Invalid params: \"name\" must be the prompt's name");
        }
        RegisteredPrompt prompt = catalog.prompts().find(name.asText())
                .filter(p -> dev.plugboard.host.security.Principal.current().rights().mayUsePrompt(p.key()))
                .orElseThrow(() -> McpException.invalidParams("Unknown prompt: " + name.asText()));
        Map<String, String> arguments = arguments(params.get("arguments"));
        Contexts.Call call = contexts.create(scope, request, prompt.key(), prompt.key());
        return renderer.render(prompt, arguments, call.context()).<Object>thenApply(r -> r)
                .exceptionally(contexts.inputRequired(request, prompt.key(), call));
    }

    private static Map<String, String> arguments(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            throw McpException.invalidParams("Invalid params: \"arguments\" must be an object of strings");
        }
        for (var e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (!v.isValueNode() || v.isBinary()) {
                throw McpException.invalidParams("Invalid params: argument '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), v.asText());
        }
        return out;
    }
}
