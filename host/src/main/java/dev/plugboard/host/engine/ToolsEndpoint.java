package dev.plugboard.host.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.protocol.tools.ListToolsResult;
import dev.plugboard.host.security.CallLimiter;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Rights;
import dev.plugboard.host.tool.ResultCache;
import dev.plugboard.host.tool.ResultMapper;
import dev.plugboard.host.tool.ToolExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** {@code tools/list} and {@code tools/call}. */
final class ToolsEndpoint {

    private final Catalog catalog;
    private final ToolExecutor executor;
    private final Contexts contexts;
    private final int pageSize;
    private final boolean searchMode;
    private final TaskCalls taskCalls;

    private volatile ResultCache cache = ResultCache.NONE;
    private final ObjectMapper mapper = JsonRpcCodec.newMapper();

    /** Sets where results of the tools that allow it are cached. */
    void cacheResults(ResultCache cache) {
        this.cache = cache;
    }

    ToolsEndpoint(Catalog catalog, ToolExecutor executor, Contexts contexts, int pageSize, boolean searchMode,
            TaskCalls taskCalls) {
        this.taskCalls = taskCalls;
        this.catalog = catalog;
        this.executor = executor;
        this.contexts = contexts;
        this.pageSize = pageSize;
        this.searchMode = searchMode;
    }

    /**
     * The tools {@code tools/list} shows: all of them, or in search mode the tools about the
     * catalogue. Should no plugin offer a way to search (the search bundle is absent), search mode
     * lists all tools rather than leave the client with {@code call_tool} and nothing to find.
     */
    private List<RegisteredTool> listed() {
        List<RegisteredTool> all = visible(catalog.tools().all(), false);
        if (!searchMode) {
            return all;
        }
        List<RegisteredTool> meta = visible(catalog.tools().all(), true).stream().filter(t -> t.provider().meta())
                .toList();
        boolean searchable = meta.stream().anyMatch(t -> !t.name().equals(CallTool.NAME));
        return searchable ? meta : all;
    }

    /**
     * The tools the request's principal may see: those its rights cover and, in search mode, the
     * catalogue's own tools (whose answers show only what the principal may see).
     */
    static List<RegisteredTool> visible(List<RegisteredTool> tools, boolean withMeta) {
        Rights rights = Principal.current().rights();
        if (rights.seesEverything()) {
            return tools;
        }
        return tools.stream().filter(t -> rights.mayUseTool(t.name(), t.provider().bundleName())
                || (withMeta && t.provider().meta() && rights.may(dev.plugboard.host.security.Operation.CATALOG)))
                .toList();
    }

    ListToolsResult list(RequestScope scope, JsonNode params) {
        List<RegisteredTool> listed = listed();
        Pages.Page<RegisteredTool> page = Pages.page(listed, RegisteredTool::name, Pages.cursor(params), pageSize);
        boolean structured = scope.version().hasStructuredOutput();
        return new ListToolsResult(page.items().stream()
                .map(RegisteredTool::descriptor)
                .map(d -> structured ? d : d.withoutOutputSchema())
                .toList(), page.nextCursor());
    }

    CompletableFuture<Object> call(RequestScope scope, JsonRpcRequest request) {
        JsonNode params = request.params();
        JsonNode name = params == null ? null : params.get("name");
        if (name == null || !name.isTextual()) {
            throw McpException.invalidParams("Invalid params: \"name\" must be the tool's name");
        }
        Rights rights = Principal.current().rights();
        if (!rights.seesEverything() && !catalog.tool(name.asText()).map(t -> (searchMode && t.provider().meta())
                || rights.mayUseTool(t.name(), t.provider().bundleName())).orElse(rights.mayUseTool(name.asText()))) {
            // A tool the caller may not use is answered as if it did not exist.
            throw McpException.invalidParams("Unknown tool: " + name.asText());
        }
        RegisteredTool found = catalog.tool(name.asText()).orElse(null);
        if (found == null) {
            // while its plugin is being updated, wait (bounded) for the new version instead of calling it unknown
            // the new version arrives on another thread: the caller's identity (rights, limits) goes with it
            Principal caller = Principal.current();
            return catalog.awaitTool(name.asText()).thenCompose(t -> {
                Principal before = Principal.bind(caller);
                try {
                    RegisteredTool next = t.orElseThrow(() -> missing(name.asText()));
                    if (!rights.seesEverything() && !(searchMode && next.provider().meta())
                            && !rights.mayUseTool(next.name(), next.provider().bundleName())) {
                        throw McpException.invalidParams("Unknown tool: " + name.asText());
                    }
                    return call(scope, request, next);
                } finally {
                    Principal.restore(before);
                }
            });
        }
        return call(scope, request, found);
    }

    /** A tool that is not there: still being updated past the wait (retry), gone (and why), or unknown. */
    private McpException missing(String name) {
        if (catalog.updating(name)) {
            return new McpException(ErrorCodes.SERVER_BUSY, "Tool '" + name + "' is being updated and its new version"
                    + " did not start within " + catalog.swapWait().toSeconds() + " s; try again shortly", null);
        }
        return McpException.invalidParams(catalog.missingTool(name));
    }

    private CompletableFuture<Object> call(RequestScope scope, JsonRpcRequest request, RegisteredTool tool) {
        JsonNode params = request.params();
        if (scope.paramHeaders() != null) {
            tool.paramHeaders().check(params.get("arguments"), scope.paramHeaders());
        }
        JsonNode token = RequestScope.progressToken(params);
        if (token != null && !(token.isTextual() || token.isIntegralNumber())) {
            throw McpException.invalidParams("Invalid params: \"_meta.progressToken\" must be a string or an integer");
        }
        CallLimiter.Admission admission = Principal.current().limits().admit(tool.name());
        if (!admission.admitted()) {
            throw new McpException(ErrorCodes.RATE_LIMITED, admission.reason(), java.util.Map.of("retryAfterSeconds",
                    admission.retryAfterSeconds()));
        }
        try {
            return admitted(scope, request, tool, admission);
        } catch (RuntimeException | Error e) {
            admission.close(); // refused before it ran (a forged request state, say): the slot is free again
            throw e;
        }
    }

    private CompletableFuture<Object> admitted(RequestScope scope, JsonRpcRequest request, RegisteredTool tool,
            CallLimiter.Admission admission) {
        JsonNode params = request.params();
        CompletableFuture<Object> asTask = taskCalls.maybeStart(scope, request, tool);
        if (asTask != null) {
            admission.close(); // a task is admitted by the task limits; its start took this call's turn
            return asTask;
        }
        boolean structured = scope.version().hasStructuredOutput();
        ResultCache results = cache;
        String cacheKey = tool.cacheFor() == null || results == ResultCache.NONE ? null
                : ResultCache.key(tool, params.get("arguments"));
        if (cacheKey != null) {
            JsonNode hit = results.get(cacheKey);
            if (hit instanceof ObjectNode o) {
                admission.close();
                if (!structured) {
                    o.remove("structuredContent");
                }
                return CompletableFuture.completedFuture(o);
            }
        }
        Contexts.Call call = contexts.create(scope, request, tool.name(), tool.name());
        Rights rights = Principal.current().rights();
        boolean filtered = tool.provider().meta() && !rights.seesEverything();
        // One stage for the usual outcome rather than a chain of them (bench/profile.md, "Left to do" #3).
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Finish finish = new Finish(scope, request, tool.name(), call, rights, filtered, structured, admission, outcome);
        executor.start(tool, params.get("arguments"), call.context()).whenComplete((r, f) -> {
            CompletableFuture<CallToolResult> retried;
            try {
                retried = f != null && notAdmitted(tool, f) ? callNewVersion(tool, params.get("arguments"), call, f) : null;
            } catch (Throwable e) {
                finish.settle(null, e);
                return;
            }
            if (retried != null) {
                retried.whenComplete(finish::settle);
                return;
            }
            Throwable failure = f;
            if (failure == null && cacheKey != null) {
                try {
                    if (!Boolean.TRUE.equals(r.isError())) {
                        results.put(cacheKey, mapper.valueToTree(r), tool.cacheFor());
                    }
                } catch (Throwable e) {
                    failure = e;
                }
            }
            finish.settle(failure == null ? r : null, failure);
        });
        return outcome;
    }

    /** What a call's result or failure becomes for the client, once the plugin answered. */
    private final class Finish {
        private final RequestScope scope;
        private final JsonRpcRequest request;
        private final String toolName;
        private final Contexts.Call call;
        private final Rights rights;
        private final boolean filtered;
        private final boolean structured;
        private final CallLimiter.Admission admission;
        private final CompletableFuture<Object> outcome;

        Finish(RequestScope scope, JsonRpcRequest request, String toolName, Contexts.Call call, Rights rights,
                boolean filtered, boolean structured, CallLimiter.Admission admission, CompletableFuture<Object> outcome) {
            this.scope = scope;
            this.request = request;
            this.toolName = toolName;
            this.call = call;
            this.rights = rights;
            this.filtered = filtered;
            this.structured = structured;
            this.admission = admission;
            this.outcome = outcome;
        }

        /** Completes the outcome: a refusal becomes the tool's error result, anything else that failed an error. */
        void settle(CallToolResult answered, Throwable failed) {
            Object answer;
            try {
                CallToolResult r = failed == null ? answered : ToolExecutor.refusalAsResult(failed);
                if (filtered) {
                    r = VisibleResults.filter(r, rights);
                }
                answer = structured ? r : new CallToolResult(r.content(), null, r.isError());
            } catch (Throwable failure) {
                try {
                    answer = failed(failure);
                } catch (Throwable left) {
                    admission.close();
                    outcome.completeExceptionally(left);
                    return;
                }
            }
            admission.close();
            outcome.complete(answer);
        }

        private Object failed(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof MissingCapabilityException m && !scope.stateless()) {
                return ResultMapper.error(m.getMessage());
            }
            if (scope.stateless() && scope.paramHeaders() != null && cause instanceof McpException m
                    && m.code() == ErrorCodes.INVALID_PARAMS && m.data() instanceof JsonNode data && data.has("violations")) {
                // 2026-07-28 over HTTP: arguments that break the schema are the tool's error, for the
                // model to fix (the doors, calling without headers, keep the violations as an error)
                return ResultMapper.error(m.getMessage());
            }
            return contexts.inputRequired(request, toolName, call).apply(failure);
        }
    }

    /**
     * Whether the call found the tool's provider closing before it ran: it was looked up just before
     * an update took the tool out of the catalogue. Such a call never ran, so it may go to the new version.
     */
    private boolean notAdmitted(RegisteredTool tool, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof PluginCallException p && p.reason() == PluginCallException.Reason.GONE
                && catalog.tool(tool.name()).orElse(null) != tool;
    }

    private CompletableFuture<CallToolResult> callNewVersion(RegisteredTool old, JsonNode arguments, Contexts.Call call,
            Throwable refused) {
        return catalog.awaitTool(old.name()).thenCompose(next -> next.isPresent() && next.get() != old
                ? executor.start(next.get(), arguments, call.context())
                : CompletableFuture.failedFuture(refused));
    }
}
