package dev.plugboard.host.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.door.ChangeFeed;
import dev.plugboard.host.door.Operations;
import dev.plugboard.host.http.HangUps;
import dev.plugboard.host.http.QuickRequests;
import jakarta.ws.rs.ext.ContextResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainerProvider;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;

/**
 * The REST API at {@code /api/v1}: one Jersey application on the host's Grizzly (the front door
 * routes {@code /api/v1} here after its checks). Every error of every resource in it, including
 * resources other parts of the host add with {@link #add}, is a problem document. Plain JSON tool
 * calls, the hot path, are answered without Jersey ({@link FastCalls}) unless {@link #allThroughJersey()}.
 */
public final class RestApi implements AutoCloseable {

    /** The path every REST resource lives under. */
    public static final String PREFIX = "/api/v1";

    private static final List<Class<?>> RESOURCES = List.of(ToolsResource.class, ResourcesResource.class,
            PromptsResource.class, SearchResource.class, EventsResource.class, OpenApiResource.class,
            TasksResource.class, StatsResource.class);

    private final Operations operations;
    private final ChangeFeed feed;
    private final ObjectMapper mapper;
    private final long maxBodyBytes;
    private final Duration keepAlive;
    private final String version;
    private final List<Class<?>> resources = new ArrayList<>(RESOURCES);
    private final List<Object> components = new ArrayList<>();
    private final HangUps hangUps = new HangUps(Duration.ofMillis(100));
    private boolean allThroughJersey;
    private Supplier<List<Class<?>>> routes = List::of;

    /**
     * @param operations what the API does
     * @param feed the changes {@code /api/v1/events} streams
     * @param mapper the host's JSON settings
     * @param maxBodyBytes the largest request body (413 beyond)
     * @param keepAlive how often an idle event stream gets a comment
     * @param version the server's version, for the OpenAPI document
     */
    public RestApi(Operations operations, ChangeFeed feed, ObjectMapper mapper, long maxBodyBytes, Duration keepAlive,
            String version) {
        this.operations = operations;
        this.feed = feed;
        this.mapper = mapper;
        this.maxBodyBytes = maxBodyBytes;
        this.keepAlive = keepAlive;
        this.version = version;
    }

    /**
     * Adds a resource class (its {@code @Path} under {@link #PREFIX}, its methods with {@link ApiDoc})
     * or a provider instance (such as a request filter) to the API, before {@link #handler()}. The
     * resource appears in the OpenAPI document and its errors become problem documents. A provider
     * sees every request except plain JSON tool calls, which are answered without Jersey; when a
     * filter must see those too (an identity check), call {@link #allThroughJersey()}.
     *
     * @return this
     */
    public RestApi add(Object resourceClassOrComponent) {
        if (resourceClassOrComponent instanceof Class<?> c) {
            resources.add(c);
        } else {
            components.add(resourceClassOrComponent);
        }
        return this;
    }

    /**
     * Describes plugins' HTTP routes in the OpenAPI document too, before {@link #handler()}.
     *
     * @param classes their resource classes: the same list instance until the routes change
     * @return this
     */
    public RestApi describeRoutes(Supplier<List<Class<?>>> classes) {
        this.routes = classes;
        return this;
    }

    /**
     * Sends every request through Jersey, plain tool calls included, so that every added filter sees
     * it (at the cost of the calls' speed), before {@link #handler()}.
     *
     * @return this
     */
    public RestApi allThroughJersey() {
        this.allThroughJersey = true;
        return this;
    }

    /** The Grizzly handler serving the API. */
    public HttpHandler handler() {
        OpenApi openApi = new OpenApi(resources, operations, mapper, feed::lastId, version, routes);
        RestContext context = new RestContext(operations, feed, mapper, hangUps, maxBodyBytes, keepAlive, openApi);
        ResourceConfig config = new ResourceConfig();
        resources.forEach(config::register);
        components.forEach(config::register);
        config.register(new ProblemMappers.Operations());
        config.register(new ProblemMappers.Problems());
        config.register(new ProblemMappers.Web());
        config.register(new ProblemMappers.Unexpected());
        config.register(new Mapper(mapper));
        config.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(context).to(RestContext.class);
            }
        });
        config.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        config.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        GrizzlyHttpContainer jersey = new GrizzlyHttpContainerProvider().createContainer(GrizzlyHttpContainer.class,
                config);
        if (allThroughJersey) {
            return jersey;
        }
        return new FastThenJersey(new FastCalls(context), jersey);
    }

    /**
     * Plain JSON tool calls without Jersey, everything else through it. The front door keeps a
     * plain call whose body has arrived on the network thread ({@link QuickRequests}); it never
     * reaches Jersey there.
     */
    private static final class FastThenJersey extends HttpHandler implements QuickRequests {
        private final FastCalls fast;
        private final GrizzlyHttpContainer jersey;

        FastThenJersey(FastCalls fast, GrizzlyHttpContainer jersey) {
            this.fast = fast;
            this.jersey = jersey;
        }

        @Override
        public boolean answersQuickly(Request request) {
            return FastCalls.takes(request);
        }

        @Override
        public void service(Request request, Response response) throws Exception {
            if (!fast.serve(request, response)) {
                jersey.service(request, response);
            }
        }
    }

    /**
     * The exception mappers that turn the failures of a Jersey application into problem documents
     * (operations' failures, bad parameters, anything unexpected), for the host's other Jersey
     * applications; Jersey's own refusals are answered by {@link #problemFor}.
     */
    public static List<Object> problemMappers() {
        return List.of(new ProblemMappers.Operations(), new ProblemMappers.Problems(), new ProblemMappers.Unexpected());
    }

    /** The problem document answering one of Jersey's refusals (404, 405, 406, 415...). */
    public static jakarta.ws.rs.core.Response problemFor(jakarta.ws.rs.WebApplicationException e) {
        return new ProblemMappers.Web().toResponse(e);
    }

    /** Writes JSON with the host's settings. */
    private record Mapper(ObjectMapper mapper) implements ContextResolver<ObjectMapper> {
        @Override
        public ObjectMapper getContext(Class<?> type) {
            return mapper;
        }
    }

    @Override
    public void close() {
        hangUps.close();
    }
}
