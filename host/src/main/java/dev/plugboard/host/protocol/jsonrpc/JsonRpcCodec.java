package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Reads and writes JSON-RPC 2.0 messages, in both the server and the client role.
 *
 * <p>Thread-safe. Decoding reports unreadable JSON as {@link ErrorCodes#PARSE_ERROR}, JSON that is
 * not a single JSON-RPC message as {@link ErrorCodes#INVALID_REQUEST}, and params of the wrong shape
 * as {@link ErrorCodes#INVALID_PARAMS}, always in plain words that name the JSON field at fault.
 */
public final class JsonRpcCodec {

    private static final String VERSION = "2.0";

    private final ObjectMapper mapper;
    private final ObjectMapper paramsMapper;

    /** A codec with Plugboard's JSON settings. */
    public JsonRpcCodec() {
        this(newMapper());
    }

    /** A codec writing and reading with the given mapper. */
    public JsonRpcCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        // Params are read strictly: a number or boolean where the protocol wants a string is refused
        // rather than turned into text.
        this.paramsMapper = mapper.copy();
        paramsMapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /**
     * The JSON settings used on the wire: absent values are omitted, dates are ISO-8601 strings,
     * unknown properties are ignored, duplicate keys are rejected.
     */
    public static ObjectMapper newMapper() {
        // Requests run on virtual threads, which would defeat Jackson's default per-thread buffer
        // pool (a fresh 8 KB of buffers for every message); a shared pool reuses them.
        JsonFactory factory = JsonFactory.builder()
                .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(200).build())
                .build();
        JsonMapper mapper = JsonMapper.builder(factory)
                .addModule(new Jdk8Module())
                .addModule(new JavaTimeModule())
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .build();
        return mapper;
    }

    /** The mapper used for payloads. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /**
     * Parses one message.
     *
     * @throws McpException with {@link ErrorCodes#PARSE_ERROR} or {@link ErrorCodes#INVALID_REQUEST}
     */
    public JsonRpcMessage decode(byte[] json) {
        return decode(readTree(json));
    }

    /** Parses JSON text into a tree, reporting unreadable input as a parse error. */
    public JsonNode readTree(byte[] json) {
        try {
            JsonNode tree = mapper.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new McpException(ErrorCodes.PARSE_ERROR, "Parse error: the body is empty");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new McpException(ErrorCodes.PARSE_ERROR, "Parse error: " + DecodingErrors.describeParse(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads params, or part of them, into a protocol record.
     *
     * @param node the JSON value, or null
     * @param type the record to read
     * @param path the JSON path of the value, such as {@code params} or
     *     {@code params._meta.io.modelcontextprotocol/clientInfo}, used in the error message
     * @return the value, or null when the node is null or JSON null
     * @throws McpException with {@link ErrorCodes#INVALID_PARAMS} naming the field at fault
     */
    public <T> T readParams(JsonNode node, Class<T> type, String path) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        try {
            return paramsMapper.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw McpException.invalidParams("Invalid params: " + DecodingErrors.describe(e, path));
        } catch (IllegalArgumentException e) {
            throw McpException.invalidParams("Invalid params: " + path + " cannot be read");
        }
    }

    /**
     * Interprets a JSON tree as one message.
     *
     * @throws McpException with {@link ErrorCodes#INVALID_REQUEST} when it is not one
     */
    public JsonRpcMessage decode(JsonNode tree) {
        if (tree.isArray()) {
            throw invalid("JSON-RPC batches are not supported; send one message per request");
        }
        if (!tree.isObject()) {
            throw invalid("a JSON-RPC message must be a JSON object");
        }
        if (!VERSION.equals(tree.path("jsonrpc").asText(null)) || !tree.path("jsonrpc").isTextual()) {
            throw invalid("\"jsonrpc\" must be \"2.0\"");
        }
        JsonNode id = tree.get("id");
        JsonNode method = tree.get("method");
        if (method != null) {
            if (!method.isTextual() || method.asText().isEmpty()) {
                throw invalid("\"method\" must be a non-empty string");
            }
            JsonNode params = tree.get("params");
            if (params != null && !params.isObject()) {
                throw invalid("\"params\" must be an object");
            }
            if (id == null) {
                return new JsonRpcNotification(method.asText(), params);
            }
            if (!(id.isTextual() || id.isIntegralNumber())) {
                throw invalid("\"id\" must be a string or an integer");
            }
            return new JsonRpcRequest(id, method.asText(), params);
        }
        if (id == null || !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
            throw invalid("a message without \"method\" must be a response with a string or integer \"id\"");
        }
        JsonNode result = tree.get("result");
        JsonNode error = tree.get("error");
        if ((result == null) == (error == null)) {
            throw invalid("a response must have exactly one of \"result\" and \"error\"");
        }
        if (result != null) {
            return new JsonRpcResult(id, result);
        }
        if (!error.isObject() || !error.path("code").isIntegralNumber() || !error.path("message").isTextual()) {
            throw invalid("\"error\" must be an object with an integer \"code\" and a string \"message\"");
        }
        return new JsonRpcError(id, new JsonRpcError.Detail(error.get("code").asInt(),
                error.get("message").asText(), error.get("data")));
    }

    /** Serialises a message to UTF-8 JSON. */
    public byte[] encode(JsonRpcMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(message, out);
        return out.toByteArray();
    }

    /** Serialises a message to a stream, without closing it. */
    public void write(JsonRpcMessage message, OutputStream out) {
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", VERSION);
            switch (message) {
                case JsonRpcRequest r -> {
                    writeField(g, "id", r.id());
                    g.writeStringField("method", r.method());
                    if (r.params() != null) {
                        writeField(g, "params", r.params());
                    }
                }
                case JsonRpcNotification n -> {
                    g.writeStringField("method", n.method());
                    if (n.params() != null) {
                        writeField(g, "params", n.params());
                    }
                }
                case JsonRpcResult r -> {
                    writeField(g, "id", r.id());
                    writeField(g, "result", r.result());
                }
                case JsonRpcError e -> {
                    if (!e.id().isNull()) {
                        writeField(g, "id", e.id());
                    }
                    writeField(g, "error", e.error());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeField(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        mapper.writeValue(g, value);
    }

    private static McpException invalid(String message) {
        return new McpException(ErrorCodes.INVALID_REQUEST, "Invalid request: " + message);
    }
}
