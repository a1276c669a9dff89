package dev.plugboard.host.graphql;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.graphql.GraphqlExtension;
import dev.plugboard.api.graphql.GraphqlFailure;
import dev.plugboard.api.graphql.GraphqlFetcher;
import dev.plugboard.api.graphql.GraphqlField;
import dev.plugboard.api.graphql.GraphqlSchema;
import dev.plugboard.host.deploy.BundleReport;
import dev.plugboard.host.health.PartStatus;
import dev.plugboard.host.protocol.CallerIdentity;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Principal;
import graphql.language.FieldDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.language.TypeDefinition;
import graphql.schema.DataFetcher;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.reactivestreams.FlowAdapters;

/**
 * The plugins' parts of the GraphQL schema: every {@link GraphqlExtension} service, merged into the
 * door's schema, which is rebuilt whenever such a service comes or goes, so a bundle's fields live
 * exactly as long as its service. An extension whose SDL does not merge (a syntax error, a type or
 * field name already taken, a host type other than the roots extended) is refused alone, with one
 * log line naming its bundle and an entry in {@code /health/ready}'s {@code graphql} part. Its fields
 * ask the access the service property {@value GraphqlExtension#ACCESS} names, answer typed errors,
 * and are timed in {@value #METER}.
 */
public final class PluginExtensions implements AutoCloseable {

    static final String METER = "plugboard.graphql.plugin.fields";
    private static final Set<String> ROOTS = Set.of("Query", "Mutation", "Subscription");
    private static final Logger LOG = Logger.getLogger(PluginExtensions.class.getName());

    private final GraphqlService service;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final ServiceTracker<GraphqlExtension, GraphqlExtension> tracker;
    private final Map<ServiceReference<GraphqlExtension>, GraphqlExtension> tracked = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();
    private volatile List<Map<String, Object>> served = List.of();
    private volatile List<GraphqlService.Refusal> refused = List.of();

    /**
     * @param context the framework's context, whose services are tracked
     * @param door the door whose schema the extensions join
     * @param meters where each plugin field's time goes
     */
    public PluginExtensions(BundleContext context, GraphqlDoor door, MeterRegistry meters) {
        this.service = door.service();
        this.mapper = door.json();
        this.meters = meters;
        this.tracker = new ServiceTracker<>(context, GraphqlExtension.class, null) {
            @Override
            public GraphqlExtension addingService(ServiceReference<GraphqlExtension> reference) {
                GraphqlExtension extension = super.addingService(reference);
                if (extension != null) {
                    tracked.put(reference, extension);
                    rebuild();
                }
                return extension;
            }

            @Override
            public void modifiedService(ServiceReference<GraphqlExtension> reference, GraphqlExtension extension) {
                rebuild();
            }

            @Override
            public void removedService(ServiceReference<GraphqlExtension> reference, GraphqlExtension extension) {
                tracked.remove(reference);
                rebuild();
                super.removedService(reference, extension);
            }
        };
    }

    /** Starts tracking the plugins' extensions. */
    public PluginExtensions open() {
        tracker.open(true);
        rebuild();
        return this;
    }

    /** The {@code graphql} part of the health report: the extensions served, and those refused with why. */
    public PartStatus health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("extensions", served);
        List<GraphqlService.Refusal> now = refused;
        if (now.isEmpty()) {
            return PartStatus.up(details);
        }
        details.put("refused", now.stream().map(r -> Map.of("bundle", r.name(), "reason", r.reason())).toList());
        return PartStatus.degraded(now.size() + " plugin GraphQL extension(s) do not merge and are not served",
                details);
    }

    /**
     * The deployed bundles' reports with each refused extension added to its bundle's problems
     * ({@code /health/ready}).
     */
    public List<BundleReport> withProblems(List<BundleReport> reports) {
        List<GraphqlService.Refusal> now = refused;
        if (now.isEmpty()) {
            return reports;
        }
        List<BundleReport> out = new ArrayList<>(reports.size());
        for (BundleReport report : reports) {
            List<String> problems = new ArrayList<>(report.problems());
            for (GraphqlService.Refusal r : now) {
                if (r.name().equals(report.symbolicName())) {
                    problems.add("its GraphQL extension is not served: " + r.reason());
                }
            }
            out.add(problems.size() == report.problems().size() ? report : new BundleReport(report.file(),
                    report.bundleId(), report.symbolicName(), report.version(), report.state(), report.error(),
                    problems));
        }
        return out;
    }

    private synchronized void rebuild() {
        List<ServiceReference<GraphqlExtension>> references = new ArrayList<>(tracked.keySet());
        references.sort(Comparator.comparing(r -> (Long) r.getProperty(Constants.SERVICE_ID)));
        List<GraphqlService.Extension> extensions = new ArrayList<>();
        List<GraphqlService.Refusal> refusals = new ArrayList<>();
        Map<GraphqlService.Extension, Map<String, Object>> servedOf = new LinkedHashMap<>();
        for (ServiceReference<GraphqlExtension> reference : references) {
            GraphqlExtension extension = tracked.get(reference);
            if (extension == null) {
                continue;
            }
            String bundle = reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName();
            try {
                Access access = Access.of(reference.getProperty(GraphqlExtension.ACCESS));
                GraphqlSchema schema = extension.schema();
                Set<String> fields = check(schema);
                GraphqlService.Extension built = new GraphqlService.Extension(bundle, schema.sdl(),
                        wiring -> schema.fetchers().forEach((coordinates, fetcher) -> {
                            int dot = coordinates.indexOf('.');
                            wiring.type(coordinates.substring(0, dot), type -> type.dataFetcher(
                                    coordinates.substring(dot + 1), adapt(coordinates, fetcher, bundle, access)));
                        }));
                extensions.add(built);
                servedOf.put(built, Map.of("bundle", bundle, "fields", fields.stream().sorted().toList()));
            } catch (IllegalArgumentException e) {
                refusals.add(new GraphqlService.Refusal(bundle, e.getMessage(), null));
            } catch (RuntimeException e) {
                refusals.add(new GraphqlService.Refusal(bundle, "its schema() failed", null));
                LOG.log(Level.FINE, "A plugin's GraphQL schema() failed", e);
            }
        }
        refusals.addAll(service.extend(extensions));
        for (GraphqlService.Refusal r : refusals) {
            if (r.extension() != null) {
                servedOf.remove(r.extension());
            }
            if (logged.add(r.name() + "\u0000" + r.reason())) {
                LOG.warning(() -> "The GraphQL extension of bundle " + r.name() + " is not served: " + r.reason());
            }
        }
        served = List.copyOf(servedOf.values());
        refused = List.copyOf(refusals);
    }

    /**
     * Checks what the host's schema cannot check: the extension adds to the roots and its own types
     * only, declares no scalar or schema of its own, and has a field for every fetcher.
     *
     * @return the root fields it adds ({@code Query.greeting})
     * @throws IllegalArgumentException why the extension is refused
     */
    static Set<String> check(GraphqlSchema schema) {
        TypeDefinitionRegistry types;
        try {
            types = new SchemaParser().parse(schema.sdl());
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().strip();
            throw new IllegalArgumentException("its SDL does not parse: " + (message.length() > 300
                    ? message.substring(0, 300) + "..." : message));
        }
        if (types.schemaDefinition().isPresent()) {
            throw new IllegalArgumentException("its SDL declares a schema; extend Query, Mutation or Subscription instead");
        }
        Set<String> own = types.types().keySet();
        for (String name : own) {
            if (ROOTS.contains(name)) {
                throw new IllegalArgumentException("its SDL declares type " + name + "; write 'extend type " + name + "'");
            }
        }
        for (String name : types.scalars().keySet()) {
            if (!ScalarInfo.isGraphqlSpecifiedScalar(name)) {
                throw new IllegalArgumentException("its SDL declares scalar " + name + "; use the host's JSON scalar");
            }
        }
        List<String> extended = new ArrayList<>(types.objectTypeExtensions().keySet());
        extended.addAll(types.interfaceTypeExtensions().keySet());
        extended.addAll(types.unionTypeExtensions().keySet());
        extended.addAll(types.enumTypeExtensions().keySet());
        extended.addAll(types.inputObjectTypeExtensions().keySet());
        extended.addAll(types.scalarTypeExtensions().keySet());
        for (String name : extended) {
            if (!ROOTS.contains(name) && !own.contains(name)) {
                throw new IllegalArgumentException("its SDL extends type " + name
                        + ", which is not its own: only Query, Mutation and Subscription may be extended");
            }
        }
        Set<String> fields = new HashSet<>();
        Set<String> roots = new HashSet<>();
        for (TypeDefinition<?> type : types.types().values()) {
            if (type instanceof ObjectTypeDefinition object) {
                object.getFieldDefinitions().forEach(f -> fields.add(object.getName() + "." + f.getName()));
            }
        }
        types.objectTypeExtensions().forEach((name, list) -> {
            for (ObjectTypeExtensionDefinition extension : list) {
                for (FieldDefinition f : extension.getFieldDefinitions()) {
                    fields.add(name + "." + f.getName());
                    if (ROOTS.contains(name)) {
                        roots.add(name + "." + f.getName());
                    }
                }
            }
        });
        for (String coordinates : schema.fetchers().keySet()) {
            if (!fields.contains(coordinates)) {
                throw new IllegalArgumentException("it has a fetcher for " + coordinates
                        + ", which is not a field of its SDL");
            }
        }
        return roots;
    }

    /** A plugin's fetcher as the engine calls it: access checked, value converted, failures typed, time measured. */
    private DataFetcher<Object> adapt(String coordinates, GraphqlFetcher fetcher, String bundle, Access access) {
        return env -> {
            Caller caller = env.getGraphQlContext().get(Caller.class);
            access.check(caller, coordinates);
            Principal principal = caller == null || caller.principal() == null ? Principal.current()
                    : caller.principal();
            GraphqlField field = new Field(coordinates, env.getArguments(), env.getSource(),
                    new CallerIdentity(principal.name(), principal.roles(), principal.rights(), null, null, null,
                            principal.limits()));
            long start = System.nanoTime();
            Object value;
            try {
                value = fetcher.fetch(field);
            } catch (Exception e) {
                record(coordinates, bundle, "error", start);
                throw failure(e, coordinates, bundle);
            }
            if (value instanceof CompletionStage<?> stage) {
                return stage.handle((done, e) -> {
                    record(coordinates, bundle, e == null ? "ok" : "error", start);
                    if (e != null) {
                        throw failure(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                                ? c.getCause() : e, coordinates, bundle);
                    }
                    return plain(done);
                }).toCompletableFuture();
            }
            record(coordinates, bundle, "ok", start);
            if (value instanceof Flow.Publisher<?> publisher) {
                return FlowAdapters.toPublisher(publisher);
            }
            return plain(value);
        };
    }

    private Object plain(Object value) {
        return value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                ? value : mapper.convertValue(value, Object.class);
    }

    private static RuntimeException failure(Throwable e, String coordinates, String bundle) {
        if (e instanceof GraphqlFailure f) {
            return GraphqlProblem.ofPlugin(f.code(), f.getMessage(), f.extensions());
        }
        if (e instanceof GraphqlProblem p) {
            return p;
        }
        LOG.warning(() -> "The GraphQL field " + coordinates + " of bundle " + bundle + " failed: " + e);
        LOG.log(Level.FINE, "A plugin's GraphQL field failed", e);
        return new GraphqlProblem(ErrorCode.INTERNAL, "Internal error");
    }

    private void record(String coordinates, String bundle, String outcome, long start) {
        Timer.builder(METER).description("Plugins' GraphQL fields, by field, bundle and outcome")
                .tag("field", coordinates).tag("bundle", bundle).tag("outcome", outcome)
                .register(meters).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        tracker.close();
    }

    /** What a caller needs for an extension's fields. */
    private enum Access {
        CATALOG, ADMIN;

        static Access of(Object property) {
            String value = property == null ? "catalog" : String.valueOf(property).strip().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "catalog", "" -> CATALOG;
                case "admin" -> ADMIN;
                default -> throw new IllegalArgumentException("its " + GraphqlExtension.ACCESS + " is '" + value
                        + "'; it must be catalog or admin");
            };
        }

        void check(Caller caller, String coordinates) {
            if (this == ADMIN) {
                GraphqlService.requireAdmin(caller, "graphql " + coordinates);
            } else {
                Principal who = caller == null || caller.principal() == null ? Principal.current() : caller.principal();
                if (!who.rights().may(Operation.CATALOG)) {
                    throw new GraphqlProblem(ErrorCode.FORBIDDEN, "the credential does not allow the catalogue");
                }
            }
        }
    }

    /** The field a plugin's fetcher answers. */
    private record Field(String coordinates, Map<String, Object> arguments, Object source,
            dev.plugboard.api.context.Caller caller) implements GraphqlField {

        Field {
            arguments = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(arguments));
        }
    }
}
