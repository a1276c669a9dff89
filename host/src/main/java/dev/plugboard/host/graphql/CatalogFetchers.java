package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.host.door.OperationException;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.door.Progress;
import dev.plugboard.host.door.RunningCall;
import dev.plugboard.host.engine.Pages;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The catalogue's fields: tools, resources, templates, prompts, completion, search, and the
 * {@code callTool} and {@code renderPrompt} mutations, all through {@link Operations}, so that
 * validation, limits and progress are the MCP engine's. Results are handed to GraphQL as maps in
 * MCP's JSON shape.
 */
final class CatalogFetchers {

    private final Operations operations;
    private final ObjectMapper mapper;
    private final ProgressChannels progress;

    CatalogFetchers(Operations operations, ObjectMapper mapper, ProgressChannels progress) {
        this.operations = operations;
        this.mapper = mapper;
        this.progress = progress;
    }

    void wire(RuntimeWiring.Builder wiring) {
        wiring.type("Query", type -> type
                .dataFetcher("tools", guarded(env -> {
                    Integer limit = env.getArgument("limit");
                    Pages.Page<Operations.ToolEntry> page = operations.tools(new Operations.ToolFilter(
                            env.getArgument("bundle"), env.getArgument("readOnly"), env.getArgument("q"),
                            limit == null ? 10 : limit), env.getArgument("after"));
                    List<Object> items = new ArrayList<>();
                    for (Operations.ToolEntry entry : page.items()) {
                        items.add(map(mapper.valueToTree(entry.tool())));
                    }
                    return page(items, page.nextCursor());
                }))
                .dataFetcher("tool", guarded(env -> {
                    try {
                        return map(mapper.valueToTree(operations.tool(env.getArgument("name")).tool()));
                    } catch (OperationException e) {
                        if (e.kind() == OperationException.Kind.NOT_FOUND) {
                            return null;
                        }
                        throw e;
                    }
                }))
                .dataFetcher("resources", guarded(env -> listing(operations.resources(env.getArgument("after")),
                        "resources")))
                .dataFetcher("templates", guarded(env -> listing(operations.templates(env.getArgument("after")),
                        "resourceTemplates")))
                .dataFetcher("prompts", guarded(env -> listing(operations.prompts(env.getArgument("after")),
                        "prompts")))
                .dataFetcher("readResource", env -> answer(operations.readResource(env.getArgument("uri"))))
                .dataFetcher("complete", env -> {
                    Map<String, Object> ref = env.getArgument("ref");
                    ObjectNode params = mapper.createObjectNode();
                    ObjectNode mcpRef = params.putObject("ref").put("type", String.valueOf(ref.get("type")));
                    if (ref.get("name") != null) {
                        mcpRef.put("name", String.valueOf(ref.get("name")));
                    }
                    if (ref.get("uri") != null) {
                        mcpRef.put("uri", String.valueOf(ref.get("uri")));
                    }
                    params.putObject("argument").put("name", (String) env.getArgument("argument"))
                            .put("value", (String) env.getArgument("value"));
                    Object context = env.getArgument("context");
                    if (context != null) {
                        params.set("context", mapper.valueToTree(context));
                    }
                    return answer(operations.complete(params)).thenApply(result -> result.get("completion"));
                })
                .dataFetcher("search", guarded(env -> {
                    List<String> kinds = env.getArgument("kinds");
                    Set<CatalogItem.Kind> wanted = kinds == null || kinds.isEmpty() ? Set.of()
                            : EnumSet.copyOf(kinds.stream().map(CatalogItem.Kind::valueOf).toList());
                    Integer limit = env.getArgument("limit");
                    String mode = env.getArgument("mode");
                    List<Object> hits = new ArrayList<>();
                    for (SearchHit hit : operations.search(env.getArgument("q"),
                            mode == null ? SearchMode.HYBRID : SearchMode.valueOf(mode), wanted,
                            limit == null ? 10 : limit)) {
                        Map<String, Object> out = new HashMap<>();
                        CatalogItem item = hit.item();
                        out.put("kind", item.kind().name());
                        out.put("key", item.key());
                        out.put("name", item.name());
                        out.put("title", item.title());
                        out.put("description", item.description());
                        out.put("bundle", item.bundle());
                        out.put("score", hit.score());
                        hits.add(out);
                    }
                    return hits;
                })));
        wiring.type("Mutation", type -> type
                .dataFetcher("callTool", env -> {
                    String callId = env.getArgument("callId");
                    JsonNode arguments = arguments(env.getArgument("arguments"));
                    if (callId == null) {
                        return answer(operations.callTool(env.getArgument("name"), arguments, Progress.NONE));
                    }
                    ProgressChannels.Started started = progress.start(callId);
                    try {
                        return answer(operations.callTool(env.getArgument("name"), arguments, started.progress()))
                                .whenComplete((result, failure) -> started.end().run());
                    } catch (RuntimeException e) {
                        started.end().run();
                        throw e;
                    }
                })
                .dataFetcher("renderPrompt", env -> answer(operations.renderPrompt(env.getArgument("name"),
                        arguments(env.getArgument("arguments"))))));
        // MCP leaves isError out of a successful result.
        wiring.type("ToolResult", type -> type.dataFetcher("isError",
                env -> Boolean.TRUE.equals(((Map<?, ?>) env.getSource()).get("isError"))));
        wiring.type("Subscription", type -> type
                .dataFetcher("toolProgress", env -> progress.watch(env.getArgument("callId"))));
    }

    private JsonNode arguments(Object arguments) {
        if (arguments == null) {
            return null;
        }
        JsonNode node = mapper.valueToTree(arguments);
        if (!node.isObject()) {
            throw new GraphqlProblem(ErrorCode.BAD_USER_INPUT, "arguments must be a JSON object");
        }
        return node;
    }

    private Map<String, Object> listing(ObjectNode result, String member) {
        List<Object> items = new ArrayList<>();
        result.path(member).forEach(node -> items.add(map(node)));
        JsonNode next = result.get("nextCursor");
        return page(items, next == null || next.isNull() ? null : next.asText());
    }

    private static Map<String, Object> page(List<Object> items, String nextCursor) {
        Map<String, Object> pageInfo = new HashMap<>();
        pageInfo.put("endCursor", nextCursor);
        pageInfo.put("hasNextPage", nextCursor != null);
        return Map.of("items", items, "pageInfo", pageInfo);
    }

    private CompletableFuture<Map<String, Object>> answer(RunningCall call) {
        return call.result().handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure;
                throw cause instanceof OperationException o ? problem(o)
                        : cause instanceof RuntimeException r ? r : new CompletionException(cause);
            }
            return map(result);
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(JsonNode node) {
        return mapper.convertValue(node, LinkedHashMap.class);
    }

    /** An operation's failure as the GraphQL error the client gets. */
    static GraphqlProblem problem(OperationException e) {
        ErrorCode code = switch (e.kind()) {
            case NOT_FOUND -> ErrorCode.NOT_FOUND;
            case INVALID_ARGUMENTS, INVALID_REQUEST -> ErrorCode.BAD_USER_INPUT;
            case BUSY -> ErrorCode.BUSY;
            case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
            case TIMED_OUT -> ErrorCode.TIMEOUT;
            case GONE -> ErrorCode.GONE;
            case FAILED -> ErrorCode.TOOL_FAILED;
            case CANCELLED -> ErrorCode.CANCELLED;
            case INPUT_REQUIRED -> ErrorCode.INPUT_REQUIRED;
            case UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case INTERNAL -> ErrorCode.INTERNAL;
        };
        if (e.violations().isEmpty()) {
            return new GraphqlProblem(code, e.getMessage());
        }
        List<Map<String, String>> violations = e.violations().stream()
                .map(v -> Map.of("pointer", v.pointer(), "reason", v.reason())).toList();
        return new GraphqlProblem(code, e.getMessage(), Map.of("violations", violations));
    }

    /** Turns an operation's failure thrown by a synchronous fetcher into its GraphQL error. */
    private static <T> DataFetcher<T> guarded(DataFetcher<T> fetcher) {
        return env -> {
            try {
                return fetcher.get(env);
            } catch (OperationException e) {
                throw problem(e);
            }
        };
    }
}
