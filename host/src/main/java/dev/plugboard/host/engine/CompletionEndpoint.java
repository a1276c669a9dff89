package dev.plugboard.host.engine;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.CompletionHandler;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.completion.CompleteParams;
import dev.plugboard.host.protocol.completion.CompleteResult;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code completion/complete}, answered by the plugin that owns the prompt or template. */
final class CompletionEndpoint {

    private static final int MAX_VALUES = 100;

    private final Catalog catalog;
    private final Invocations invocations;

    CompletionEndpoint(Catalog catalog, Invocations invocations) {
        this.catalog = catalog;
        this.invocations = invocations;
    }

    CompletableFuture<Object> complete(RequestScope scope, CompleteParams params) {
        if (params == null || params.ref() == null || params.argument() == null || params.argument().name() == null) {
            throw McpException.invalidParams("Invalid params: \"ref\" and \"argument\" with a name are required");
        }
        CompleteParams.Ref ref = params.ref();
        Map<String, CompletionHandler> completions;
        Provider provider;
        switch (ref.type() == null ? "" : ref.type()) {
            case "ref/prompt" -> {
                var prompt = catalog.prompts().find(String.valueOf(ref.name()))
                        .filter(p -> Principal.current().rights().mayUsePrompt(p.key()))
                        .orElseThrow(() -> McpException.invalidParams("Unknown prompt: " + ref.name()));
                completions = prompt.completions();
                provider = prompt.provider();
            }
            case "ref/resource" -> {
                var template = catalog.templates().find(String.valueOf(ref.uri()))
                        .filter(t -> Principal.current().rights().mayUseResource(t.key()));
                if (template.isEmpty()) {
                    if (catalog.resources().find(String.valueOf(ref.uri())).isPresent()
                            && Principal.current().rights().mayUseResource(String.valueOf(ref.uri()))) {
                        return CompletableFuture.completedFuture(result(List.of()));
                    }
                    throw McpException.invalidParams("Unknown resource template: " + ref.uri());
                }
                completions = template.get().completions();
                provider = template.get().provider();
            }
            default -> throw McpException.invalidParams("Invalid params: \"ref.type\" must be ref/prompt or ref/resource");
        }
        CompletionHandler handler = completions.get(params.argument().name());
        if (handler == null) {
            return CompletableFuture.completedFuture(result(List.of()));
        }
        String value = params.argument().value() == null ? "" : params.argument().value();
        Map<String, String> context = params.context() == null || params.context().arguments() == null ? Map.of()
                : params.context().arguments();
        CallContext call = new CallContext(scope.caller(), null, scope.related(), scope.logThreshold(), "completion");
        return invocations.run(provider, "Completion of '" + params.argument().name() + "'", call,
                () -> handler.complete(value, context)).thenApply(CompletionEndpoint::result);
    }

    private static Object result(List<String> values) {
        List<String> page = values.size() > MAX_VALUES ? values.subList(0, MAX_VALUES) : values;
        return new CompleteResult(new CompleteResult.Values(List.copyOf(page), values.size(), values.size() > MAX_VALUES));
    }
}
