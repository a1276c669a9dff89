package dev.plugboard.host.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.NameTransformer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.RecordComponent;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A result of the stateless revision (2026-07-28) as it goes on the wire: the method's own result,
 * then {@code resultType: complete}, the server's identity in {@code _meta} and, for lists and reads,
 * the caching hints. It is written by streaming the result's fields into the enclosing object, without
 * first turning the result into a tree to add the fields to (bench/profile.md, "Left to do").
 *
 * <p>Only results that are plain records without any of those fields are wrapped ({@link #fits});
 * trees are decorated in place ({@link #decorate}), and so is a record that Jackson writes with a
 * serializer of its own.
 *
 * @param result the method's result
 * @param serverInfo the server's identity, written under {@code _meta}
 * @param ttlMs the {@code ttlMs} hint, or -1 for none
 * @param cacheScope the {@code cacheScope} hint, or null for none
 */
@JsonSerialize(using = StatelessResult.Writer.class)
public record StatelessResult(Object result, ObjectNode serverInfo, long ttlMs, String cacheScope) {

    private static final Set<String> ADDED = Set.of("_meta", "resultType", "ttlMs", "cacheScope");

    private static final ClassValue<Boolean> FITS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (!type.isRecord()) {
                return false;
            }
            for (RecordComponent c : type.getRecordComponents()) {
                if (ADDED.contains(c.getName()) || renames(c.getAccessor())) {
                    return false;
                }
                try {
                    if (renames(type.getDeclaredField(c.getName()))) {
                        return false;
                    }
                } catch (NoSuchFieldException e) {
                    return false;
                }
            }
            return true;
        }
    };

    /** Whether Jackson may write a record component under another name than its own. */
    private static boolean renames(AnnotatedElement e) {
        return e.isAnnotationPresent(JsonProperty.class) || e.isAnnotationPresent(JsonUnwrapped.class);
    }

    /** Whether a result can be written this way: a record whose fields do not clash with the added ones. */
    static boolean fits(Object result) {
        return FITS.get(result.getClass());
    }

    /**
     * Adds the fields to a result that is already a tree: {@code resultType} unless it has one, the
     * server's identity beside what its {@code _meta} holds, and the caching hints if it is complete.
     *
     * @return the same node
     */
    static ObjectNode decorate(ObjectNode node, ObjectNode serverInfo, long ttlMs, String cacheScope) {
        if (!node.has("resultType")) {
            node.put("resultType", "complete");
        }
        node.withObjectProperty("_meta").set("io.modelcontextprotocol/serverInfo", serverInfo);
        if (cacheScope != null && "complete".equals(node.get("resultType").asText())) {
            node.put("ttlMs", ttlMs);
            node.put("cacheScope", cacheScope);
        }
        return node;
    }

    /** The method's own result, whether or not it was wrapped. */
    public static Object unwrap(Object result) {
        return result instanceof StatelessResult s ? s.result() : result;
    }

    /** Writes the wrapper as one JSON object (named by the annotation above; not for other use). */
    public static final class Writer extends StdSerializer<StatelessResult> {

        private static final long serialVersionUID = 1L;

        private final transient Map<Class<?>, JsonSerializer<Object>> fields = new ConcurrentHashMap<>();

        /** Made by Jackson. */
        public Writer() {
            super(StatelessResult.class);
        }

        @Override
        public void serialize(StatelessResult value, JsonGenerator g, SerializerProvider provider) throws IOException {
            Object result = value.result();
            JsonSerializer<Object> unwrapped = fields.get(result.getClass());
            if (unwrapped == null) {
                unwrapped = provider.findValueSerializer(result.getClass()).unwrappingSerializer(NameTransformer.NOP);
                fields.put(result.getClass(), unwrapped);
            }
            if (!unwrapped.isUnwrappingSerializer()) { // a serializer of its own: decorated as a tree
                TokenBuffer buffer = new TokenBuffer(g.getCodec(), false);
                provider.findValueSerializer(result.getClass()).serialize(result, buffer, provider);
                try (JsonParser parsed = buffer.asParser(g.getCodec())) {
                    if (g.getCodec() == null || !(parsed.readValueAsTree() instanceof ObjectNode tree)) {
                        throw JsonMappingException.from(g, "a stateless result must be a JSON object");
                    }
                    g.writeTree(decorate(tree, value.serverInfo(), value.ttlMs(), value.cacheScope()));
                }
                return;
            }
            g.writeStartObject(value);
            unwrapped.serialize(result, g, provider);
            g.writeStringField("resultType", "complete");
            g.writeObjectFieldStart("_meta");
            g.writeFieldName("io.modelcontextprotocol/serverInfo");
            g.writeTree(value.serverInfo());
            g.writeEndObject();
            if (value.cacheScope() != null) {
                g.writeNumberField("ttlMs", value.ttlMs());
                g.writeStringField("cacheScope", value.cacheScope());
            }
            g.writeEndObject();
        }
    }
}
