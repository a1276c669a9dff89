package dev.plugboard.host.door;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogItem;
import dev.plugboard.api.search.SearchHit;
import dev.plugboard.api.search.SearchMode;
import dev.plugboard.api.search.SearchRequest;
import dev.plugboard.api.search.SearchService;
import dev.plugboard.api.tool.TaskSupport;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.door.OperationException.Kind;
import dev.plugboard.host.door.OperationException.Violation;
import dev.plugboard.host.engine.Door;
import dev.plugboard.host.tracing.TraceContext;
import dev.plugboard.host.engine.McpEngine;
import dev.plugboard.host.engine.Pages;
import dev.plugboard.host.engine.StatelessResult;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.progress.ProgressParams;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Rights;
import dev.plugboard.host.task.TaskException;
import dev.plugboard.host.task.TaskRecord;
import dev.plugboard.host.task.Tasks;
import dev.plugboard.host.tool.ResultMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * What every door other than MCP (REST, GraphQL, the CLI) can do with the catalogue, written once.
 *
 * <p>Calls, reads, renders and completions go through the MCP engine as requests of the stateless
 * revision, so they pass the same validation, limits, time limits, progress, cancellation and
 * result rules as an MCP client's; listings come from the engine or, for tools (which MCP neither
 * filters nor searches), from the catalogue, paged the engine's way. Every failure is an
 * {@link OperationException} whose {@link OperationException.Kind} the door maps to its own error
 * form. Thread-safe.
 */
public final class Operations {

    /** The client name the engine sees for these requests. */
    private static final String CLIENT = "plugboard-door";
    private static final String SERVER_INFO = "io.modelcontextprotocol/serverInfo";

    private final McpEngine engine;
    private final Catalog catalog;
    private final ObjectMapper mapper;
    private final int pageSize;
    private final Supplier<Optional<SearchService>> search;
    private final AtomicLong ids = new AtomicLong();
    private final ObjectNode meta;
    private final Door door;

    /**
     * @param engine answers the requests
     * @param catalog lists the tools
     * @param mapper the host's JSON settings
     * @param pageSize the most entries a page of tools holds
     * @param search the search plugin's service, when it runs
     */
    public Operations(McpEngine engine, Catalog catalog, ObjectMapper mapper, int pageSize,
            Supplier<Optional<SearchService>> search) {
        this(engine, catalog, mapper, pageSize, search, Door.REST);
    }

    private Operations(McpEngine engine, Catalog catalog, ObjectMapper mapper, int pageSize,
            Supplier<Optional<SearchService>> search, Door door) {
        this.door = door;
        this.engine = engine;
        this.catalog = catalog;
        this.mapper = mapper;
        this.pageSize = pageSize;
        this.search = search;
        this.meta = mapper.createObjectNode();
        meta.put("io.modelcontextprotocol/protocolVersion", ProtocolVersion.V2026_07_28.id());
        // No capabilities: a door cannot answer elicitation or sampling, and a tool that needs them says so.
        meta.putObject("io.modelcontextprotocol/clientCapabilities");
        meta.putObject("io.modelcontextprotocol/clientInfo").put("name", CLIENT).put("version", "1");
    }

    /**
     * The same operations for another door: requests are counted under it (metrics); the REST API's
     * by default.
     */
    public Operations through(Door other) {
        return new Operations(engine, catalog, mapper, pageSize, search, other);
    }

    // ---- tools ----

    /**
     * A tool with the bundle that provides it.
     *
     * @param tool its definition: name, title, description, input and output schema, hints
     * @param bundle the symbolic name of its bundle ({@code host} for the host's own)
     * @param bundleVersion the version of its bundle, or null for the host's own
     */
    public record ToolEntry(ToolDescriptor tool, String bundle, String bundleVersion) {
    }

    /**
     * Which tools to list.
     *
     * @param bundle only this bundle's tools, or null for all
     * @param readOnly only tools whose read-only hint is this, or null for all
     * @param query text to search for, or null to list in name order; with the search plugin this is
     *     a ranked search (one page of at most {@code limit}); without it, a case-insensitive match on
     *     name, title and description
     * @param limit the most tools a ranked search returns (1 to 100)
     */
    public record ToolFilter(String bundle, Boolean readOnly, String query, int limit) {

        /** All tools. */
        public static final ToolFilter ALL = new ToolFilter(null, null, null, 10);
    }

    /**
     * One page of tools in name order (or ranked by a search).
     *
     * @param cursor the previous page's next cursor, or null for the first page
     * @throws OperationException {@link Kind#INVALID_REQUEST} for a bad cursor or limit
     */
    public Pages.Page<ToolEntry> tools(ToolFilter filter, String cursor) {
        if (filter.limit() < 1 || filter.limit() > 100) {
            throw new OperationException(Kind.INVALID_REQUEST, "limit must be between 1 and 100");
        }
        String query = filter.query() == null || filter.query().isBlank() ? null : filter.query().strip();
        Optional<SearchService> searcher = query == null ? Optional.empty() : search.get();
        if (searcher.isPresent()) {
            if (cursor != null) {
                throw new OperationException(Kind.INVALID_REQUEST, "a search has one page; it takes no cursor");
            }
            Rights rights = Principal.current().rights();
            SearchRequest request = new SearchRequest(query, SearchMode.HYBRID,
                    rights.seesEverything() ? filter.limit() : 100,
                    Set.of(CatalogItem.Kind.TOOL), filter.bundle() == null ? Set.of() : Set.of(filter.bundle()),
                    filter.readOnly(), null);
            List<ToolEntry> found = new ArrayList<>();
            for (SearchHit hit : searcher.get().search(request)) {
                if (found.size() < filter.limit()) {
                    catalog.tool(hit.item().key()).filter(t -> rights.mayUseTool(t.name(), t.provider().bundleName()))
                            .map(Operations::entry).ifPresent(found::add);
                }
            }
            return new Pages.Page<>(found, null);
        }
        String needle = query == null ? null : query.toLowerCase(Locale.ROOT);
        Rights rights = Principal.current().rights();
        List<RegisteredTool> matching = catalog.tools().all().stream()
                .filter(t -> rights.mayUseTool(t.name(), t.provider().bundleName()))
                .filter(t -> filter.bundle() == null || filter.bundle().equals(t.provider().bundleName()))
                .filter(t -> filter.readOnly() == null || filter.readOnly() == readOnly(t.descriptor()))
                .filter(t -> needle == null || mentions(t.descriptor(), needle))
                .toList();
        try {
            Pages.Page<RegisteredTool> page = Pages.page(matching, RegisteredTool::name, cursor, pageSize);
            return new Pages.Page<>(page.items().stream().map(Operations::entry).toList(), page.nextCursor());
        } catch (McpException e) {
            throw new OperationException(Kind.INVALID_REQUEST, e.getMessage());
        }
    }

    /**
     * A tool's full definition.
     *
     * @throws OperationException {@link Kind#NOT_FOUND} when there is no such tool
     */
    public ToolEntry tool(String name) {
        return catalog.tool(name).filter(t -> Principal.current().rights()
                .mayUseTool(t.name(), t.provider().bundleName())).map(Operations::entry)
                .orElseThrow(() -> new OperationException(Kind.NOT_FOUND, catalog.missingTool(name)));
    }

    /**
     * Calls a tool. A tool being updated is waited for (as over MCP); a tool that answers with
     * {@code isError} is a result, not a failure; plugin code that failed, overran, was busy or went
     * away fails the call with the matching kind.
     *
     * @param name the tool
     * @param arguments the arguments object, or null for none
     * @param progress hears progress, or {@link Progress#NONE}
     */
    public RunningCall callTool(String name, JsonNode arguments, Progress progress) {
        // Checked again after updating(): an update can end between the two looks, with the new tool in.
        Rights rights = Principal.current().rights();
        if (!catalog.tool(name).map(t -> rights.mayUseTool(t.name(), t.provider().bundleName()))
                .orElse(rights.mayUseTool(name))) {
            return failed(new OperationException(Kind.NOT_FOUND, "Unknown tool: " + name));
        }
        if (catalog.tool(name).isEmpty() && !catalog.updating(name) && catalog.tool(name).isEmpty()) {
            return failed(new OperationException(Kind.NOT_FOUND, catalog.missingTool(name)));
        }
        ObjectNode params = mapper.createObjectNode().put("name", name);
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        return send("tools/call", params, progress, name);
    }

    // ---- resources, templates, prompts, completion ----

    /** One page of resources ({@code resources} and {@code nextCursor}), the engine's way. */
    public ObjectNode resources(String cursor) {
        return listing("resources/list", cursor);
    }

    /** One page of resource templates ({@code resourceTemplates} and {@code nextCursor}). */
    public ObjectNode templates(String cursor) {
        return listing("resources/templates/list", cursor);
    }

    /** One page of prompts ({@code prompts} and {@code nextCursor}). */
    public ObjectNode prompts(String cursor) {
        return listing("prompts/list", cursor);
    }

    /** Reads a resource (a fixed one, or one a template matches): its {@code contents}. */
    public RunningCall readResource(String uri) {
        return send("resources/read", mapper.createObjectNode().put("uri", uri), Progress.NONE, null);
    }

    /**
     * Renders a prompt: its {@code description} and {@code messages}.
     *
     * @param arguments the prompt's arguments (strings), or null
     */
    public RunningCall renderPrompt(String name, JsonNode arguments) {
        if (catalog.prompts().find(name).isEmpty()
                || !Principal.current().rights().mayUsePrompt(name)) {
            return failed(new OperationException(Kind.NOT_FOUND, "Unknown prompt: " + name));
        }
        ObjectNode params = mapper.createObjectNode().put("name", name);
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        return send("prompts/get", params, Progress.NONE, null);
    }

    /**
     * Completes an argument value: {@code completion} with {@code values}, {@code total}, {@code hasMore}.
     *
     * @param params as MCP's {@code completion/complete}: {@code ref}, {@code argument}, optional {@code context}
     */
    public RunningCall complete(ObjectNode params) {
        return send("completion/complete", params.deepCopy(), Progress.NONE, null);
    }

    // ---- search ----

    /**
     * Searches the catalogue with the search plugin.
     *
     * @throws OperationException {@link Kind#UNAVAILABLE} when the search plugin does not run,
     *     {@link Kind#INVALID_REQUEST} for a blank query
     */
    public List<SearchHit> search(String query, SearchMode mode, Set<CatalogItem.Kind> kinds, int limit) {
        if (query == null || query.isBlank()) {
            throw new OperationException(Kind.INVALID_REQUEST, "q must be a non-empty text");
        }
        if (limit < 1 || limit > 100) {
            throw new OperationException(Kind.INVALID_REQUEST, "limit must be between 1 and 100");
        }
        SearchService service = search.get().orElseThrow(() -> new OperationException(Kind.UNAVAILABLE,
                "search needs the search plugin (plugboard-search), which is not running"));
        Rights rights = Principal.current().rights();
        if (rights.seesEverything()) {
            return service.search(new SearchRequest(query, mode, limit, kinds, Set.of(), null, null));
        }
        return service.search(new SearchRequest(query, mode, 100, kinds, Set.of(), null, null)).stream()
                .filter(hit -> switch (hit.item().kind()) {
                    case TOOL -> rights.mayUseTool(hit.item().key(), hit.item().bundle());
                    case PROMPT -> rights.mayUsePrompt(hit.item().key());
                    default -> rights.mayUseResource(hit.item().key());
                })
                .limit(limit)
                .toList();
    }

    // ---- the engine ----

    private ObjectNode listing(String method, String cursor) {
        ObjectNode params = mapper.createObjectNode();
        if (cursor != null) {
            params.put("cursor", cursor);
        }
        try {
            return send(method, params, Progress.NONE, null).result().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof OperationException o ? o
                    : new OperationException(Kind.INTERNAL, "Internal error");
        }
    }

    // ---- tasks ----

    /**
     * Who calls through a door: the principal the front door bound to this request's thread, which
     * owns the tasks it starts and sees only its own (an admin sees all).
     */
    public static CallerIdentity doorCaller() {
        Principal p = Principal.current();
        return new CallerIdentity(p.name(), p.roles(), p.rights(), CLIENT, "1", null, p.limits());
    }

    /** The tasks of the MCP engine, which doors share. */
    public Tasks tasks() {
        return engine.tasks();
    }

    /**
     * Starts a tool as a task; the tool must support tasks.
     *
     * @param name the tool
     * @param arguments the arguments object, or null for none
     * @return the task just created
     * @throws OperationException {@link Kind#NOT_FOUND} for no such tool, {@link Kind#INVALID_REQUEST}
     *         for a tool that does not run as a task, and the call's own failures when it fails before it
     *         becomes a task
     * @throws TaskException (limit) when the caller's or the server's limit on unfinished tasks is reached
     */
    public TaskRecord startTask(String name, JsonNode arguments) {
        RegisteredTool tool = catalog.tool(name).orElseThrow(() -> new OperationException(Kind.NOT_FOUND,
                catalog.missingTool(name)));
        if (tool.descriptor().taskSupport() == TaskSupport.FORBIDDEN) {
            throw new OperationException(Kind.INVALID_REQUEST, "Tool '" + name + "' does not run as a task; call it"
                    + " with POST /api/v1/tools/" + name + "/call instead");
        }
        ObjectNode params = mapper.createObjectNode().put("name", name);
        if (arguments != null) {
            params.set("arguments", arguments);
        }
        ObjectNode requestMeta = meta.deepCopy();
        ((ObjectNode) requestMeta.get("io.modelcontextprotocol/clientCapabilities")).putObject("extensions")
                .putObject("io.modelcontextprotocol/tasks");
        params.set("_meta", requestMeta);
        McpEngine.Pending pending = engine.stateless(new JsonRpcRequest(JsonNodeFactory.instance.numberNode(
                ids.incrementAndGet()), "tools/call", params), MessageSink.NONE, null);
        ObjectNode result;
        try {
            result = pending.response().thenApply(r -> {
                if (r instanceof JsonRpcError e && e.error().code() == ErrorCodes.SERVER_BUSY
                        && TaskException.LIMIT_DATA.equals(e.error().data())) {
                    throw new TaskException(TaskException.Reason.LIMIT, e.error().message());
                }
                return r instanceof JsonRpcResult ok && ok.result() instanceof ObjectNode o
                        && "task".equals(o.path("resultType").asText()) ? o : outcome(r, name);
            }).join();
        } catch (CompletionException e) {
            throw switch (e.getCause()) {
                case OperationException o -> o;
                case TaskException t -> t;
                default -> new OperationException(Kind.INTERNAL, "Internal error");
            };
        }
        String id = result.path("taskId").asText(null);
        if (id == null) {
            throw new OperationException(Kind.INVALID_REQUEST, "Tool '" + name + "' answered without becoming a task");
        }
        return engine.tasks().get(doorCaller(), id);
    }

    private RunningCall send(String method, ObjectNode params, Progress progress, String toolName) {
        long id = ids.incrementAndGet();
        ObjectNode requestMeta = meta.deepCopy();
        if (progress != Progress.NONE) {
            requestMeta.put("progressToken", id);
        }
        TraceContext.current().ifPresent(trace -> trace.writeTo(requestMeta)); // the HTTP request's, if any
        params.set("_meta", requestMeta);
        MessageSink sink = progress == Progress.NONE ? MessageSink.NONE : message -> {
            if (message instanceof JsonRpcNotification n && n.params() instanceof ProgressParams p) {
                progress.progress(p.progress(), p.total(), p.message());
                return true;
            }
            return false;
        };
        McpEngine.Pending pending = engine.stateless(new JsonRpcRequest(JsonNodeFactory.instance.numberNode(id),
                method, params), sink, null, door);
        CompletableFuture<ObjectNode> result = pending.response().handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException c && c.getCause() != null ? c.getCause()
                        : failure;
                throw cause instanceof CancellationException
                        ? new OperationException(Kind.CANCELLED, "the call was cancelled")
                        : new OperationException(Kind.INTERNAL, "Internal error");
            }
            return outcome(response, toolName);
        });
        return new RunningCall(result, pending.cancel());
    }

    private ObjectNode outcome(JsonRpcResponse response, String toolName) {
        return switch (response) {
            case JsonRpcError e -> throw failure(e.error(), toolName);
            case JsonRpcResult r -> {
                ObjectNode node = switch (StatelessResult.unwrap(r.result())) {
                    case ObjectNode o -> o;
                    case CallToolResult c -> c.asTree(mapper.getNodeFactory());
                    case Object other -> mapper.valueToTree(other);
                };
                if ("input_required".equals(node.path("resultType").asText())) {
                    throw new OperationException(Kind.INPUT_REQUIRED, (toolName == null ? "the request"
                            : "tool '" + toolName + "'") + " needs input from the client (elicitation, sampling or"
                            + " roots), which this door cannot give; call it over MCP");
                }
                yield plain(node, toolName);
            }
        };
    }

    /** The result without the stateless revision's decorations, or the failure a tool's text block names. */
    private ObjectNode plain(ObjectNode node, String toolName) {
        node.remove(List.of("resultType", "ttlMs", "cacheScope"));
        if (node.get("_meta") instanceof ObjectNode m) {
            m.remove(SERVER_INFO);
            if (m.isEmpty()) {
                node.remove("_meta");
            }
        }
        if (toolName != null && node.path("isError").asBoolean(false)) {
            JsonNode first = node.path("content").path(0);
            String reason = first.path("_meta").path(ResultMapper.FAILURE_META).asText(null);
            if (reason != null) {
                throw new OperationException(kindOf(PluginCallException.Reason.valueOf(reason)),
                        first.path("text").asText());
            }
        }
        return node;
    }

    private static Kind kindOf(PluginCallException.Reason reason) {
        return switch (reason) {
            case BUSY, DEGRADED, REFUSED -> Kind.BUSY;
            case TIMED_OUT -> Kind.TIMED_OUT;
            case GONE -> Kind.GONE;
            case CANCELLED -> Kind.CANCELLED;
            case FAILED -> Kind.FAILED;
        };
    }

    private OperationException failure(JsonRpcError.Detail error, String toolName) {
        JsonNode data = error.data() == null ? null : mapper.valueToTree(error.data());
        return switch (error.code()) {
            case ErrorCodes.SERVER_BUSY -> new OperationException(Kind.BUSY, error.message());
            case ErrorCodes.RATE_LIMITED -> new OperationException(Kind.RATE_LIMITED, error.message());
            case ErrorCodes.RESOURCE_NOT_FOUND, ErrorCodes.METHOD_NOT_FOUND ->
                    new OperationException(Kind.NOT_FOUND, error.message());
            case ErrorCodes.MISSING_CAPABILITY -> new OperationException(Kind.INPUT_REQUIRED, error.message()
                    + "; this door cannot give it, call over MCP");
            case ErrorCodes.INVALID_PARAMS -> invalid(error.message(), data, toolName);
            case ErrorCodes.INTERNAL_ERROR -> new OperationException(Kind.INTERNAL, error.message());
            default -> new OperationException(Kind.INVALID_REQUEST, error.message());
        };
    }

    private OperationException invalid(String message, JsonNode data, String toolName) {
        if (data != null && data.path("violations").isArray()) {
            List<Violation> violations = new ArrayList<>();
            data.get("violations").forEach(v -> violations.add(new Violation(pointer(v.path("argument").asText()),
                    v.path("reason").asText())));
            return new OperationException(Kind.INVALID_ARGUMENTS, message, violations);
        }
        if (data != null && data.has("uri")) {
            return new OperationException(Kind.NOT_FOUND, message);
        }
        if (toolName != null) {
            if (catalog.tool(toolName).isEmpty()) {
                return new OperationException(Kind.NOT_FOUND, message);
            }
            return new OperationException(Kind.INVALID_ARGUMENTS, message, List.of(new Violation("", message)));
        }
        return new OperationException(message.startsWith("Unknown ") ? Kind.NOT_FOUND : Kind.INVALID_REQUEST, message);
    }

    /**
     * The JSON pointer of a validator path such as {@code items[2].name} ({@code /items/2/name});
     * the empty path is the whole document.
     */
    static String pointer(String path) {
        StringBuilder out = new StringBuilder();
        StringBuilder segment = new StringBuilder();
        for (int i = 0; i <= path.length(); i++) {
            char c = i < path.length() ? path.charAt(i) : '.';
            if (c == '.' || c == '[' || c == ']') {
                if (!segment.isEmpty()) {
                    out.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
                    segment.setLength(0);
                }
            } else {
                segment.append(c);
            }
        }
        return out.toString();
    }

    private static RunningCall failed(OperationException e) {
        return new RunningCall(CompletableFuture.failedFuture(e), () -> { });
    }

    private static ToolEntry entry(RegisteredTool t) {
        return new ToolEntry(t.descriptor(), t.provider().bundleName(), t.provider().bundleVersion());
    }

    private static boolean readOnly(ToolDescriptor d) {
        return d.annotations() != null && Boolean.TRUE.equals(d.annotations().readOnlyHint());
    }

    private static boolean mentions(ToolDescriptor d, String needle) {
        return contains(d.name(), needle) || contains(d.title(), needle) || contains(d.description(), needle);
    }

    private static boolean contains(String text, String needle) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
    }

}
