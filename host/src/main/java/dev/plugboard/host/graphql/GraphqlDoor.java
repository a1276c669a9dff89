package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.deploy.BundleReport;
import dev.plugboard.host.deploy.Readiness;
import dev.plugboard.host.door.Operations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The GraphQL door: {@code /graphql} over HTTP (GraphQL over HTTP, GraphiQL for browsers, the SDL at
 * {@code /graphql/schema.graphql}) and over WebSocket ({@code graphql-transport-ws}). Everything it
 * serves comes from {@link Operations} and the host's catalogue and deploy state, so GraphQL adds no
 * rule of its own. Thread-safe.
 */
public final class GraphqlDoor implements AutoCloseable {

    /** The endpoint's path. */
    public static final String PATH = "/graphql";
    private static final String SCHEMA_PATH = PATH + "/schema.graphql";
    private static final int EVENT_BUFFER = 1024;

    /**
     * What the door serves.
     *
     * @param operations the catalogue operations every door shares
     * @param catalog the catalogue, for its change events and what each module provides
     * @param readiness the deploy state
     * @param admin whether an {@code Authorization} header value (or null) carries the admin credential
     * @param mapper the host's JSON settings
     * @param pageSize how many items a page holds
     * @param maxBodyBytes the largest request body accepted
     */
    public record Sources(Operations operations, Catalog catalog, Supplier<Readiness> readiness,
            Predicate<String> admin, ObjectMapper mapper, int pageSize, long maxBodyBytes) {
    }

    private final Sources sources;
    private final GraphqlService service;
    private final GraphqlHttp http;
    private final GraphiqlPage graphiql = new GraphiqlPage();
    private final GraphqlSockets sockets;
    private final ScheduledExecutorService timers;
    private final EventStream<Map<String, Object>> catalogChanges = new EventStream<>(EVENT_BUFFER);
    private final EventStream<Map<String, Object>> moduleEvents = new EventStream<>(EVENT_BUFFER);
    private final AutoCloseable catalogListener;

    private GraphqlDoor(Sources sources) {
        this.sources = sources;
        GraphqlLimits limits = GraphqlLimits.of(sources.pageSize());
        CatalogFetchers catalogue = new CatalogFetchers(sources.operations(), sources.mapper(), new ProgressChannels());
        this.service = GraphqlService.create(wiring -> {
            catalogue.wire(wiring);
            wiring.type("Query", type -> type
                    .dataFetcher("modules", env -> modules())
                    .dataFetcher("health", env -> {
                        Readiness readiness = sources.readiness().get();
                        return Map.of("ready", readiness.ready(), "status", readiness.status(), "modules", modules());
                    }));
            wiring.type("Subscription", type -> type
                    .dataFetcher("catalogChanged", env -> catalogChanges)
                    .dataFetcher("moduleEvents", env -> moduleEvents));
        }, limits);
        Function<String, Caller> callers = authorization -> new Caller(sources.admin().test(authorization),
                authorization != null);
        this.http = new GraphqlHttp(service, sources.mapper(), sources.maxBodyBytes(), callers);
        this.timers = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("graphql-ws-timer")
                .factory());
        this.sockets = new GraphqlSockets(service, sources.mapper(), callers, limits, 10_000, timers);
        AtomicLong ids = new AtomicLong();
        this.catalogListener = sources.catalog().addListener(kinds -> catalogChanges.publish(Map.of(
                "id", ids.incrementAndGet(),
                "kinds", kinds.stream().map(k -> k.name().toLowerCase(Locale.ROOT)).sorted().toList(),
                "time", Instant.now().toString())));
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

    private List<Map<String, Object>> modules() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BundleReport report : sources.readiness().get().bundles()) {
            Map<String, Object> module = new HashMap<>();
            module.put("name", report.symbolicName());
            module.put("version", report.version());
            module.put("state", report.state());
            module.put("file", report.file());
            Long id = report.bundleId();
            module.put("tools", sources.catalog().tools().all().stream()
                    .filter(t -> id != null && t.provider().bundleId() == id).map(t -> t.name()).sorted().toList());
            List<String> resources = new ArrayList<>();
            sources.catalog().resources().all().stream().filter(r -> id != null && r.provider().bundleId() == id)
                    .forEach(r -> resources.add(r.key()));
            sources.catalog().templates().all().stream().filter(r -> id != null && r.provider().bundleId() == id)
                    .forEach(r -> resources.add(r.key()));
            module.put("resources", resources.stream().sorted().toList());
            module.put("prompts", sources.catalog().prompts().all().stream()
                    .filter(p -> id != null && p.provider().bundleId() == id).map(p -> p.key()).sorted().toList());
            module.put("error", report.error());
            module.put("problems", report.problems());
            out.add(module);
        }
        return out;
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
    public void close() throws Exception {
        catalogListener.close();
        catalogChanges.complete();
        moduleEvents.complete();
        timers.shutdownNow();
    }
}
