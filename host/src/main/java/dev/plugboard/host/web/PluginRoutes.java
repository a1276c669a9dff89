package dev.plugboard.host.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.ws.rs.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpContainer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The routes plugins serve: every service registered with {@value #RESOURCE} (an object whose class
 * carries {@code @Path}) or {@value #EXTENSION} (a JAX-RS provider), served from one Jersey
 * application that is rebuilt whenever such a service comes or goes, so a bundle's routes live
 * exactly as long as its services. A bundle registers its routes one service at a time; the
 * application is rebuilt once for the lot, in the background, and a request that arrives before that
 * rebuild has run does it first, so it is never answered by an application that misses a route
 * already registered. Routes that go away are handled the same way: once a route's service is
 * unregistered, no new request reaches it, and a stopping bundle's routes cost one rebuild, not one
 * each.
 *
 * <p>A resource may not claim a path under the host's own prefixes ({@link #RESERVED}) nor a path
 * whose first segment is a template; such a resource is refused with one log line naming its bundle.
 * Each request is timed in {@value #METER}.
 */
public final class PluginRoutes extends HttpHandler implements AutoCloseable {

    /** The service property that makes a service a route (the JAX-RS Whiteboard's name). */
    public static final String RESOURCE = "osgi.jaxrs.resource";
    /** The service property that makes a service a provider of the plugins' application. */
    public static final String EXTENSION = "osgi.jaxrs.extension";
    /** First path segments that belong to the host. */
    static final List<String> RESERVED = List.of("mcp", "api", "health", "graphql", "servers", "metrics",
            ".well-known");
    static final String METER = "plugboard.http.plugin.requests";
    /**
     * The request property holding this server's own base URL as the connection reached it
     * ({@code http://127.0.0.1:8080/}), for a route that calls the host's API.
     */
    public static final String SERVER_BASE = "dev.plugboard.server";

    private static final Logger LOG = Logger.getLogger(PluginRoutes.class.getName());

    private final BundleContext context;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final ServiceTracker<Object, Object> tracker;
    private final Map<ServiceReference<Object>, Object> tracked = new ConcurrentHashMap<>();
    private final java.util.Set<ServiceReference<Object>> refused = ConcurrentHashMap.newKeySet();
    /** Counts the route services that came, changed or went. */
    private final AtomicLong changes = new AtomicLong();
    /** The count of changes the served application reflects. */
    private volatile long builtFrom = -1;
    private final AtomicBoolean rebuildQueued = new AtomicBoolean();
    private final AtomicInteger builds = new AtomicInteger();
    private volatile Served served = Served.NONE;
    private volatile boolean closing;

    /**
     * @param context the framework's context, whose services are tracked
     * @param mapper the host's JSON settings, for bodies the plugins' resources read and write
     * @param meters where each request's time goes
     */
    public PluginRoutes(BundleContext context, ObjectMapper mapper, MeterRegistry meters) {
        this.context = context;
        this.mapper = mapper;
        this.meters = meters;
        try {
            this.tracker = new ServiceTracker<>(context, context.createFilter(
                    "(|(" + RESOURCE + "=true)(" + EXTENSION + "=true))"), null) {
                @Override
                public Object addingService(ServiceReference<Object> reference) {
                    Object service = super.addingService(reference);
                    if (service != null) {
                        // the tracker counts it only once this returns: keep our own list
                        tracked.put(reference, service);
                        changed();
                    }
                    return service;
                }

                @Override
                public void modifiedService(ServiceReference<Object> reference, Object service) {
                    changed();
                }

                @Override
                public void removedService(ServiceReference<Object> reference, Object service) {
                    boolean served = tracked.remove(reference) != null;
                    refused.remove(reference);
                    if (served && !closing) {
                        changed();
                    }
                    super.removedService(reference, service);
                }
            };
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts tracking the plugins' routes. */
    public PluginRoutes open() {
        tracker.open(true);
        rebuildIfStale();
        return this;
    }

    /**
     * Whether a plugin serves this path (as sent), and what its route asks of the caller: the route
     * with the longest root that the path is at or under.
     */
    public Optional<RouteAccess> claim(String path) {
        if (hostPath(path)) {
            // never a plugin's: answered without waiting for a rebuild that is due
            return Optional.empty();
        }
        Route route = current().routeOf(path);
        return route == null ? Optional.empty() : Optional.of(route.access());
    }

    /** Whether the path's first segment is one of the host's own ({@link #RESERVED}). */
    static boolean hostPath(String path) {
        int start = path.startsWith("/") ? 1 : 0;
        int end = start;
        while (end < path.length() && "/?;".indexOf(path.charAt(end)) < 0) {
            end++;
        }
        return RESERVED.contains(path.substring(start, end));
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        Served now = current();
        while (!now.enter()) {
            now = current(); // replaced meanwhile: the new one serves
        }
        try {
            Route route = now.routeOf(request.getRequestURI());
            if (route == null) {
                // the route went away between the gate and here
                response.setStatus(404);
                response.setContentType("application/problem+json");
                response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
                        + "\"detail\":\"nothing is served at this path\"}");
                return;
            }
            // The address this connection reached, for routes that call the host's own API: the
            // server's, never the Host header's (which the client chooses).
            request.setAttribute(SERVER_BASE, serverBase(request));
            long start = System.nanoTime();
            try {
                now.container().service(request, response);
            } finally {
                Timer.builder(METER)
                        .description("Requests to plugins' HTTP routes, by route, method and status class")
                        .tag("route", route.root()).tag("method", request.getMethod().getMethodString())
                        .tag("status", (response.getStatus() / 100) + "xx")
                        .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        } finally {
            now.leave();
        }
    }

    private static String serverBase(Request request) {
        String address = request.getLocalAddr();
        if (address.indexOf(':') >= 0) {
            int zone = address.indexOf('%');
            address = "[" + (zone < 0 ? address : address.substring(0, zone)) + "]";
        }
        return "http://" + address + ":" + request.getLocalPort() + "/";
    }

    /** The routes served now: the root path of each, its access and the bundle that serves it. */
    public List<Route> routes() {
        return current().routes();
    }

    /** The resource classes of the routes served now: the same list instance until they change. */
    public List<Class<?>> resourceClasses() {
        return current().classes();
    }

    /** What is served, rebuilt first if a route came or changed since it was built. */
    private Served current() {
        if (builtFrom != changes.get()) {
            rebuildIfStale();
        }
        return served;
    }

    /** A route came, changed or went: rebuild in the background, once for however many arrive meanwhile. */
    private void changed() {
        changes.incrementAndGet();
        if (rebuildQueued.compareAndSet(false, true)) {
            Thread.ofVirtual().name("plugin-routes").start(() -> {
                rebuildQueued.set(false);
                try {
                    rebuildIfStale();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "The plugins' HTTP routes could not be rebuilt", e);
                }
            });
        }
    }

    private synchronized void rebuildIfStale() {
        long now = changes.get();
        if (builtFrom == now || closing) {
            return;
        }
        builds.incrementAndGet();
        try {
            rebuild();
        } finally {
            // Marked last, so that a reader that found it stale waits on this lock for the build; a change
            // that came during the build leaves it stale, and the next reader rebuilds.
            builtFrom = now;
        }
    }

    /** How many times the application was built, for tests that check bursts are coalesced. */
    int builds() {
        return builds.get();
    }

    private void rebuild() {
        List<Object> resources = new ArrayList<>();
        List<Object> extensions = new ArrayList<>();
        List<Route> routes = new ArrayList<>();
        List<ServiceReference<Object>> references = new ArrayList<>(tracked.keySet());
        references.sort(Comparator.comparing(r -> (Long) r.getProperty(Constants.SERVICE_ID)));
        for (ServiceReference<Object> reference : references) {
            Object service = tracked.get(reference);
            if (service == null) {
                continue;
            }
            String bundle = reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName();
            if (Boolean.parseBoolean(String.valueOf(reference.getProperty(RESOURCE)))) {
                try {
                    Route route = routeOf(service, reference.getProperty(RouteAccess.PROPERTY), bundle);
                    for (Route other : routes) {
                        if (other.root().equals(route.root())) {
                            throw new IllegalArgumentException("bundle " + other.bundle() + " serves "
                                    + route.root() + " already");
                        }
                    }
                    routes.add(route);
                    resources.add(service);
                } catch (IllegalArgumentException e) {
                    if (refused.add(reference)) {
                        LOG.warning(() -> "The HTTP route " + service.getClass().getName() + " of bundle " + bundle
                                + " is not served: " + e.getMessage());
                    }
                }
            } else {
                extensions.add(service);
            }
        }
        if (resources.isEmpty()) {
            replace(Served.NONE);
            return;
        }
        var config = PluginApplication.of(resources, extensions, mapper);
        GrizzlyHttpContainer container = PluginApplication.container(config);
        if (container == null) {
            // One resource Jersey cannot serve must not take the others down: serve those it can.
            List<Object> good = new ArrayList<>();
            List<Route> kept = new ArrayList<>();
            for (int i = 0; i < resources.size(); i++) {
                Object resource = resources.get(i);
                if (PluginApplication.valid(PluginApplication.of(List.of(resource), extensions, mapper))) {
                    good.add(resource);
                    kept.add(routes.get(i));
                } else {
                    LOG.warning(() -> "The HTTP route " + resource.getClass().getName()
                            + " is not served: Jersey cannot serve its resource methods");
                }
            }
            routes = kept;
            config = good.isEmpty() ? null : PluginApplication.of(good, extensions, mapper);
            container = config == null ? null : PluginApplication.container(config);
            if (container == null) {
                replace(Served.NONE);
                return;
            }
        }
        routes.sort(Comparator.comparingInt((Route r) -> r.root().length()).reversed());
        // A new application each time: requests already in the old one finish there.
        replace(new Served(List.copyOf(routes), container, config.getClasses().stream()
                .filter(c -> c.isAnnotationPresent(Path.class)).toList()));
    }

    /**
     * The path as Jersey matches it: {@code ;name=value} matrix parameters removed from every
     * segment, so that {@code /a/b;x} is the route of {@code /a/b}, as Jersey will serve it.
     */
    static String withoutMatrixParameters(String path) {
        if (path.indexOf(';') < 0) {
            return path;
        }
        StringBuilder out = new StringBuilder(path.length());
        boolean inMatrix = false;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '/' || c == '?') {
                inMatrix = false;
            } else if (c == ';') {
                inMatrix = true;
            }
            if (!inMatrix) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The route of a resource, or why it cannot be served. */
    static Route routeOf(Object resource, Object access, String bundle) {
        Path path = resource.getClass().getAnnotation(Path.class);
        if (path == null) {
            throw new IllegalArgumentException("its class has no @Path");
        }
        String value = path.value().strip();
        String trimmed = value.replaceAll("^/+", "").replaceAll("/+$", "");
        int template = trimmed.indexOf('{');
        String literal = template < 0 ? trimmed : trimmed.substring(0, template).replaceAll("/+$", "");
        if (literal.isEmpty()) {
            throw new IllegalArgumentException("its @Path '" + value + "' does not begin with a literal segment");
        }
        String first = literal.contains("/") ? literal.substring(0, literal.indexOf('/')) : literal;
        if (RESERVED.contains(first)) {
            throw new IllegalArgumentException("its @Path '" + value + "' is under /" + first
                    + ", which the host serves itself");
        }
        return new Route("/" + literal, RouteAccess.of(access), bundle);
    }

    /** Serves the new application; the old one is shut down once its last request is answered. */
    private void replace(Served next) {
        Served old = served;
        served = next;
        old.leave();
    }

    @Override
    public void close() {
        // Nothing is served once this returns: no rebuild for each route the tracker lets go.
        closing = true;
        tracker.close();
        synchronized (this) {
            // after a build in progress, which then serves nothing more
            replace(Served.NONE);
        }
    }

    /**
     * One plugin route.
     *
     * @param root the literal path the route's resource is at ({@code /v1/chat})
     * @param access what it asks of a caller
     * @param bundle the symbolic name of the bundle serving it
     */
    public record Route(String root, RouteAccess access, String bundle) {

        boolean covers(String path) {
            return path.startsWith(root) && (path.length() == root.length() || path.charAt(root.length()) == '/'
                    || path.charAt(root.length()) == '?');
        }
    }

    /**
     * What is served: the routes, longest root first, and the application serving them. It counts
     * the requests inside it, plus one while it is the one served, and shuts the application down
     * when that count reaches zero.
     */
    private static final class Served {
        static final Served NONE = new Served(List.of(), null, List.of());

        private final List<Route> routes;
        private final GrizzlyHttpContainer container;
        private final List<Class<?>> classes;
        private final AtomicInteger users = new AtomicInteger(1);

        Served(List<Route> routes, GrizzlyHttpContainer container, List<Class<?>> classes) {
            this.routes = routes;
            this.container = container;
            this.classes = classes;
        }

        List<Class<?>> classes() {
            return classes;
        }

        List<Route> routes() {
            return routes;
        }

        GrizzlyHttpContainer container() {
            return container;
        }

        /** Counts a request in, unless this application is already shut down. */
        boolean enter() {
            for (int n = users.get(); n > 0; n = users.get()) {
                if (users.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return this == NONE;
        }

        void leave() {
            if (this != NONE && users.decrementAndGet() == 0 && container != null) {
                container.getApplicationHandler().onShutdown(container);
            }
        }

        Route routeOf(String sent) {
            String path = withoutMatrixParameters(sent);
            for (Route r : routes) {
                if (r.covers(path)) {
                    return r;
                }
            }
            return null;
        }
    }
}
