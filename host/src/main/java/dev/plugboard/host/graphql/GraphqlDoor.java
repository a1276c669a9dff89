package dev.plugboard.host.graphql;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.admin.AdminAccess;
import dev.plugboard.host.admin.Modules;
import dev.plugboard.host.admin.PluginSettings;
import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.events.ChangeFeed;
import dev.plugboard.host.events.EventType;
import dev.plugboard.host.events.HostEvent;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Principal;
import dev.plugboard.host.security.Security;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The GraphQL door: {@code /graphql} over HTTP (GraphQL over HTTP, GraphiQL for browsers, the SDL at
 * {@code /graphql/schema.graphql}) and over WebSocket ({@code graphql-transport-ws}). Everything it
 * serves comes from {@link Operations}, {@link Modules}, {@link PluginSettings} and the
 * {@link ChangeFeed}, the services REST and the CLI use too, so GraphQL adds no rule of its own.
 * Thread-safe.
 */
public final class GraphqlDoor implements AutoCloseable {

    /** The endpoint's path. */
    public static final String PATH = "/graphql";
    private static final String SCHEMA_PATH = PATH + "/schema.graphql";
    private static final int EVENT_BUFFER = 1024;
    /** How long a WebSocket client has to send {@code connection_init}. */
    private static final long INIT_TIMEOUT_MILLIS = 3_000;

    /**
     * What the door serves.
     *
     * @param operations the catalogue operations every door shares
     * @param modules module administration
     * @param settings plugin configuration
     * @param changes the host's change feed (catalogue and module events)
     * @param admin the admin credential check
     * @param readiness the deploy state
     * @param mapper the host's JSON settings
     * @param pageSize how many items a page holds
     * @param maxBodyBytes the largest request body accepted
     * @param security the security layer (who a WebSocket's credential is), or null to take the
     *     principal the front door bound and the admin check alone
     */
    public record Sources(Operations operations, Modules modules, PluginSettings settings, ChangeFeed changes,
            AdminAccess admin, Supplier<Readiness> readiness, ObjectMapper mapper, int pageSize, long maxBodyBytes,
            Security security) {
    }

    private final GraphqlService service;
    private final ObjectMapper json;
    private final GraphqlHttp http;
    private final GraphiqlPage graphiql = new GraphiqlPage();
    private final GraphqlSockets sockets;
    private final ScheduledExecutorService timers;
    private final EventStream<Map<String, Object>> catalogChanges = new EventStream<>(EVENT_BUFFER);
    private final EventStream<Map<String, Object>> moduleEvents = new EventStream<>(EVENT_BUFFER);
    private final ChangeFeed.Subscription feed;

    private GraphqlDoor(Sources sources) {
        // GraphQL responses keep null members ("tool": null), which the host's MCP settings leave out.
        this.json = sources.mapper().copy().setDefaultPropertyInclusion(
                JsonInclude.Value.construct(JsonInclude.Include.ALWAYS, JsonInclude.Include.ALWAYS));
        GraphqlLimits limits = GraphqlLimits.of(sources.pageSize());
        CatalogFetchers catalogue = new CatalogFetchers(sources.operations(), json, new ProgressChannels());
        AdminFetchers administration = new AdminFetchers(sources.modules(), sources.settings(), sources.readiness());
        this.service = GraphqlService.create(wiring -> {
            catalogue.wire(wiring);
            administration.wire(wiring);
            new TaskFetchers(sources.operations(), json).wire(wiring);
            new KeyFetchers(sources.security() == null ? null : sources.security().keyManagement()).wire(wiring);
            wiring.type("Subscription", type -> type
                    .dataFetcher("catalogChanged", env -> catalogChanges)
                    .dataFetcher("moduleEvents", env -> moduleEvents));
        }, limits);
        Function<String, Caller> callers = sources.security() == null
                ? authorization -> new Caller(sources.admin().check(authorization) instanceof AdminAccess.Admitted,
                        authorization != null, Principal.current(), null)
                : authorization -> switch (sources.security().authenticate(authorization)) {
                    case Security.Pass pass -> admitted(sources.security(), pass.principal(), authorization != null);
                    case Security.Refusal refusal -> new Caller(false, authorization != null, null, refusal.detail());
                };
        // Over HTTP the front door's security layer has authenticated the request and bound its principal
        // to this thread: it is not checked a second time (a WebSocket's credential is, at connection_init).
        Function<String, Caller> httpCallers = sources.security() == null ? callers
                : authorization -> admitted(sources.security(), Principal.current(), authorization != null);
        this.http = new GraphqlHttp(service, json, sources.maxBodyBytes(), httpCallers);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("graphql-ws-timer")
                .factory());
        this.sockets = new GraphqlSockets(service, json, callers, limits, INIT_TIMEOUT_MILLIS, timers);
        this.feed = sources.changes().subscribe(-1, this::route);
    }

    private static Caller admitted(Security security, Principal principal, boolean credentialSent) {
        return new Caller(principal.rights().may(Operation.ADMIN), credentialSent, principal, null,
                (what, outcome) -> security.audit().record(principal.name(), principal.credential(), what, outcome,
                        null));
    }

    private void route(HostEvent event) {
        Map<String, Object> out = new HashMap<>();
        out.put("id", event.id());
        out.put("time", event.time().toString());
        if (event.type() == EventType.CATALOG_CHANGED) {
            out.put("kinds", event.kinds());
            catalogChanges.publish(out);
        } else {
            out.put("type", event.type().wireName());
            out.put("module", event.module());
            out.put("version", event.version());
            out.put("file", event.file());
            out.put("detail", event.detail());
            moduleEvents.publish(out);
        }
    }

    /** The engine, which plugins' extensions join. */
    GraphqlService service() {
        return service;
    }

    /** The JSON settings of GraphQL values (null members kept). */
    ObjectMapper json() {
        return json;
    }

    /** Builds the door. */
    public static GraphqlDoor create(Sources sources) {
        return new GraphqlDoor(sources);
    }

    /** Whether a request path (as sent) belongs to this door. */
    public static boolean serves(String path) {
        return path.equals(PATH) || path.startsWith(PATH + "/");
    }

    /** The add-on that takes this listener's WebSocket upgrades of {@code /graphql}. */
    public AddOn webSockets(UpgradeGuard guard) {
        return sockets.addOn(guard);
    }

    /** Answers an HTTP request to a path this door {@link #serves}. */
    public void service(Request request, Response response) throws IOException {
        String path = request.getRequestURI();
        String method = request.getMethod().getMethodString();
        if (path.equals(PATH)) {
            if ("GET".equals(method) && request.getParameter("query") == null && wantsHtml(request.getHeader("Accept"))) {
                graphiql.page(response);
            } else {
                http.service(request, response);
            }
        } else if (path.equals(SCHEMA_PATH)) {
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                response.setHeader("Allow", "GET, HEAD");
                plain(response, 405, "use GET\n");
            } else {
                plain(response, 200, service.sdl());
            }
        } else if (!(path.startsWith(GraphiqlPage.ASSETS) && "GET".equals(method)
                && graphiql.asset(path.substring(GraphiqlPage.ASSETS.length()), response))) {
            plain(response, 404, "nothing is served at this path; GraphQL is at " + PATH + "\n");
        }
    }

    private static boolean wantsHtml(String accept) {
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    private static void plain(Response response, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    @Override
    public void close() {
        feed.close();
        catalogChanges.complete();
        moduleEvents.complete();
        timers.shutdownNow();
    }
}
