package dev.plugboard.host.schema;

import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.OutputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON Schema library (networknt json-schema-validator), set up once per process. Setting it up
 * takes a moment (hundreds of milliseconds on a busy machine), so it starts on its own thread at the
 * first check, not at the host's start, and a check waits for it only when the quick acceptance
 * cannot decide.
 *
 * <p>Nothing is loaded from outside a schema: a {@code $ref} to another document, on the network, on
 * disk or on the class path, does not resolve.
 */
final class SchemaLibrary {

    /** The library as configured: the registry and how one check runs. */
    private record Setup(SchemaRegistry registry, ExecutionConfig limits) {
    }

    private static final CompletableFuture<Setup> SETUP = CompletableFuture.supplyAsync(SchemaLibrary::setUp,
            task -> Thread.ofPlatform().daemon().name("schema-library-setup").start(task));

    private SchemaLibrary() {
    }

    /** Starts setting the library up, if it has not started yet; returns at once. */
    static void start() {
        // Using the class starts SETUP.
    }

    /**
     * The library's compiled form of a schema.
     *
     * @throws RuntimeException when the schema cannot be compiled or its references do not resolve
     */
    static Schema compile(JsonNode root) {
        if (root instanceof ObjectNode object && object.has("$schema")
                && SpecificationVersion.fromSchemaNode(object).isEmpty()) {
            // A dialect this library does not know would be fetched: check with 2020-12 instead.
            object.remove("$schema");
        }
        Schema schema = SETUP.join().registry().getSchema(root);
        schema.initializeValidators();
        return schema;
    }

    /** A context for one check: bounded evaluation steps and nesting of schemas; {@code format} not asserted. */
    static ExecutionContext newContext() {
        return new ExecutionContext(SETUP.join().limits());
    }

    private static Setup setUp() {
        SchemaRegistry registry = SchemaRegistry.builder()
                .defaultDialectId(SpecificationVersion.DRAFT_2020_12.getDialectId())
                .dialectRegistry(new BasicDialectRegistry(Stream.of(Dialects.getDraft4(), Dialects.getDraft6(),
                                Dialects.getDraft7(), Dialects.getDraft201909(), Dialects.getDraft202012())
                        // Upstream schemas carry their own keywords ("x-..."): annotations, not a warning each.
                        .map(d -> Dialect.builder(d).unknownKeywordFactory((k, c) -> new AnnotationKeyword(k)).build())
                        .toList()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .regularExpressionFactory(new BoundedPatterns())
                        // As 2020-12 defines it, for every draft: the earlier ones left it to the validator.
                        .formatAssertionsEnabled(false)
                        .preloadSchema(true)
                        .build())
                .schemaLoader(loader -> loader.fetchRemoteResources(false).block(iri -> true))
                .schemaCacheEnabled(false)
                .build();
        ExecutionConfig limits = ExecutionConfig.builder()
                .maxEvaluationSteps(1_000_000)
                .maxEvaluationDepth(256)
                .formatAssertionsEnabled(false)
                .build();
        // Compile and run one schema, so that the first real check finds the library's classes loaded.
        Schema warm = registry.getSchema(JsonNodeFactory.instance.objectNode().put("type", "object"));
        warm.validate(new ExecutionContext(limits), JsonNodeFactory.instance.objectNode(), OutputFormat.DEFAULT);
        return new Setup(registry, limits);
    }
}
