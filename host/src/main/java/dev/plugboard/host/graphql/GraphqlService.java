package dev.plugboard.host.graphql;

import graphql.ErrorType;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.InvalidSyntaxError;
import graphql.analysis.FieldComplexityCalculator;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.DataFetcherExceptionHandler;
import graphql.execution.DataFetcherExceptionHandlerResult;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.introspection.GoodFaithIntrospection;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.FieldCoordinates;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaDirectiveWiring;
import graphql.schema.idl.SchemaDirectiveWiringEnvironment;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.validation.ValidationError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The GraphQL engine of {@code /graphql}: the schema from {@code schema.graphql} wired to data
 * fetchers, extended by plugins' schemas ({@link #extend}), with depth and complexity limits,
 * admin-only fields, and errors that carry an {@code extensions.code} and never a Java class name.
 */
final class GraphqlService {

    static final String SCHEMA_RESOURCE = "schema.graphql";
    private static final Logger LOG = Logger.getLogger(GraphqlService.class.getName());

    private final String baseSdl;
    private final Consumer<RuntimeWiring.Builder> fetchers;
    private final GraphqlLimits limits;
    /** The schema served now: the host's own, plus the plugins' extensions that merged. */
    private volatile Engine engine;

    /**
     * A schema and its SDL. The schema is built on its first request, not when it is made: start-up
     * (and a plugin's arrival) need not wait for a GraphQL schema that nobody may ask for.
     */
    private static final class Engine {
        private final String sdl;
        private final Supplier<GraphQL> build;
        private volatile GraphQL graphql;

        Engine(String sdl, Supplier<GraphQL> build) {
            this.sdl = sdl;
            this.build = build;
        }

        String sdl() {
            return sdl;
        }

        GraphQL graphql() {
            GraphQL built = graphql;
            if (built == null) {
                synchronized (this) {
                    built = graphql;
                    if (built == null) {
                        built = build.get();
                        graphql = built;
                    }
                }
            }
            return built;
        }
    }

    /**
     * A plugin's extension of the schema, as the host wires it.
     *
     * @param name who contributes it (the bundle's symbolic name), for logs and reports
     * @param sdl its SDL, already checked by {@link PluginExtensions}
     * @param wiring adds its data fetchers
     */
    record Extension(String name, String sdl, Consumer<RuntimeWiring.Builder> wiring) {
    }

    /**
     * An extension left out of the schema.
     *
     * @param name who contributes it
     * @param reason why it does not merge
     * @param extension the extension, or null when it was refused before it was built
     */
    record Refusal(String name, String reason, Extension extension) {
    }

    private GraphqlService(String sdl, Consumer<RuntimeWiring.Builder> fetchers, GraphqlLimits limits) {
        this.baseSdl = sdl;
        this.fetchers = fetchers;
        this.limits = limits;
        this.engine = new Engine(sdl, () -> build(List.of()));
    }

    /**
     * Builds the engine.
     *
     * @param fetchers adds the data fetchers of Query, Mutation and Subscription
     */
    static GraphqlService create(Consumer<RuntimeWiring.Builder> fetchers, GraphqlLimits limits) {
        return new GraphqlService(schemaText(), fetchers, limits);
    }

    /**
     * Serves the host's schema with these extensions, each merged in turn: one that does not merge
     * with the host's schema and those before it (a syntax error, a name taken, a wrong type) is
     * left out alone.
     *
     * @return the extensions left out, and why
     */
    synchronized List<Refusal> extend(List<Extension> extensions) {
        List<Extension> merged = new ArrayList<>();
        List<Refusal> refused = new ArrayList<>();
        for (Extension extension : extensions) {
            List<Extension> candidate = new ArrayList<>(merged);
            candidate.add(extension);
            try {
                build(candidate);
                merged.add(extension);
            } catch (RuntimeException e) {
                refused.add(new Refusal(extension.name(), firstLines(e.getMessage()), extension));
            }
        }
        StringBuilder sdl = new StringBuilder(baseSdl);
        for (Extension extension : merged) {
            sdl.append("\n# From ").append(extension.name()).append("\n").append(extension.sdl().strip()).append('\n');
        }
        List<Extension> served = List.copyOf(merged);
        engine = new Engine(sdl.toString(), () -> build(served));
        return refused;
    }

    private static String firstLines(String message) {
        String text = message == null ? "it does not merge" : message.strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }

    private GraphQL build(List<Extension> plugins) {
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring()
                .scalar(JsonScalar.TYPE)
                .directive("admin", new AdminOnly())
                .directive("keys", new KeysOnly());
        fetchers.accept(wiring);
        SchemaParser parser = new SchemaParser();
        graphql.schema.idl.TypeDefinitionRegistry types = parser.parse(baseSdl);
        for (Extension extension : plugins) {
            types.merge(parser.parse(extension.sdl()));
            extension.wiring().accept(wiring);
        }
        GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(types, wiring.build());
        DataFetcherExceptionHandler failures = parameters -> {
            Throwable e = parameters.getException();
            if (e instanceof java.util.concurrent.CompletionException c && c.getCause() != null) {
                e = c.getCause();
            }
            Map<String, Object> extensions;
            String message;
            if (e instanceof GraphqlProblem problem) {
                extensions = problem.extensions();
                message = problem.getMessage();
            } else {
                extensions = Map.of("code", ErrorCode.INTERNAL.name());
                message = "Internal error";
                Throwable failure = e;
                LOG.warning(() -> "A GraphQL field failed: " + parameters.getPath() + ": " + failure);
                LOG.log(Level.FINE, "A GraphQL field failed", failure);
            }
            GraphQLError error = GraphqlErrorBuilder.newError(parameters.getDataFetchingEnvironment())
                    .message(message).extensions(extensions).build();
            return CompletableFuture.completedFuture(DataFetcherExceptionHandlerResult.newResult(error).build());
        };
        return GraphQL.newGraphQL(schema)
                .defaultDataFetcherExceptionHandler(failures)
                .instrumentation(new ChainedInstrumentation(List.of(
                        new MaxQueryDepthInstrumentation(limits.maxDepth()),
                        new MaxQueryComplexityInstrumentation(limits.maxComplexity(), listsCountPerItem(limits.pageSize())))))
                .build();
    }

    /** The schema as SDL: the host's as shipped, then each plugin extension served. */
    String sdl() {
        return engine.sdl();
    }

    /**
     * The kind of operation a request would run, or empty when the document does not parse or
     * does not name one operation (execution then reports why).
     */
    static Optional<OperationDefinition.Operation> operationOf(GraphqlRequest request) {
        Document document;
        try {
            document = Parser.parse(request.query());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
        for (OperationDefinition operation : operations) {
            if (request.operationName() == null ? operations.size() == 1
                    : request.operationName().equals(operation.getName())) {
                return Optional.of(operation.getOperation());
            }
        }
        return Optional.empty();
    }

    /** Runs a request; a subscription's data is a {@code Publisher<ExecutionResult>}. */
    ExecutionResult execute(GraphqlRequest request, Caller caller) {
        ExecutionInput input = ExecutionInput.newExecutionInput(request.query())
                .operationName(request.operationName())
                .variables(request.variables())
                .graphQLContext(Map.of(Caller.class, caller))
                .build();
        GraphQL graphql = engine.graphql();
        if (caller.principal() == null) {
            return graphql.execute(input);
        }
        // Catalogue fetchers read the principal's rights from the thread (as every door's operations do).
        dev.plugboard.host.security.Principal before = dev.plugboard.host.security.Principal.bind(caller.principal());
        try {
            return graphql.execute(input);
        } finally {
            dev.plugboard.host.security.Principal.restore(before);
        }
    }

    /**
     * The response document of a result: {@code data} and {@code errors}, every error with an
     * {@code extensions.code}.
     */
    static Map<String, Object> specification(ExecutionResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!result.getErrors().isEmpty()) {
            out.put("errors", errors(result.getErrors()));
        }
        if (result.isDataPresent()) {
            out.put("data", result.getData());
        }
        return out;
    }

    /** The errors of a result as the response carries them. */
    static List<Map<String, Object>> errors(List<GraphQLError> errors) {
        List<Map<String, Object>> out = new ArrayList<>(errors.size());
        for (GraphQLError error : errors) {
            Map<String, Object> spec = new LinkedHashMap<>(error.toSpecification());
            Map<String, Object> extensions = new LinkedHashMap<>();
            if (error.getExtensions() != null) {
                extensions.putAll(error.getExtensions());
            }
            extensions.remove("classification");
            extensions.putIfAbsent("code", classify(error).name());
            spec.put("extensions", extensions);
            out.add(spec);
        }
        return out;
    }

    /** Whether a result failed before execution began: the document or the variables were refused. */
    static boolean refusedBeforeExecution(ExecutionResult result) {
        return !result.isDataPresent() && !result.getErrors().isEmpty();
    }

    /** An error document for a request that never reached the engine. */
    static Map<String, Object> problem(ErrorCode code, String message) {
        return Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code.name()))));
    }

    private static ErrorCode classify(GraphQLError error) {
        if (error instanceof InvalidSyntaxError) {
            return ErrorCode.GRAPHQL_PARSE_FAILED;
        }
        if (error instanceof ValidationError) {
            return ErrorCode.GRAPHQL_VALIDATION_FAILED;
        }
        if (error instanceof GoodFaithIntrospection.BadFaithIntrospectionError) {
            // Introspection that repeats a field or nests past graphql-java's own bound.
            return ErrorCode.QUERY_TOO_COMPLEX;
        }
        if (error instanceof AbortExecutionException) {
            String message = String.valueOf(error.getMessage());
            return message.contains("depth") ? ErrorCode.QUERY_TOO_DEEP
                    : message.contains("complexity") ? ErrorCode.QUERY_TOO_COMPLEX : ErrorCode.BAD_USER_INPUT;
        }
        if (error.getErrorType() == ErrorType.ValidationError) {
            // Variables that do not coerce to their declared types.
            return ErrorCode.BAD_USER_INPUT;
        }
        return ErrorCode.INTERNAL;
    }

    /**
     * A field costs one, plus its selections once per item it may return: its {@code limit}, or a
     * whole page for a paged field (one with {@code after}).
     */
    private static FieldComplexityCalculator listsCountPerItem(int pageSize) {
        return (environment, childComplexity) -> {
            Object limit = environment.getArguments().get("limit");
            long items = limit instanceof Number n ? Math.max(1, n.longValue()) : 1;
            if (environment.getFieldDefinition().getArgument("after") != null) {
                items = Math.max(items, pageSize);
            }
            return (int) Math.min(Integer.MAX_VALUE, 1 + items * childComplexity);
        };
    }

    private static String schemaText() {
        try (InputStream in = GraphqlService.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the GraphQL schema is missing from the host jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Wraps the fetcher of each {@code @keys} field with the check of the {@code keys} right (the key
     * service checks it again), auditing each use as the admin fields do.
     */
    private static final class KeysOnly implements SchemaDirectiveWiring {
        @Override
        public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> environment) {
            GraphQLFieldDefinition field = environment.getElement();
            FieldCoordinates coordinates = FieldCoordinates.coordinates(environment.getFieldsContainer().getName(),
                    field.getName());
            DataFetcher<?> inner = environment.getCodeRegistry().getDataFetcher(coordinates, field);
            DataFetcher<?> checked = env -> {
                Caller caller = env.getGraphQlContext().get(Caller.class);
                String what = "graphql " + coordinates.getTypeName() + "." + coordinates.getFieldName();
                dev.plugboard.host.security.Principal who = caller == null ? null : caller.principal();
                if (who == null || !who.rights().may(dev.plugboard.host.security.Operation.KEYS)) {
                    if (caller != null) {
                        caller.audit().accept(what, "denied");
                    }
                    boolean anonymous = who == null || "local".equals(who.credential());
                    throw new GraphqlProblem(anonymous ? ErrorCode.UNAUTHENTICATED : ErrorCode.FORBIDDEN, anonymous
                            ? "this operation needs a credential with the keys right: send Authorization: Bearer <key>"
                                    + " (the admin key is in <data>/admin.key)"
                            : dev.plugboard.host.security.KeyManagement.NEEDS_RIGHT);
                }
                caller.audit().accept(what, "admitted");
                return inner.get(env);
            };
            environment.getCodeRegistry().dataFetcher(coordinates, checked);
            return field;
        }
    }

    /**
     * Lets the admin through, auditing the use.
     *
     * @param what the operation, for the audit log ({@code graphql Mutation.stopModule})
     * @throws GraphqlProblem {@code UNAUTHENTICATED} for any other caller
     */
    static void requireAdmin(Caller caller, String what) {
        if (caller == null || !caller.admin()) {
            if (caller != null) {
                caller.audit().accept(what, "denied");
            }
            throw new GraphqlProblem(ErrorCode.UNAUTHENTICATED, caller != null && caller.credentialSent()
                    ? "the admin credential is not valid" : "this operation needs the admin credential:"
                            + " send Authorization: Bearer <key> (the key is in <data>/admin.key)");
        }
        caller.audit().accept(what, "admitted");
    }

    /** Wraps the fetcher of each {@code @admin} field with the admin check. */
    private static final class AdminOnly implements SchemaDirectiveWiring {
        @Override
        public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> environment) {
            GraphQLFieldDefinition field = environment.getElement();
            FieldCoordinates coordinates = FieldCoordinates.coordinates(environment.getFieldsContainer().getName(),
                    field.getName());
            DataFetcher<?> inner = environment.getCodeRegistry().getDataFetcher(coordinates, field);
            DataFetcher<?> checked = env -> {
                requireAdmin(env.getGraphQlContext().get(Caller.class),
                        "graphql " + coordinates.getTypeName() + "." + coordinates.getFieldName());
                return inner.get(env);
            };
            environment.getCodeRegistry().dataFetcher(coordinates, checked);
            return field;
        }
    }
}
