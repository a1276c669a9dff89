package dev.plugboard.host.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Schemas prepared once and kept while they are in use: by the identity of the schema node (a
 * tool's descriptor holds the same node for its lifetime; the entry goes with it), and by content
 * for callers that parse the same schema again (a bounded number of those).
 *
 * <p>A schema that the library cannot compile or resolve is logged once and its values are not
 * checked.
 */
final class CompiledSchemas {

    private static final Logger LOG = Logger.getLogger(CompiledSchemas.class.getName());
    private static final int MAX_BY_CONTENT = 512;

    /**
     * One schema's checks: the quick acceptance (null when the schema is beyond it) and the library's
     * form, compiled on first need.
     */
    static final class Compiled {

        private final QuickAccept quick;
        private final JsonNode source;
        private volatile Full full;

        Compiled(JsonNode source) {
            this.source = source;
            this.quick = QuickAccept.of(source);
        }

        QuickAccept quick() {
            return quick;
        }

        /** The library's form; compiles it on first use (waiting for the library if it is still setting up). */
        Full full() {
            Full f = full;
            if (f == null) {
                synchronized (this) {
                    f = full;
                    if (f == null) {
                        f = compile(source);
                        full = f;
                    }
                }
            }
            return f;
        }

        /** Stops checking with this schema, which failed while it ran (a reference that does not resolve). */
        void disable(String reason) {
            unusable(reason);
            full = new Full(null, null);
        }
    }

    /**
     * The library's form of a schema, or none when it cannot be used.
     *
     * @param schema the compiled schema; null when the schema cannot be used
     * @param root the schema as the library reads it
     */
    record Full(Schema schema, tools.jackson.databind.JsonNode root) {
    }

    private final Map<Object, Compiled> byIdentity = new ConcurrentHashMap<>();
    private final ReferenceQueue<JsonNode> collected = new ReferenceQueue<>();
    private final Map<JsonNode, Compiled> byContent = new ConcurrentHashMap<>();

    /** The prepared form of the schema; prepares it on first use. */
    Compiled get(JsonNode schema) {
        Compiled compiled = byIdentity.get(new Lookup(schema));
        if (compiled != null) {
            return compiled;
        }
        expunge();
        compiled = byContent.get(schema);
        if (compiled == null) {
            JsonNode copy = schema.deepCopy();
            compiled = new Compiled(copy);
            if (byContent.size() >= MAX_BY_CONTENT) {
                byContent.clear();
            }
            byContent.put(copy, compiled);
        }
        byIdentity.put(new Key(schema, collected), compiled);
        return compiled;
    }

    private static Full compile(JsonNode schema) {
        tools.jackson.databind.JsonNode root = JsonTrees.copy(schema).value();
        try {
            return new Full(SchemaLibrary.compile(root), root);
        } catch (RuntimeException | StackOverflowError e) {
            unusable(reason(e));
            return new Full(null, root);
        }
    }

    private static void unusable(String reason) {
        LOG.warning(() -> "A tool's input schema cannot be used to check arguments (" + reason
                + "); its arguments are passed on unchecked");
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
