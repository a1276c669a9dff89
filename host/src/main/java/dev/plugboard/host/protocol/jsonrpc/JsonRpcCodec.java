package dev.plugboard.host.protocol.jsonrpc;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
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
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and writes JSON-RPC 2.0 messages, in both the server and the client role.
 *
 * <p>Thread-safe. Decoding reports unreadable JSON as {@link ErrorCodes#PARSE_ERROR}, JSON that is
 * not a single JSON-RPC message as {@link ErrorCodes#INVALID_REQUEST}, and params of the wrong shape
 * as {@link ErrorCodes#INVALID_PARAMS}, always in plain words that name the JSON field at fault.
 * Encoding for a peer ({@link #encodeForPeer}, {@link #encodeResponse}) is bounded: a message larger
 * than the limit, or one that cannot be written as JSON at all, never reaches the wire half-written.
 */
public final class JsonRpcCodec {

    private static final Logger LOG = Logger.getLogger(JsonRpcCodec.class.getName());
    private static final String VERSION = "2.0";
    /** The default limit of a message sent to a peer: 8 MiB. */
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 8L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final long maxMessageBytes;
    private final ObjectMapper paramsMapper;

    /** A codec with Plugboard's JSON settings. */
    public JsonRpcCodec() {
        this(newMapper());
    }

    /** A codec writing and reading with the given mapper. */
    public JsonRpcCodec(ObjectMapper mapper) {
        this(mapper, DEFAULT_MAX_MESSAGE_BYTES);
    }

    /**
     * A codec writing and reading with the given mapper, sending peers no message larger than the limit.
     *
     * @param maxMessageBytes the largest message {@link #encodeForPeer} and {@link #encodeResponse} write
     */
    public JsonRpcCodec(ObjectMapper mapper, long maxMessageBytes) {
        this.mapper = mapper;
        this.maxMessageBytes = maxMessageBytes;
        // Params are read strictly: a number or boolean where the protocol wants a string is refused
        // rather than turned into text.
        this.paramsMapper = mapper.copy();
        paramsMapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    }

    /** The largest message sent to a peer, in bytes. */
    public long maxMessageBytes() {
        return maxMessageBytes;
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
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_NULL))
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

    /**
     * Serialises a response for a peer, counting bytes as they are written and stopping at the limit.
     *
     * @throws McpException {@link ErrorCodes#INTERNAL_ERROR} with a plain message when the response is
     *     larger than the limit or cannot be written as JSON (nested too deeply, a value the JSON
     *     settings refuse); the failure is logged here, in one line
     */
    public byte[] encodeResponse(JsonRpcResponse response) {
        BoundedBuffer out = new BoundedBuffer(maxMessageBytes);
        try {
            writeOrThrow(response, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String reason = reason(e);
            LOG.warning(() -> "The response to request " + response.id() + " cannot be sent: " + reason
                    + "; answered with error " + ErrorCodes.INTERNAL_ERROR);
            LOG.log(Level.FINE, "Encoding the response failed", e);
            throw new McpException(ErrorCodes.INTERNAL_ERROR, "Internal error: the result cannot be sent: " + reason);
        }
    }

    /**
     * Serialises a message for a peer, within the limit. A response that cannot be sent (see
     * {@link #encodeResponse}) becomes an {@link ErrorCodes#INTERNAL_ERROR} response with the same id;
     * any other message that cannot be sent is dropped: the result is null. Either is logged once.
     */
    public byte[] encodeForPeer(JsonRpcMessage message) {
        if (message instanceof JsonRpcResponse response) {
            try {
                return encodeResponse(response);
            } catch (McpException e) {
                return encode(e.toResponse(response.id()));
            }
        }
        BoundedBuffer out = new BoundedBuffer(maxMessageBytes);
        try {
            writeOrThrow(message, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException | StackOverflowError e) {
            String what = message instanceof JsonRpcNotification n ? "notification " + n.method()
                    : "request " + ((JsonRpcRequest) message).method();
            String reason = reason(e);
            LOG.warning(() -> "The " + what + " cannot be sent and was dropped: " + reason);
            LOG.log(Level.FINE, "Encoding a message failed", e);
            return null;
        }
    }

    /** Why a message could not be written, in words for clients and the log. */
    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BoundedBuffer.TooLarge) {
                return "it is larger than the server's limit of " + maxMessageBytes + " bytes (mcp.maxResultBytes)";
            }
            if (t instanceof StreamConstraintsException || t instanceof StackOverflowError) {
                return "it is nested too deeply to be written as JSON";
            }
        }
        return "it cannot be written as JSON";
    }

    /** Serialises a message to a stream, without closing it. */
    public void write(JsonRpcMessage message, OutputStream out) {
        try {
            writeOrThrow(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeOrThrow(JsonRpcMessage message, OutputStream out) throws IOException {
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("jsonrpc", VERSION);
            switch (message) {
                case JsonRpcRequest r -> {
                    writeId(g, r.id());
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
                    writeId(g, r.id());
                    writeField(g, "result", r.result());
                }
                case JsonRpcError e -> {
                    if (!e.id().isNull()) {
                        writeId(g, e.id());
                    }
                    writeField(g, "error", e.error());
                }
            }
            g.writeEndObject();
        }
    }

    /**
     * An id is a string or a whole number nearly always: written straight to the generator, without the
     * serializer set-up that {@code ObjectMapper.writeValue} makes for every value.
     */
    private void writeId(JsonGenerator g, JsonNode id) throws IOException {
        if (id != null && id.isTextual()) {
            g.writeFieldName("id");
            g.writeString(id.textValue());
        } else if (id != null && id.isIntegralNumber() && id.canConvertToLong()) {
            g.writeFieldName("id");
            g.writeNumber(id.longValue());
        } else {
            writeField(g, "id", id);
        }
    }

    private void writeField(JsonGenerator g, String name, Object value) throws IOException {
        g.writeFieldName(name);
        mapper.writeValue(g, value);
    }

    /** Collects bytes up to a limit, and fails the write that would pass it. */
    private static final class BoundedBuffer extends ByteArrayOutputStream {

        /** Thrown past the limit; carries no stack trace. */
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge() {
                super("the limit was reached");
            }

            @Override
            public synchronized Throwable fillInStackTrace() {
                return this;
            }
        }

        private final long limit;

        BoundedBuffer(long limit) {
            super(256);
            this.limit = limit;
        }

        @Override
        public void write(int b) {
            if (count + 1L > limit) {
                throw new UncheckedIOException(new TooLarge());
            }
            super.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + (long) len > limit) {
                throw new UncheckedIOException(new TooLarge());
            }
            super.write(b, off, len);
        }
    }

    private static McpException invalid(String message) {
        return new McpException(ErrorCodes.INVALID_REQUEST, "Invalid request: " + message);
    }
}
