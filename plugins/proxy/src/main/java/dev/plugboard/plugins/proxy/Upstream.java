package dev.plugboard.plugins.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.api.tool.ToolException;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamListener;
import dev.plugboard.api.upstream.UpstreamTarget;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * One upstream server: its connection (started, and restarted with backoff when it ends), its tools
 * in the catalogue under its prefix (kept while it reconnects, so its callers get a clear error
 * instead of "unknown tool"), and the Resilience4j guards its calls pass: bulkhead, circuit breaker,
 * time limiter, and retry for read-only tools.
 */
final class Upstream implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Upstream.class.getName());
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A connection that lived this long resets the backoff; one that died sooner doubles it. */
    private static final Duration STABLE = Duration.ofSeconds(30);

    enum State { CONNECTING, CONNECTED, RECONNECTING, DISABLED, CLOSED }

    /** The upstream is not connected now; counted as a failure by the breaker. */
    static final class NotConnected extends Exception {
        private static final long serialVersionUID = 1L;

        NotConnected(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The host's signal (an {@link Error}) that the calling client answers with a retry, carried as
     * an exception through the guards, so that a breaker's permit is released (and the call counted
     * as no failure) before it is rethrown.
     */
    static final class ClientAnswers extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Error signal;

        ClientAnswers(Error signal) {
            super(null, null, false, false);
            this.signal = signal;
        }
    }

    private final UpstreamSettings settings;
    private final String separator;
    private final UpstreamClients clients;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timer;
    private final ToolGroup group;
    private final UpstreamEntries entries;
    private final UpstreamSubscriptions subscriptions;
    private final CircuitBreaker breaker;
    private final Map<String, CircuitBreaker> toolBreakers = new java.util.concurrent.ConcurrentHashMap<>();
    private final Bulkhead bulkhead;
    private final Retry retry;
    private final TimeLimiter timeLimiter;
    private final BreakerMeters breakerMeters;

    private volatile UpstreamConnection connection;
    private volatile State state;
    private volatile String lastError;
    private volatile Long latencyMillis;
    private volatile int toolCount;
    private volatile List<String> toolProblems = List.of();
    /** Numbers the tool refreshes in the order they ask, so that an older answer never replaces a newer one. */
    private final java.util.concurrent.atomic.AtomicLong toolRefreshes = new java.util.concurrent.atomic.AtomicLong();
    private long toolsOffered;
    private volatile Instant connectedAt;
    private int restarts;
    private Duration backoff = FIRST_BACKOFF;
    private ScheduledFuture<?> pending;
    private ScheduledFuture<?> pinging;
    private boolean closed;

    Upstream(UpstreamSettings settings, String separator, UpstreamClients clients, DynamicCatalog catalog,
            ObjectMapper mapper, ScheduledExecutorService timer, CatalogEvents events, BreakerMeters breakerMeters) {
        this.settings = settings;
        this.breakerMeters = breakerMeters;
        this.separator = separator;
        this.clients = clients;
        this.mapper = mapper;
        this.timer = timer;
        this.group = catalog.openToolGroup(settings.name());
        if (settings.requiredRole() != null) {
            group.requireRole(settings.requiredRole()); // before any entry is set: none is visible without it
        }
        this.subscriptions = new UpstreamSubscriptions(settings.name(), mapper, events);
        group.onSubscriptions(subscriptions::changed);
        this.entries = new UpstreamEntries(settings, separator, group, mapper,
                (method, params, context, doing) -> guarded(method, params, context, true, null, doing));
        Predicate<Throwable> outage = Upstream::isOutage;
        this.breaker = breaker(settings.name(), settings.breaker());
        this.bulkhead = Bulkhead.of(settings.name(), BulkheadConfig.custom()
                .maxConcurrentCalls(settings.maxConcurrentCalls()).maxWaitDuration(Duration.ZERO).build());
        this.retry = Retry.of(settings.name(), RetryConfig.custom()
                .maxAttempts(settings.retry().maxAttempts())
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(settings.retry().firstWait(), 2.0, 0.5))
                .retryOnException(outage)
                .build());
        this.timeLimiter = TimeLimiter.of(TimeLimiterConfig.custom().timeoutDuration(settings.callTimeout())
                .cancelRunningFuture(true).build());
        this.state = settings.enabled() ? State.CONNECTING : State.DISABLED;
    }

    private CircuitBreaker breaker(String name, UpstreamSettings.Breaker b) {
        return breakerMeters.create(name, CircuitBreakerConfig.custom()
                .failureRateThreshold(b.failureRateThreshold())
                .slowCallRateThreshold(b.slowCallRateThreshold())
                .slowCallDurationThreshold(b.slowCall())
                .slidingWindowSize(b.windowSize())
                .minimumNumberOfCalls(b.minimumCalls())
                .waitDurationInOpenState(b.openFor())
                .permittedNumberOfCallsInHalfOpenState(b.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(Upstream::isOutage)
                .build());
    }

    /** A tool's own breaker (created on its first call), or null when only the upstream's applies. */
    private CircuitBreaker toolBreaker(String tool) {
        UpstreamSettings.Breaker own = settings.toolBreaker(tool);
        return own == null ? null : toolBreakers.computeIfAbsent(tool, t -> breaker(settings.name() + "/" + t, own));
    }

    private static boolean isOutage(Throwable t) {
        return t instanceof NotConnected || t instanceof TimeoutException
                || (t instanceof UpstreamException u && u.connectionFailed());
    }

    UpstreamSettings settings() {
        return settings;
    }

    /** Starts connecting, unless the entry is disabled. */
    synchronized void start() {
        if (settings.enabled()) {
            schedule(Duration.ZERO);
            long every = settings.pingInterval().toMillis();
            pinging = timer.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(this::ping),
                    every, every, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void schedule(Duration delay) {
        if (closed) {
            return;
        }
        pending = timer.schedule(() -> Thread.ofVirtual().name("proxy-connect-" + settings.name()).start(this::connect),
                delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void connect() {
        UpstreamConnection opened;
        Listener listener = new Listener();
        try {
            opened = clients.connect(settings.target(), settings.protocolVersion(), settings.connectTimeout(), listener);
        } catch (UpstreamException e) {
            failed("cannot connect: " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            LOG.log(java.util.logging.Level.WARNING, "Upstream " + settings.name() + ": connecting failed", e);
            failed("cannot connect: the connection could not be set up");
            return;
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (closed) {
                opened.close();
                return;
            }
            connection = opened;
            listener.connection = opened;
            connectedAt = Instant.now();
            state = State.CONNECTED;
            lastError = null;
        }
        if (!opened.isOpen()) {
            listener.lost("it ended right after the handshake");
            return;
        }
        LOG.info(() -> "Upstream " + settings.name() + " connected (" + transport() + ", protocol "
                + opened.protocolVersion() + ")");
        refreshTools(opened);
        entries.refreshAll(opened, this::current);
        subscriptions.connected(opened);
    }

    private synchronized boolean current(UpstreamConnection c) {
        return !closed && connection == c;
    }

    private void failed(String why) {
        Duration wait;
        synchronized (this) {
            if (closed) {
                return;
            }
            lastError = why;
            state = State.RECONNECTING;
            Instant since = connectedAt;
            if (since != null && Duration.between(since, Instant.now()).compareTo(STABLE) >= 0) {
                backoff = FIRST_BACKOFF;
            }
            connectedAt = null;
            long jitter = ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1);
            wait = backoff.plusMillis(jitter);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            restarts++;
            schedule(wait);
        }
        LOG.warning(() -> "Upstream " + settings.name() + ": " + why + "; trying again in " + wait.toMillis() + " ms");
    }

    /**
     * Hears one connection. Its end counts only once the handshake succeeded (a connection that
     * ends during the handshake fails {@link #connect()}, which schedules the retry), and only once.
     */
    private final class Listener implements UpstreamListener {

        private volatile UpstreamConnection connection;
        private final java.util.concurrent.atomic.AtomicBoolean lost = new java.util.concurrent.atomic.AtomicBoolean();

        @Override
        public void notified(String method, String params) {
            UpstreamConnection c = connection;
            if ("notifications/resources/updated".equals(method)) {
                subscriptions.updated(params);
            } else if ("notifications/tools/list_changed".equals(method) && c != null) {
                Thread.ofVirtual().name("proxy-refresh-" + settings.name()).start(() -> refreshTools(c));
            } else if (c != null) {
                entries.notified(method, c, Upstream.this::current);
            }
        }

        @Override
        public void closed(String reason) {
            lost(reason);
        }

        void lost(String reason) {
            UpstreamConnection c = connection;
            if (c == null || !lost.compareAndSet(false, true)) {
                return;
            }
            synchronized (Upstream.this) {
                if (Upstream.this.connection == c) {
                    Upstream.this.connection = null;
                }
            }
            subscriptions.disconnected();
            failed("disconnected: " + reason);
        }
    }

    private void refreshTools(UpstreamConnection c) {
        long mine = toolRefreshes.incrementAndGet();
        List<JsonNode> listed = new ArrayList<>();
        try {
            String cursor = null;
            do {
                ObjectNode params = mapper.createObjectNode();
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                CompletableFuture<String> answer = c.request("tools/list", params.toString(), null);
                JsonNode page;
                try {
                    page = mapper.readTree(answer.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS));
                } finally {
                    answer.cancel(true);
                }
                page.path("tools").forEach(listed::add);
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (cursor != null && listed.size() < 10_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String why = e instanceof TimeoutException ? "tools/list took longer than " + settings.callTimeout().toMillis()
                    + " ms" : "tools/list failed: " + (e.getCause() instanceof UpstreamException u ? u.getMessage()
                    : "its answer could not be read");
            lastError = why;
            LOG.warning(() -> "Upstream " + settings.name() + ": " + why);
            return;
        }
        List<DynamicTool> tools = new ArrayList<>();
        for (JsonNode t : listed) {
            String upstreamName = t.path("name").asText();
            if (!settings.offers(upstreamName)) {
                continue;
            }
            tools.add(tool(t, upstreamName));
        }
        synchronized (this) {
            // Refreshes overlap (the one after connecting, one per list_changed) and their answers
            // may be handled in any order: a list asked for earlier is older than one offered already.
            if (closed || connection != c || mine < toolsOffered) {
                return;
            }
            toolsOffered = mine;
            toolProblems = group.setTools(tools);
            toolCount = tools.size() - toolProblems.size();
        }
        LOG.info(() -> "Upstream " + settings.name() + ": " + toolCount + " tool(s) offered");
    }

    private DynamicTool tool(JsonNode t, String upstreamName) {
        JsonNode input = t.path("inputSchema");
        JsonNode output = t.get("outputSchema");
        JsonNode a = t.path("annotations");
        DynamicTool.Hints hints = a.isObject() ? new DynamicTool.Hints(bool(a, "readOnlyHint"), bool(a, "destructiveHint"),
                bool(a, "idempotentHint"), bool(a, "openWorldHint")) : null;
        boolean readOnly = hints != null && Boolean.TRUE.equals(hints.readOnly());
        int attempts = readOnly ? settings.retry().maxAttempts() : 1;
        Duration limit = settings.callTimeout().multipliedBy(attempts).plusSeconds(5);
        return new DynamicTool(settings.federated(separator, upstreamName), text(t, "title"), text(t, "description"),
                input.isObject() ? input.toString() : "{\"type\":\"object\"}",
                output != null && output.isObject() ? output.toString() : null, hints, limit, 0,
                (arguments, context) -> call(upstreamName, readOnly, arguments, context));
    }

    private static Boolean bool(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isBoolean() ? v.asBoolean() : null;
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** One tool call through the guards; every failure becomes a sentence naming this upstream. */
    String call(String tool, boolean readOnly, String arguments, RequestContext context) throws Exception {
        String params = "{\"name\":" + mapper.writeValueAsString(tool) + ",\"arguments\":" + arguments + "}";
        try {
            return guarded("tools/call", params, context, readOnly, tool, "calling tool '" + tool + "'");
        } catch (UpstreamException e) {
            throw new ToolException("Upstream '" + settings.name() + "' answered with an error: " + e.getMessage()
                    + " (code " + e.code() + ")");
        }
    }

    /**
     * One request through the guards: bulkhead, circuit breaker (the tool's own too, when it has
     * one), time limiter, and retry when it is idempotent. Every failure of the upstream becomes a
     * plain sentence naming it (the detail goes to the log and to {@code lastError}); an error the
     * upstream answered is thrown as it is.
     *
     * @param tool the tool called, for its own breaker; null for other requests
     * @param doing what the request does, for the sentence: "calling tool 'echo'"
     * @throws UpstreamException the error the upstream answered
     * @throws ToolException any other failure, in a sentence for the client
     */
    String guarded(String method, String params, RequestContext context, boolean idempotent, String tool,
            String doing) throws Exception {
        Callable<String> attempt = () -> once(method, params, context);
        CircuitBreaker own = tool == null ? null : toolBreaker(tool);
        if (own != null) {
            attempt = CircuitBreaker.decorateCallable(own, attempt);
        }
        Callable<String> guarded = Bulkhead.decorateCallable(bulkhead, CircuitBreaker.decorateCallable(breaker, attempt));
        if (idempotent) {
            guarded = Retry.decorateCallable(retry, guarded);
        }
        try {
            return guarded.call();
        } catch (ClientAnswers e) {
            throw e.signal; // the host's signal that the client answers with a retry: passed on unchanged
        } catch (CallNotPermittedException e) {
            if (own != null && e.getCausingCircuitBreakerName().equals(own.getName())) {
                throw new ToolException("Upstream '" + settings.name() + "' tool '" + tool + "' is unavailable: its own"
                        + " circuit breaker is open after recent failures; calls to it are refused until it is probed"
                        + " again, at most " + settings.toolBreaker(tool).openFor().toSeconds() + " s after it opened");
            }
            throw new ToolException("Upstream '" + settings.name() + "' is unavailable: its circuit breaker is open after"
                    + " recent failures; calls are refused until it is probed again, at most "
                    + settings.breaker().openFor().toSeconds() + " s after it opened");
        } catch (BulkheadFullException e) {
            throw new ToolException("Upstream '" + settings.name() + "' is busy: all " + settings.maxConcurrentCalls()
                    + " of its call slots are taken");
        } catch (TimeoutException e) {
            throw new ToolException("Upstream '" + settings.name() + "' did not answer within "
                    + settings.callTimeout().toMillis() + " ms");
        } catch (NotConnected e) {
            throw new ToolException(e.getMessage());
        } catch (UpstreamException e) {
            if (!e.connectionFailed()) {
                throw e;
            }
            lastError = e.getMessage();
            LOG.fine(() -> "Upstream " + settings.name() + " failed while " + doing + ": " + e.getMessage());
            throw new ToolException("Upstream '" + settings.name() + "' failed: the connection to it failed while "
                    + doing);
        }
    }

    private String once(String method, String params, RequestContext context) throws Exception {
        UpstreamConnection c = connection;
        if (c == null || !c.isOpen()) {
            throw new NotConnected("Upstream '" + settings.name() + "' is not connected; the proxy reconnects on its own");
        }
        long started = System.nanoTime();
        // The limit goes with the request: an HTTP upstream's answer is then read on this thread (no hand-off).
        CompletableFuture<String> answer = c.request(method, params, context, settings.callTimeout());
        try {
            String result = timeLimiter.executeFutureSupplier(() -> answer);
            latencyMillis = (System.nanoTime() - started) / 1_000_000;
            return result;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Error signal && !(signal instanceof VirtualMachineError)) {
                throw new ClientAnswers(signal);
            }
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Error signal) { // the time limiter rethrows a failure that is an Error as it is
            throw new ClientAnswers(signal);
        } finally {
            if (!answer.isDone()) {
                answer.cancel(true);
            }
        }
    }

    private void ping() {
        UpstreamConnection c = connection;
        if (c == null || !c.isOpen()) {
            return;
        }
        long started = System.nanoTime();
        CompletableFuture<String> answer = c.request("ping", null, null);
        try {
            answer.get(settings.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            latencyMillis = (System.nanoTime() - started) / 1_000_000;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            lastError = "ping failed: " + (e instanceof TimeoutException ? "no answer within "
                    + settings.callTimeout().toMillis() + " ms" : e.getCause() instanceof UpstreamException u
                    ? u.getMessage() : "it was not answered");
        } finally {
            answer.cancel(true); // a ping given up leaves no exchange behind
        }
    }

    private String transport() {
        return switch (settings.target()) {
            case UpstreamTarget.Stdio s -> "stdio";
            case UpstreamTarget.Http h -> "streamable-http";
            case UpstreamTarget.Sse h -> "sse";
        };
    }

    /** The state for {@code /health/ready}. */
    Map<String, Object> health() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        out.put("transport", transport());
        out.put("prefix", settings.prefix());
        out.put("tools", toolCount);
        out.putAll(entries.health());
        out.put("breaker", breaker.getState().name());
        UpstreamConnection c = connection;
        if (c != null) {
            out.put("protocolVersion", c.protocolVersion());
        }
        Map<String, String> open = new java.util.TreeMap<>();
        toolBreakers.forEach((tool, b) -> {
            if (b.getState() != CircuitBreaker.State.CLOSED) {
                open.put(tool, b.getState().name());
            }
        });
        if (!open.isEmpty()) {
            out.put("toolBreakers", open);
        }
        out.put("lastError", lastError);
        out.put("latencyMillis", latencyMillis);
        synchronized (this) {
            out.put("restarts", restarts);
        }
        if (!toolProblems.isEmpty()) {
            out.put("toolProblems", toolProblems);
        }
        return out;
    }

    @Override
    public void close() {
        UpstreamConnection c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            state = State.CLOSED;
            if (pending != null) {
                pending.cancel(false);
            }
            if (pinging != null) {
                pinging.cancel(false);
            }
            c = connection;
            connection = null;
        }
        group.close();
        breakerMeters.remove(breaker);
        toolBreakers.values().forEach(breakerMeters::remove);
        if (c != null) {
            c.close();
        }
    }

}
