package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionConfig;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import java.util.stream.Stream;
import tools.jackson.databind.node.ObjectNode;

/**
 * Schemas compiled once and kept while they are in use: by the identity of the schema node (a
 * tool's descriptor holds the same node for its lifetime; the entry goes with it), and by content
 * for callers that parse the same schema again (a bounded number of those).
 *
 * <p>Nothing is loaded from outside the schema: a {@code $ref} to another document, on the network,
 * on disk or on the class path, does not resolve. A schema that cannot be compiled or resolved is
 * logged once and its values are not checked.
 */
final class CompiledSchemas {

    private static final Logger LOG = Logger.getLogger(CompiledSchemas.class.getName());
    private static final int MAX_BY_CONTENT = 512;

    /** How one check runs: bounded evaluation steps and nesting of schemas; {@code format} not asserted. */
    static final ExecutionConfig LIMITS = ExecutionConfig.builder()
            .maxEvaluationSteps(1_000_000)
            .maxEvaluationDepth(256)
            .formatAssertionsEnabled(false)
            .build();

    /**
     * A compiled schema, or none when the schema cannot be used; {@code root} is its copied tree;
     * {@code quick} accepts plain matches without the library, null for schemas beyond it.
     */
    record Compiled(Schema schema, tools.jackson.databind.JsonNode root, QuickAccept quick) {
    }

    private final SchemaRegistry registry = SchemaRegistry.builder()
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
    private final Map<Object, Compiled> byIdentity = new ConcurrentHashMap<>();
    private final ReferenceQueue<JsonNode> collected = new ReferenceQueue<>();
    private final Map<JsonNode, Compiled> byContent = new ConcurrentHashMap<>();

    /** The compiled form of the schema; compiles it on first use. */
    Compiled get(JsonNode schema) {
        Compiled compiled = byIdentity.get(new Lookup(schema));
        if (compiled != null) {
            return compiled;
        }
        expunge();
        compiled = byContent.get(schema);
        if (compiled == null) {
            compiled = compile(schema);
            if (byContent.size() >= MAX_BY_CONTENT) {
                byContent.clear();
            }
            byContent.put(schema.deepCopy(), compiled);
        }
        byIdentity.put(new Key(schema, collected), compiled);
        return compiled;
    }

    /** Forgets a schema whose check failed while it ran (a reference that does not resolve). */
    void disable(JsonNode schema, String reason) {
        Compiled unusable = new Compiled(null, null, null);
        LOG.warning(() -> "A tool's input schema cannot be used to check arguments (" + reason
                + "); its arguments are passed on unchecked");
        byContent.put(schema.deepCopy(), unusable);
        byIdentity.put(new Key(schema, collected), unusable);
    }

    private Compiled compile(JsonNode schema) {
        tools.jackson.databind.JsonNode root = JsonTrees.copy(schema).value();
        if (root instanceof ObjectNode object && object.has("$schema")
                && SpecificationVersion.fromSchemaNode(object).isEmpty()) {
            // A dialect this library does not know would be fetched: check with 2020-12 instead.
            object.remove("$schema");
        }
        try {
            Schema compiled = registry.getSchema(root);
            compiled.initializeValidators();
            return new Compiled(compiled, root, QuickAccept.of(schema));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warning(() -> "A tool's input schema cannot be used to check arguments (" + reason(e)
                    + "); its arguments are passed on unchecked");
            return new Compiled(null, root, null);
        }
    }

    static String reason(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "nested too deeply";
        }
        return e.getMessage() == null ? "not a valid schema" : e.getMessage();
    }

    private void expunge() {
        for (Object gone; (gone = collected.poll()) != null; ) {
            byIdentity.remove(gone);
        }
    }

    /** A schema node held weakly, equal to another key or lookup for the same node. */
    private static final class Key extends WeakReference<JsonNode> {

        private final int hash;

        Key(JsonNode node, ReferenceQueue<JsonNode> queue) {
            super(node, queue);
            this.hash = System.identityHashCode(node);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            JsonNode node = get();
            return node != null && (other instanceof Key k && k.get() == node
                    || other instanceof Lookup l && l.node == node);
        }
    }

    /** The key a lookup uses: no reference object for a call that finds its schema. */
    private record Lookup(JsonNode node) {

        @Override
        public int hashCode() {
            return System.identityHashCode(node);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && k.get() == node || other instanceof Lookup l && l.node == node;
        }
    }
}
