package dev.plugboard.host.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.context.LogLevel;
import dev.plugboard.host.protocol.CallContext;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.protocol.MessageSink;
import dev.plugboard.host.protocol.ProtocolVersion;
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
import dev.plugboard.host.protocol.tools.CallToolParams;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.protocol.tools.ListToolsParams;
import dev.plugboard.host.protocol.tools.ListToolsResult;
import dev.plugboard.host.protocol.tools.ToolDescriptor;
import dev.plugboard.host.registry.RegisteredTool;
import dev.plugboard.host.registry.ToolRegistry;
import dev.plugboard.host.session.Session;
import dev.plugboard.host.session.Sessions;
import dev.plugboard.host.tool.ToolExecutor;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The MCP protocol engine: answers requests and notifications for any transport.
 *
 * <p>Transports decode messages with {@link JsonRpcCodec}, find or open the session, and call in
 * here; the engine never throws to them: every request completes with a response, and a cancelled
 * one completes by cancellation. The engine also tells every session when the catalogue changes.
 */
public final class McpEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(McpEngine.class.getName());
    private static final Object EMPTY = Map.of();

    private final EngineSettings settings;
    private final ToolRegistry registry;
    private final ToolExecutor executor;
    private final Sessions sessions;
    private final ObjectMapper mapper;
    private final AutoCloseable registryListener;
    private final AtomicBoolean toolsChangePending = new AtomicBoolean();

    /**
     * @param settings names, instructions and page size
     * @param registry the tool catalogue
     * @param executor runs tool calls
     * @param sessions the sessions of this node
     * @param codec the JSON settings
     */
    public McpEngine(EngineSettings settings, ToolRegistry registry, ToolExecutor executor, Sessions sessions,
            JsonRpcCodec codec) {
        this.settings = settings;
        this.registry = registry;
        this.executor = executor;
        this.sessions = sessions;
        this.mapper = codec.mapper();
        this.registryListener = registry.addListener(this::toolsChanged);
    }

    /**
     * The outcome of {@code initialize}.
     *
     * @param session the new session, or null when initialisation failed
     * @param response the response to send
     */
    public record Initialized(Session session, JsonRpcResponse response) {
    }

    /** Handles {@code initialize}: negotiates the revision and opens a session. */
    public Initialized initialize(JsonRpcRequest request) {
        try {
            InitializeParams params = params(request, InitializeParams.class);
            if (params.protocolVersion() == null) {
                throw McpException.invalidParams("Invalid params: \"protocolVersion\" is required");
            }
            ProtocolVersion version = ProtocolVersion.parse(params.protocolVersion()).orElse(ProtocolVersion.LATEST);
            Session session = sessions.open(version, params.clientInfo(), new ClientCapabilities(params.capabilities()))
                    .orElseThrow(() -> new McpException(ErrorCodes.INTERNAL_ERROR,
                            "The server has reached its session limit; try again later"));
            InitializeResult result = new InitializeResult(version.id(), capabilities(),
                    new Implementation(settings.serverName(), "Plugboard", settings.serverVersion()),
                    settings.instructions());
            return new Initialized(session, new JsonRpcResult(request.id(), result));
        } catch (McpException e) {
            return new Initialized(null, e.toResponse(request.id()));
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
     * Whether answering the request may involve messages before the response (progress, logging),
     * so that a transport should stream it.
     */
    public boolean mayStream(JsonRpcRequest request) {
        if (!"tools/call".equals(request.method()) || request.params() == null) {
            return false;
        }
        JsonNode params = request.params();
        return params.path("_meta").has("progressToken")
                || registry.find(params.path("name").asText()).map(t -> t.handler().usesContext()).orElse(false);
    }

    /**
     * Handles a request in a session.
     *
     * @param related where notifications about this request go
     * @return completes with the response, or is cancelled when the client cancelled the request
     */
    public CompletableFuture<JsonRpcResponse> request(Session session, JsonRpcRequest request, MessageSink related) {
        session.touch();
        try {
            return switch (request.method()) {
                case "ping" -> done(request, EMPTY);
                case "initialize" -> throw new McpException(ErrorCodes.INVALID_REQUEST,
                        "Invalid request: the session is already initialized");
                case "tools/list" -> done(request, listTools(session, params(request, ListToolsParams.class)));
                case "tools/call" -> callTool(session, request, related);
                case "logging/setLevel" -> done(request, setLevel(session, params(request, SetLevelParams.class)));
                default -> throw new McpException(ErrorCodes.METHOD_NOT_FOUND, "Method not found: " + request.method());
            };
        } catch (McpException e) {
            return CompletableFuture.completedFuture(e.toResponse(request.id()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Failed to handle " + request.method(), e);
            return CompletableFuture.completedFuture(JsonRpcError.of(request.id(), ErrorCodes.INTERNAL_ERROR,
                    "Internal error", null));
        }
    }

    /** Handles a notification from the client. Unknown notifications are ignored, as JSON-RPC requires. */
    public void notification(Session session, JsonRpcNotification notification) {
        session.touch();
        switch (notification.method()) {
            case "notifications/initialized" -> session.markInitialized();
            case "notifications/cancelled" -> {
                try {
                    CancelledParams p = mapper.treeToValue((JsonNode) notification.params(), CancelledParams.class);
                    if (p != null && p.requestId() != null) {
                        session.cancel(p.requestId(), p.reason() == null ? "cancelled by the client"
                                : "cancelled by the client: " + p.reason());
                    }
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    LOG.fine(() -> "Ignoring a malformed cancellation: " + e.getMessage());
                }
            }
            default -> LOG.fine(() -> "Ignoring notification " + notification.method());
        }
    }

    /** Handles a response from the client to a server request; none are sent yet, so it is logged. */
    public void response(Session session, JsonRpcResponse response) {
        session.touch();
        LOG.fine(() -> "Ignoring an unexpected response with id " + response.id());
    }

    private ServerCapabilities capabilities() {
        return new ServerCapabilities(new ServerCapabilities.ListChanged(true), Map.of());
    }

    private ListToolsResult listTools(Session session, ListToolsParams params) {
        Pages.Page<RegisteredTool> page = Pages.page(registry.tools(), RegisteredTool::name,
                params == null ? null : params.cursor(), settings.pageSize());
        boolean structured = session.version().hasStructuredOutput();
        return new ListToolsResult(page.items().stream()
                .map(RegisteredTool::descriptor)
                .map(d -> structured ? d : d.withoutOutputSchema())
                .toList(), page.nextCursor());
    }

    private CompletableFuture<JsonRpcResponse> callTool(Session session, JsonRpcRequest request, MessageSink related) {
        CallToolParams params = params(request, CallToolParams.class);
        if (params == null || params.name() == null) {
            throw McpException.invalidParams("Invalid params: \"name\" is required");
        }
        RegisteredTool tool = registry.find(params.name())
                .orElseThrow(() -> McpException.invalidParams("Unknown tool: " + params.name()));
        JsonNode progressToken = params.meta() == null ? null : params.meta().get("progressToken");
        if (progressToken != null && !(progressToken.isTextual() || progressToken.isIntegralNumber())) {
            throw McpException.invalidParams("Invalid params: \"_meta.progressToken\" must be a string or an integer");
        }
        Implementation client = session.client();
        CallerIdentity caller = new CallerIdentity(CallerIdentity.ANONYMOUS, Set.of(),
                client == null ? null : client.name(), client == null ? null : client.version(), session.id());
        CallContext context = new CallContext(caller, progressToken, related, session::logLevel, tool.name());
        session.started(request.id(), context);
        boolean structured = session.version().hasStructuredOutput();
        CompletableFuture<JsonRpcResponse> response = new CompletableFuture<>();
        executor.call(tool, params.arguments(), context).whenComplete((result, failure) -> {
            session.finished(request.id(), context);
            if (context.cancelledByClient()) {
                response.completeExceptionally(new CancellationException(context.cancelReason()));
            } else if (failure == null) {
                response.complete(new JsonRpcResult(request.id(), structured ? result
                        : new CallToolResult(result.content(), null, result.isError())));
            } else if (unwrap(failure) instanceof McpException e) {
                response.complete(e.toResponse(request.id()));
            } else {
                LOG.log(Level.WARNING, "Tool call failed unexpectedly", failure);
                response.complete(JsonRpcError.of(request.id(), ErrorCodes.INTERNAL_ERROR, "Internal error", null));
            }
        });
        return response;
    }

    private Object setLevel(Session session, SetLevelParams params) {
        LogLevel level = LogLevels.parse(params == null ? null : params.level())
                .orElseThrow(() -> McpException.invalidParams("Invalid params: \"level\" must be one of debug, info, "
                        + "notice, warning, error, critical, alert, emergency"));
        session.logLevel(level);
        return EMPTY;
    }

    private <T> T params(JsonRpcRequest request, Class<T> type) {
        JsonNode params = request.params();
        if (params == null) {
            return null;
        }
        try {
            return mapper.treeToValue(params, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            int cut = message == null ? -1 : message.indexOf('\n');
            throw McpException.invalidParams("Invalid params for " + request.method() + ": "
                    + (cut > 0 ? message.substring(0, cut) : message));
        }
    }

    private static CompletableFuture<JsonRpcResponse> done(JsonRpcRequest request, Object result) {
        return CompletableFuture.completedFuture(new JsonRpcResult(request.id(), result));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private void toolsChanged() {
        if (toolsChangePending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("tools-list-changed").start(() -> {
                toolsChangePending.set(false);
                JsonRpcNotification changed = new JsonRpcNotification("notifications/tools/list_changed", null);
                for (Session s : sessions.all()) {
                    s.sendUnprompted(changed);
                }
            });
        }
    }

    @Override
    public void close() {
        try {
            registryListener.close();
        } catch (Exception e) {
            LOG.log(Level.FINE, "Removing the catalogue listener failed", e);
        }
    }
}
