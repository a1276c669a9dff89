package dev.plugboard.host.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.client.MissingCapabilityException;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Kind;
import dev.plugboard.host.catalog.Offerings;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.catalog.RegisteredTool;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.invoke.PluginCallException;
import dev.plugboard.host.prompt.PromptRenderer;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
import dev.plugboard.host.protocol.completion.CompleteParams;
import dev.plugboard.host.protocol.jsonrpc.ErrorCodes;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcError;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcNotification;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcRequest;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResponse;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcResult;
import dev.plugboard.host.protocol.jsonrpc.McpException;
import dev.plugboard.host.protocol.lifecycle.ClientCapabilities;
import dev.plugboard.host.protocol.lifecycle.Implementation;
import dev.plugboard.host.protocol.lifecycle.InitializeParams;
import dev.plugboard.host.protocol.lifecycle.InitializeResult;
import dev.plugboard.host.protocol.lifecycle.ServerCapabilities;
import dev.plugboard.host.protocol.logging.LogLevels;
import dev.plugboard.host.protocol.logging.SetLevelParams;
import dev.plugboard.host.protocol.progress.CancelledParams;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.resource.ResourceReader;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.task.MemoryTaskStore;
import dev.plugboard.host.task.TaskLimits;
import dev.plugboard.host.task.Tasks;
import dev.plugboard.host.tool.ToolExecutor;
import dev.plugboard.host.tracing.HostSpan;
import dev.plugboard.host.tracing.RequestTracer;
import dev.plugboard.host.tracing.TraceContext;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MCP protocol engine: answers requests and notifications for any transport, in the
 * session-based revisions (2025-03-26 to 2025-11-25) and the stateless one (2026-07-28).
 *
 * <p>Transports decode messages with {@link JsonRpcCodec}, find or open the session (or check a
 * stateless request), and call in here; the engine never throws to them: every request completes
 * with a response, and one the client cancelled completes by cancellation. Features live in their
 * endpoints; this class dispatches and shapes responses for the revision.
 */
public final class McpEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpEngine.class.getName());
    private static final Object EMPTY = Map.of();
    private static final Set<String> CACHEABLE = Set.of("server/discover", "tools/list", "prompts/list",
            "resources/list", "resources/templates/list", "resources/read");

    private final EngineSettings settings;
    private final Catalog catalog;
    private final Sessions sessions;
    private final ObjectMapper mapper;
    private final JsonRpcCodec codec;
    private final List<Consumer<String>> resourceWatchers = new CopyOnWriteArrayList<>();
    private final Notifier notifier;
    private final ToolsEndpoint tools;
    private final ResourcesEndpoint resources;
    private final PromptsEndpoint prompts;
    private final CompletionEndpoint completion;
    private final TasksEndpoint taskMethods;
    private final Tasks tasks;
    private final boolean ownsTasks;
    private final AutoCloseable catalogListener;
    private final Catalog.Registration builtIns;
    private final ObjectNode serverInfo;
    private volatile RequestObserver observer = RequestObserver.NONE;
    /** Null unless spans are exported (tracing.otlp.endpoint): the untraced path is one null check. */
    private volatile RequestTracer tracer;
    private final ToolExecutor toolExecutor;

    /**
     * @param settings names, instructions, page size, state key
     * @param catalog the catalogue
     * @param invocations runs plugin code
     * @param sessions the sessions of this node
     * @param codec the JSON settings
     */
    public McpEngine(EngineSettings settings, Catalog catalog, Invocations invocations, Sessions sessions,
            JsonRpcCodec codec) {
        this(settings, catalog, invocations, sessions, codec, null);
    }

    /**
     * @param settings names, instructions, page size, state key
     * @param catalog the catalogue
     * @param invocations runs plugin code
     * @param sessions the sessions of this node
     * @param codec the JSON settings
     * @param tasks the tasks shared with the other front doors, or null for tasks of this engine's own
     */
    public McpEngine(EngineSettings settings, Catalog catalog, Invocations invocations, Sessions sessions,
            JsonRpcCodec codec, Tasks tasks) {
        this.ownsTasks = tasks == null;
        this.tasks = tasks != null ? tasks : new Tasks(new MemoryTaskStore(), TaskLimits.DEFAULTS, Clock.systemUTC(),
                Duration.ofSeconds(30));
        this.settings = settings;
        this.catalog = catalog;
        this.sessions = sessions;
        this.mapper = codec.mapper();
        this.codec = codec;
        this.notifier = new Notifier(sessions);
        Contexts contexts = new Contexts(new ClientMessages(mapper), new RequestStates(settings.requestStateKey(),
                Duration.ofHours(1), mapper, Clock.systemUTC()), settings.clientTimeout());
        this.toolExecutor = new ToolExecutor(invocations);
        this.tools = new ToolsEndpoint(catalog, toolExecutor, contexts, settings.pageSize(), settings.searchMode(),
                new TaskCalls(this.tasks, toolExecutor, contexts, mapper));
        this.taskMethods = new TasksEndpoint(this.tasks, mapper, settings.pageSize());
        if (settings.searchMode()) {
            Provider host = Provider.hostMeta(0);
            this.builtIns = catalog.register(host, Offerings.ofTools(List.of(new RegisteredTool(CallTool.descriptor(),
                    new CallTool(catalog, toolExecutor), host, 64))));
        } else {
            this.builtIns = () -> { };
        }
        this.resources = new ResourcesEndpoint(catalog, new ResourceReader(catalog, invocations), contexts,
                settings.pageSize());
        this.prompts = new PromptsEndpoint(catalog, new PromptRenderer(invocations), contexts, settings.pageSize());
        this.completion = new CompletionEndpoint(catalog, invocations);
        this.catalogListener = catalog.addListener(notifier::changed);
        this.serverInfo = mapper.createObjectNode().put("name", settings.serverName()).put("title", "Plugboard")
                .put("version", settings.serverVersion());
    }

    /**
     * The outcome of {@code initialize}.
     *
     * @param session the new session, or null when initialisation failed
     * @param response the response to send
     */
    public record Initialized(Session session, JsonRpcResponse response) {
    }

    /**
     * A stateless request being answered.
     *
     * @param response completes with the response, or is cancelled when the client cancelled
     * @param cancel cancels the request (the client closed its stream or sent a cancellation)
     */
    public record Pending(CompletableFuture<JsonRpcResponse> response, Runnable cancel) {
    }

    /**
     * A {@code subscriptions/listen} request: either refused, or listening until the handle closes.
     *
     * @param refusal the error to send, or null when listening
     * @param handle stops listening
     */
    public record Listening(JsonRpcError refusal, AutoCloseable handle) {
    }

    /** The service plugins call to announce changes; the host registers it in the framework. */
    public CatalogEvents events() {
        return new CatalogEvents() {
            @Override
            public void resourceUpdated(String uri) {
                resources.forget(uri);
                notifier.resourceUpdated(uri);
                resourceWatchers.forEach(w -> w.accept(uri));
            }

            @Override
            public void toolsChanged() {
                catalog.announce(EnumSet.of(Kind.TOOLS));
            }

            @Override
            public void resourcesChanged() {
                catalog.announce(EnumSet.of(Kind.RESOURCES));
            }

            @Override
            public void promptsChanged() {
                catalog.announce(EnumSet.of(Kind.PROMPTS));
            }
        };
    }

    /**
     * Tells this node's clients (sessions and listeners) that lists changed elsewhere, on another
     * node; unlike a change of the catalogue, nothing else hears of it.
     */
    public void notifyClients(Set<Kind> kinds) {
        notifier.changed(kinds);
    }

    /** Tells this node's clients subscribed to a resource that it changed elsewhere, on another node. */
    public void notifyResourceUpdated(String uri) {
        notifier.resourceUpdated(uri);
        resourceWatchers.forEach(w -> w.accept(uri));
    }

    /**
     * Hears of every resource update this engine passes on to its clients, announced by a plugin on
     * this node or heard from another (virtual servers pass them to their own clients), until the
     * returned handle is closed. Called on the announcing thread; must not block.
     */
    public AutoCloseable onResourceUpdated(Consumer<String> watcher) {
        resourceWatchers.add(watcher);
        return () -> resourceWatchers.remove(watcher);
    }

    /**
     * Sets where the results of tools that allow it ({@code @Tool(cacheSeconds)}) and the reads of
     * resources that allow it ({@code @Resource(cacheSeconds)}) are cached.
     */
    public void cacheResults(dev.plugboard.host.tool.ResultCache cache) {
        tools.cacheResults(cache.counted(cacheLookups.get("tool")));
        resources.cacheReads(cache.counted(cacheLookups.get("resource")));
    }

    private final Map<String, dev.plugboard.host.tool.CacheLookups> cacheLookups = Map.of(
            "tool", new dev.plugboard.host.tool.CacheLookups(), "resource", new dev.plugboard.host.tool.CacheLookups());

    /** Look-ups in the cache of results by what was cached ({@code tool}, {@code resource}), for the metrics. */
    public Map<String, dev.plugboard.host.tool.CacheLookups> cacheLookups() {
        return cacheLookups;
    }

    /** Whether a request uses the stateless revision (it names a version in its {@code _meta}). */
    public static boolean isStateless(JsonRpcRequest request) {
        return declaresStateless(request.params());
    }

    /** Whether message params name the stateless revision in their {@code _meta}. */
    public static boolean declaresStateless(Object params) {
        return params instanceof JsonNode node && StatelessRequests.declaresStateless(node);
    }

    // ---- the session-based revisions ----

    /** Handles {@code initialize}: negotiates the revision and opens a session. */
    public Initialized initialize(JsonRpcRequest request) {
        return initialize(request, null);
    }

    /**
     * Handles {@code initialize} from a client at a known address, which per-client session limits
     * count against.
     *
     * @param clientAddress where the client connects from, or null when unknown
     */
    public Initialized initialize(JsonRpcRequest request, String clientAddress) {
        try {
            InitializeParams params = codec.readParams(request.params(), InitializeParams.class, "params");
            if (params == null || params.protocolVersion() == null) {
                throw McpException.invalidParams("Invalid params: \"protocolVersion\" is required");
            }
            ProtocolVersion version = ProtocolVersion.negotiate(params.protocolVersion());
            Session session = sessions.open(version, params.clientInfo(), new ClientCapabilities(params.capabilities()),
                    clientAddress, Principal.current().credential());
            InitializeResult result = new InitializeResult(version.id(), version == ProtocolVersion.V2025_11_25
                    ? ServerCapabilities.ALL.withTasks() : ServerCapabilities.ALL,
                    new Implementation(settings.serverName(), "Plugboard", settings.serverVersion()),
                    settings.instructions());
            return new Initialized(session, new JsonRpcResult(request.id(), result));
        } catch (McpException e) {
            return new Initialized(null, e.toResponse(request.id()));
        } catch (RuntimeException e) {
            return new Initialized(null, unexpected(request, e));
        }
    }

    /** Answers a request that arrived outside any session (before {@code initialize}). */
    public JsonRpcResponse withoutSession(JsonRpcRequest request) {
        if ("ping".equals(request.method())) {
            return new JsonRpcResult(request.id(), EMPTY);
        }
        return JsonRpcError.of(request.id(), ErrorCodes.INVALID_REQUEST,
                "Bad Request: no session; send \"initialize\" first", null);
    }

    /**
     * Handles a request in a session.
     *
     * @param related where notifications and requests about this request go
     * @return completes with the response, or is cancelled when the client cancelled the request
     */
    public CompletableFuture<JsonRpcResponse> request(Session session, JsonRpcRequest request, MessageSink related) {
        return request(session, request, related, Door.MCP);
    }

    /**
     * Handles a request in a session that came through a given door.
     *
     * @param related where notifications and requests about this request go
     * @param door the door, for the {@link RequestObserver}
     * @return completes with the response, or is cancelled when the client cancelled the request
     */
    public CompletableFuture<JsonRpcResponse> request(Session session, JsonRpcRequest request, MessageSink related,
            Door door) {
        long started = System.nanoTime();
        observer.started();
        HostSpan span = traced(door, request);
        session.touch();
        AtomicReference<CallContext> call = new AtomicReference<>();
        RequestScope scope = RequestScope.of(session, related, ctx -> {
            call.set(ctx);
            session.started(request.id(), ctx);
        });
        CompletableFuture<JsonRpcResponse> response = respond(scope, request, dispatch(scope, request), call, door,
                started, span);
        response.whenComplete((r, e) -> {
            if (call.get() != null) {
                session.finished(request.id(), call.get());
            }
        });
        return response;
    }

    /** Handles a notification from a session's client. Unknown notifications are ignored. */
    public void notification(Session session, JsonRpcNotification notification) {
        session.touch();
        switch (notification.method()) {
            case "notifications/initialized" -> session.markInitialized();
            case "notifications/cancelled" -> {
                CancelledParams p = cancelled(notification);
                if (p != null) {
                    session.cancel(p.requestId(), p.reason() == null ? "cancelled by the client"
                            : "cancelled by the client: " + p.reason());
                }
            }
            default -> LOG.fine(() -> "Ignoring notification " + notification.method());
        }
    }

    /** Handles the client's response to a request the server sent it. */
    public void response(Session session, JsonRpcResponse response) {
        answer(session, response);
    }

    /**
     * Handles the client's response to a request the server sent it, on this node or (with a shared
     * store) on the node that asked, and says where it went.
     *
     * @throws dev.plugboard.host.session.StoreUnavailableException when the answer is for another node
     *     and the store cannot take it now
     */
    public dev.plugboard.host.session.AnswerRoute answer(Session session, JsonRpcResponse response) {
        session.touch();
        var route = session.answer(response);
        if (route == dev.plugboard.host.session.AnswerRoute.NOT_AWAITED
                || route == dev.plugboard.host.session.AnswerRoute.ASKER_GONE) {
            LOG.fine(() -> "Ignoring a response to no pending request: " + response.id() + " (" + route + ")");
        }
        return route;
    }

    // ---- the stateless revision ----

    /**
     * Handles a request of the stateless revision.
     *
     * @param related where notifications about this request go
     * @param headers the HTTP headers mirroring the body, or null for a transport without headers
     */
    public Pending stateless(JsonRpcRequest request, MessageSink related, StatelessHeaders headers) {
        return stateless(request, related, headers, Door.MCP);
    }

    /**
     * Handles a request of the stateless revision that came through a given door.
     *
     * @param related where notifications about this request go
     * @param headers the HTTP headers mirroring the body, or null for a transport without headers
     * @param door the door, for the {@link RequestObserver}
     */
    public Pending stateless(JsonRpcRequest request, MessageSink related, StatelessHeaders headers, Door door) {
        long started = System.nanoTime();
        observer.started();
        HostSpan span = traced(door, request);
        AtomicReference<CallContext> call = new AtomicReference<>();
        Runnable cancel = () -> {
            CallContext c = call.get();
            if (c != null) {
                c.cancelByClient("cancelled by the client");
            }
        };
        try {
            RequestScope scope = statelessScope(request, related, call::set, headers);
            if (StatelessRequests.REMOVED.contains(request.method()) || "subscriptions/listen".equals(request.method())) {
                String why = "subscriptions/listen".equals(request.method()) ? "it needs a streaming transport"
                        : "removed in " + ProtocolVersion.V2026_07_28.id();
                return new Pending(CompletableFuture.completedFuture(observed(door, ProtocolVersion.V2026_07_28,
                        request, started, span, JsonRpcError.of(request.id(), ErrorCodes.METHOD_NOT_FOUND,
                                "Method not found: " + request.method() + " (" + why + ")", null))), cancel);
            }
            return new Pending(respond(scope, request, dispatch(scope, request), call, door, started, span), cancel);
        } catch (McpException e) {
            return new Pending(CompletableFuture.completedFuture(observed(door, ProtocolVersion.V2026_07_28, request,
                    started, span, e.toResponse(request.id()))), cancel);
        } catch (RuntimeException e) {
            return new Pending(CompletableFuture.completedFuture(observed(door, ProtocolVersion.V2026_07_28, request,
                    started, span, unexpected(request, e))), cancel);
        }
    }

    /**
     * Handles {@code subscriptions/listen}: checks it, sends the acknowledgement on the sink, and
     * sends the notifications asked for until the handle is closed.
     */
    public Listening listen(JsonRpcRequest request, MessageSink sink, StatelessHeaders headers) {
        try {
            statelessScope(request, sink, c -> { }, headers);
            JsonNode wanted = request.params().path("notifications");
            Set<Kind> kinds = EnumSet.noneOf(Kind.class);
            ObjectNode honoured = mapper.createObjectNode();
            if (wanted.path("toolsListChanged").asBoolean(false)) {
                kinds.add(Kind.TOOLS);
                honoured.put("toolsListChanged", true);
            }
            if (wanted.path("promptsListChanged").asBoolean(false)) {
                kinds.add(Kind.PROMPTS);
                honoured.put("promptsListChanged", true);
            }
            if (wanted.path("resourcesListChanged").asBoolean(false)) {
                kinds.add(Kind.RESOURCES);
                honoured.put("resourcesListChanged", true);
            }
            Set<String> uris = new java.util.LinkedHashSet<>();
            if (wanted.path("resourceSubscriptions").isArray()) {
                wanted.get("resourceSubscriptions").forEach(u -> uris.add(u.asText()));
                var list = honoured.putArray("resourceSubscriptions");
                uris.forEach(list::add);
            }
            ObjectNode ack = Notifier.tagged(request.id());
            ack.set("notifications", honoured);
            // Listening starts before the acknowledgement goes out, so that a change the client makes
            // on seeing it is heard; the lock keeps the acknowledgement the first message.
            ReentrantLock first = new ReentrantLock();
            MessageSink afterAck = message -> {
                first.lock();
                try {
                    return sink.send(message);
                } finally {
                    first.unlock();
                }
            };
            first.lock();
            try {
                AutoCloseable listening = notifier.listen(new Notifier.Listener(request.id(), kinds, Set.copyOf(uris),
                        afterAck));
                sink.send(new JsonRpcNotification("notifications/subscriptions/acknowledged", ack));
                return new Listening(null, listening);
            } finally {
                first.unlock();
            }
        } catch (McpException e) {
            return new Listening(e.toResponse(request.id()), () -> { });
        } catch (RuntimeException e) {
            return new Listening(unexpected(request, e), () -> { });
        }
    }

    /**
     * The headers of a stateless HTTP request that mirror its body.
     *
     * @param version {@code MCP-Protocol-Version}, or null
     * @param method {@code Mcp-Method}, or null
     * @param name {@code Mcp-Name}, or null
     * @param params the {@code Mcp-Param-*} headers, by the lower-case name after the prefix
     */
    public record StatelessHeaders(String version, String method, String name, Map<String, String> params) {

        /** Copies the parameter headers. */
        public StatelessHeaders {
            params = Map.copyOf(params);
        }

        /** Headers without {@code Mcp-Param-*} ones. */
        public StatelessHeaders(String version, String method, String name) {
            this(version, method, name, Map.of());
        }
    }

    private RequestScope statelessScope(JsonRpcRequest request, MessageSink related,
            Consumer<CallContext> track, StatelessHeaders headers) {
        StatelessRequests.check(request, headers == null ? null
                : new StatelessRequests.Headers(headers.version(), headers.method(), headers.name()));
        JsonNode meta = request.params().get("_meta");
        Implementation client = codec.readParams(meta.get(StatelessRequests.META_CLIENT), Implementation.class,
                "params._meta[\"" + StatelessRequests.META_CLIENT + "\"]");
        LogLevel level = null;
        if (meta.has(StatelessRequests.META_LOG_LEVEL)) {
            level = LogLevels.parse(meta.get(StatelessRequests.META_LOG_LEVEL).asText())
                    .orElseThrow(() -> McpException.invalidParams("Invalid params: unknown log level"));
        }
        return new RequestScope(ProtocolVersion.V2026_07_28,
                new ClientCapabilities(meta.get(StatelessRequests.META_CAPABILITIES)), client, null, level, related, track,
                headers == null ? null : headers.params());
    }

    // ---- dispatch and responses ----

    private CompletableFuture<Object> dispatch(RequestScope scope, JsonRpcRequest request) {
        try {
            JsonNode params = request.params();
            return switch (request.method()) {
                case "ping" -> done(EMPTY);
                case "initialize" -> throw new McpException(ErrorCodes.INVALID_REQUEST,
                        "Invalid request: the session is already initialized");
                case "server/discover" -> done(discover());
                case "tools/list" -> done(tools.list(scope, params));
                case "tools/call" -> tools.call(scope, request);
                case "resources/list" -> done(resources.list(params));
                case "resources/templates/list" -> done(resources.templates(params));
                case "resources/read" -> resources.read(scope, request);
                case "resources/subscribe" -> done(resources.subscribe(scope, request, true));
                case "resources/unsubscribe" -> done(resources.subscribe(scope, request, false));
                case "prompts/list" -> done(prompts.list(params));
                case "prompts/get" -> prompts.get(scope, request);
                case "completion/complete" -> completion.complete(scope, params(request, CompleteParams.class));
                case "logging/setLevel" -> done(setLevel(scope, params(request, SetLevelParams.class)));
                case String m when TasksEndpoint.handles(scope, m) -> taskMethods.handle(scope, request);
                default -> throw new McpException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method());
            };
        } catch (RuntimeException e) {
            // An McpException is the client's answer; anything else is answered by error() below.
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<JsonRpcResponse> respond(RequestScope scope, JsonRpcRequest request,
            CompletableFuture<Object> outcome, AtomicReference<CallContext> call, Door door, long started,
            HostSpan span) {
        CompletableFuture<JsonRpcResponse> response = new CompletableFuture<>();
        outcome.whenComplete((result, failure) -> {
            JsonRpcResponse answer;
            try {
                CallContext c = call.get();
                if (c != null && c.cancelledByClient()) {
                    answer = null;
                } else if (failure == null) {
                    answer = new JsonRpcResult(request.id(),
                            scope.stateless() ? decorate(request.method(), result) : result);
                } else {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    answer = error(scope, request, cause);
                }
            } catch (RuntimeException e) {
                answer = unexpected(request, e);
            }
            // Observed before the answer goes out, so that a client that has its answer sees it counted.
            observed(door, scope.version(), request, started, span, answer);
            if (answer == null) {
                response.cancel(false);
            } else {
                response.complete(answer);
            }
        });
        return response;
    }

    /**
     * Sets who is told about every request from now on (the host's metrics); {@link RequestObserver#NONE}
     * by default.
     */
    public void observe(RequestObserver observer) {
        this.observer = java.util.Objects.requireNonNull(observer);
    }

    /**
     * Starts exporting spans: one per request at each door and one per tool call, children of the
     * trace context the request carries (docs/observability.md). Set before requests arrive.
     */
    public void trace(RequestTracer tracer) {
        this.tracer = tracer;
        toolExecutor.trace(tracer);
    }

    /**
     * Starts the request's span when spans are exported, and makes it the parent its calls see
     * (the request's {@code _meta.traceparent}); null otherwise.
     */
    private HostSpan traced(Door door, JsonRpcRequest request) {
        RequestTracer t = tracer;
        if (t == null) {
            return null;
        }
        try {
            HostSpan span = t.request(door.name().toLowerCase(java.util.Locale.ROOT), request.method(),
                    toolOf(request), TraceContext.fromParams(request.params()).orElse(null));
            span.context().replaceIn(request.params());
            return span;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "Could not start the request's span", e);
            return null;
        }
    }

    private static String toolOf(JsonRpcRequest request) {
        return "tools/call".equals(request.method()) && request.params() != null
                ? request.params().path("name").textValue() : null;
    }

    /**
     * Tells the observer how a request ended (a null answer: cancelled), ends its span if it has
     * one, and returns the answer.
     */
    private JsonRpcResponse observed(Door door, ProtocolVersion version, JsonRpcRequest request, long started,
            HostSpan span, JsonRpcResponse answer) {
        RequestObserver o = observer;
        RequestObserver.Outcome outcome = outcomeOf(answer);
        try {
            o.finished(door, version, request.method(), toolOf(request), outcome, System.nanoTime() - started);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "The request observer failed", e);
        }
        if (span != null) {
            span.end(outcome.name().toLowerCase(java.util.Locale.ROOT), outcome == RequestObserver.Outcome.TOOL_ERROR
                    || outcome == RequestObserver.Outcome.SERVER_ERROR || outcome == RequestObserver.Outcome.BUSY);
        }
        return answer;
    }

    private static RequestObserver.Outcome outcomeOf(JsonRpcResponse answer) {
        return switch (answer) {
            case null -> RequestObserver.Outcome.CANCELLED;
            case JsonRpcResult r -> StatelessResult.unwrap(r.result()) instanceof CallToolResult c
                    ? (Boolean.TRUE.equals(c.isError()) ? RequestObserver.Outcome.TOOL_ERROR : RequestObserver.Outcome.OK)
                    : r.result() instanceof ObjectNode o && o.path("isError").asBoolean(false)
                            ? RequestObserver.Outcome.TOOL_ERROR : RequestObserver.Outcome.OK;
            case JsonRpcError e -> switch (e.error().code()) {
                case ErrorCodes.SERVER_BUSY -> RequestObserver.Outcome.BUSY;
                case ErrorCodes.INTERNAL_ERROR -> RequestObserver.Outcome.SERVER_ERROR;
                default -> RequestObserver.Outcome.CLIENT_ERROR;
            };
        };
    }

    private JsonRpcError error(RequestScope scope, JsonRpcRequest request, Throwable cause) {
        return switch (cause) {
            case McpException e -> e.toResponse(request.id());
            case MissingCapabilityException m -> {
                ObjectNode data = mapper.createObjectNode();
                data.putObject("requiredCapabilities").putObject(m.capability().name().toLowerCase(Locale.ROOT));
                yield JsonRpcError.of(request.id(), scope.stateless() ? ErrorCodes.MISSING_CAPABILITY
                        : ErrorCodes.INVALID_REQUEST, "Missing required client capability: " + m.getMessage(), data);
            }
            case PluginCallException p -> JsonRpcError.of(request.id(), switch (p.reason()) {
                // The server turned the call away for now: the client may try again.
                case BUSY, DEGRADED, REFUSED -> ErrorCodes.SERVER_BUSY;
                case FAILED, TIMED_OUT, CANCELLED, GONE -> ErrorCodes.INTERNAL_ERROR;
            }, p.getMessage(), null);
            default -> unexpected(request, cause);
        };
    }

    /**
     * Answers a request whose handling failed in the host's own code: the client learns only that the
     * server failed; the log gets one line, and the stack trace at FINE.
     */
    private static JsonRpcError unexpected(JsonRpcRequest request, Throwable cause) {
        String method = printable(request.method());
        LOG.warning(() -> "Handling " + method + " failed: " + cause.getClass().getSimpleName()
                + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage())));
        LOG.log(Level.FINE, "Stack trace of the failure of " + method, cause);
        return JsonRpcError.of(request.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null);
    }

    /** A client's method name fit for one log line: no control characters, at most 100 characters. */
    private static String printable(String method) {
        String shown = method.length() > 100 ? method.substring(0, 100) + "..." : method;
        return shown.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String firstLine(String text) {
        int cut = text.indexOf('\n');
        return cut > 0 ? text.substring(0, cut) : text;
    }

    /** A stateless result: {@code resultType}, the server's identity, and caching hints where they apply. */
    private Object decorate(String method, Object result) {
        boolean hinted = CACHEABLE.contains(method);
        boolean read = "resources/read".equals(method);
        long ttlMs = hinted ? (read ? 0 : settings.listTtl().toMillis()) : -1;
        String cacheScope = hinted ? (read ? "private" : "public") : null;
        if (StatelessResult.fits(result)) {
            return new StatelessResult(result, serverInfo, ttlMs, cacheScope);
        }
        return StatelessResult.decorate(result instanceof ObjectNode o ? o : mapper.valueToTree(result), serverInfo,
                ttlMs, cacheScope);
    }

    private ObjectNode discover() {
        ObjectNode result = mapper.createObjectNode();
        var versions = result.putArray("supportedVersions");
        ProtocolVersion.supported().forEach(versions::add);
        result.set("capabilities", mapper.valueToTree(ServerCapabilities.ALL.withExtensions(
                Map.of(TaskCalls.EXTENSION, Map.of()))));
        if (settings.instructions() != null) {
            result.put("instructions", settings.instructions());
        }
        return result;
    }

    private Object setLevel(RequestScope scope, SetLevelParams params) {
        LogLevel level = LogLevels.parse(params == null ? null : params.level())
                .orElseThrow(() -> McpException.invalidParams("Invalid params: \"level\" must be one of debug, info, "
                        + "notice, warning, error, critical, alert, emergency"));
        scope.session().logLevel(level);
        return EMPTY;
    }

    private CancelledParams cancelled(JsonRpcNotification notification) {
        try {
            CancelledParams p = mapper.treeToValue((JsonNode) notification.params(), CancelledParams.class);
            return p != null && p.requestId() != null ? p : null;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.fine(() -> "Ignoring a malformed cancellation: " + e.getMessage());
            return null;
        }
    }

    private <T> T params(JsonRpcRequest request, Class<T> type) {
        return codec.readParams(request.params(), type, "params");
    }

    private static CompletableFuture<Object> done(Object result) {
        return CompletableFuture.completedFuture(result);
    }

    /** The tasks this engine runs. */
    public Tasks tasks() {
        return tasks;
    }

    @Override
    public void close() {
        if (ownsTasks) {
            tasks.close();
        }
        builtIns.close();
        try {
            catalogListener.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing the catalogue listener failed", e);
        }
    }
}
