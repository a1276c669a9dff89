package dev.plugboard.router.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible chat-completions server on a loopback port that speaks the exact wire format
 * (whole answers, {@code chat.completion.chunk} streams with a final usage chunk and {@code [DONE]},
 * {@code {"error":{...}}} bodies) and injects faults scripted per model name: error statuses with
 * {@code Retry-After}, no answer at all, a stream cut before or after its first token, a stall
 * after the first token, malformed JSON. Unscripted calls answer {@code "answer from <model>"}.
 */
public final class FakeOpenAi implements AutoCloseable {

    /** One scripted reply. */
    public sealed interface Reply {
    }

    /** A normal answer with this text. */
    public record Answer(String text) implements Reply {
    }

    /** An error status with an OpenAI error body (and Retry-After when not null). */
    public record Status(int status, String code, String message, String retryAfter) implements Reply {
    }

    /** No headers until the server closes: a model that never answers. */
    public record Hang() implements Reply {
    }

    /** Stream headers, then the connection ends before any chunk. */
    public record CutBeforeFirstToken() implements Reply {
    }

    /** Stream: the role chunk and this many content chunks, then the connection ends without [DONE]. */
    public record CutAfter(int contentChunks) implements Reply {
    }

    /** Stream: the first content chunk, then nothing until the server closes. */
    public record StallAfterFirstToken() implements Reply {
    }

    /**
     * Headers, then nothing until the server closes: for a stream, the role chunk without a first token;
     * for a whole answer, headers announcing a body that never comes.
     */
    public record SlowFirstToken() implements Reply {
    }

    /**
     * A whole answer whose body stops half way (its announced length is not reached) and the connection
     * closes; for a stream, as {@link CutAfter} with one content chunk.
     */
    public record BodyCut() implements Reply {
    }

    /**
     * Stream: the role chunk and a first content chunk, then waits until {@code release} is counted
     * down before it sends the rest of {@code text} and {@code [DONE]}.
     */
    public record Gated(String text, CountDownLatch release) implements Reply {
    }

    /** A body (or stream chunk) that is not JSON. */
    public record Malformed() implements Reply {
    }

    /** An answer without {@code usage} anywhere (some servers send none). */
    public record NoUsage(String text) implements Reply {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final Map<String, Deque<Reply>> scripts = new HashMap<>();
    private final List<ObjectNode> requests = new ArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    /** Starts on a free loopback port. */
    public FakeOpenAi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.createContext("/v1/models", ex -> send(ex, 200, "{\"object\":\"list\",\"data\":[]}"));
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /** The base URL to configure ({@code http://127.0.0.1:port/v1}). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Queues replies for calls naming this upstream model, in order. */
    public synchronized FakeOpenAi script(String model, Reply... replies) {
        scripts.computeIfAbsent(model, m -> new ArrayDeque<>()).addAll(List.of(replies));
        return this;
    }

    /** Every request received, in order. */
    public synchronized List<ObjectNode> requests() {
        return List.copyOf(requests);
    }

    /** The requests that named a model. */
    public synchronized List<ObjectNode> requests(String model) {
        return requests.stream().filter(r -> r.path("model").asText().equals(model)).toList();
    }

    private synchronized Reply next(String model) {
        Deque<Reply> q = scripts.get(model);
        return q == null || q.isEmpty() ? new Answer("answer from " + model) : q.poll();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body;
            try {
                body = mapper.readTree(ex.getRequestBody());
            } catch (IOException e) {
                send(ex, 400, error("invalid_request_error", null, "We could not parse the JSON body of your request."));
                return;
            }
            String model = body.path("model").asText();
            synchronized (this) {
                requests.add((ObjectNode) body);
            }
            boolean stream = body.path("stream").asBoolean(false);
            boolean usage = body.path("stream_options").path("include_usage").asBoolean(false);
            Reply reply = next(model);
            switch (reply) {
                case Status s -> {
                    if (s.retryAfter() != null) {
                        ex.getResponseHeaders().set("Retry-After", s.retryAfter());
                    }
                    send(ex, s.status(), error(s.status() == 429 ? "rate_limit_error" : s.status() >= 500 ? "server_error"
                            : "invalid_request_error", s.code(), s.message()));
                }
                case Hang h -> awaitClose();
                case Malformed m -> {
                    if (stream) {
                        startStream(ex);
                        write(ex, "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"delta\":{\"content\":\"trunc\n\n");
                    } else {
                        send(ex, 200, "{\"id\":\"chatcmpl-1\",\"choices\":[");
                    }
                }
                case CutBeforeFirstToken c -> {
                    startStream(ex);
                    ex.getResponseBody().flush();
                }
                case CutAfter c -> {
                    startStream(ex);
                    write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
                    for (int i = 0; i < c.contentChunks(); i++) {
                        write(ex, chunk(model, "{\"content\":\"part" + i + " \"}", null));
                    }
                }
                case StallAfterFirstToken s -> {
                    startStream(ex);
                    write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
                    write(ex, chunk(model, "{\"content\":\"first \"}", null));
                    awaitClose();
                }
                case SlowFirstToken f -> {
                    if (stream) {
                        startStream(ex);
                        write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
                    } else {
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.sendResponseHeaders(200, 200);
                        ex.getResponseBody().flush();
                    }
                    awaitClose();
                }
                case BodyCut c -> {
                    if (stream) {
                        startStream(ex);
                        write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
                        write(ex, chunk(model, "{\"content\":\"part0 \"}", null));
                    } else {
                        byte[] half = ("{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion\",\"model\":\"" + model
                                + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"half an ")
                                .getBytes(StandardCharsets.UTF_8);
                        ex.getResponseHeaders().set("Content-Type", "application/json");
                        ex.sendResponseHeaders(200, half.length * 2L);
                        ex.getResponseBody().write(half);
                        ex.getResponseBody().flush();
                    }
                }
                case Gated g -> {
                    startStream(ex);
                    write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
                    write(ex, chunk(model, "{\"content\":\"first \"}", null));
                    try {
                        if (!g.release().await(60, TimeUnit.SECONDS)) {
                            return; // never released: the connection ends without [DONE]
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    write(ex, chunk(model, "{\"content\":" + mapper.writeValueAsString(g.text()) + "}", null));
                    write(ex, chunk(model, "{}", "\"stop\""));
                    write(ex, "data: [DONE]\n\n");
                }
                case Answer a -> answer(ex, model, a.text(), stream, usage, true);
                case NoUsage n -> answer(ex, model, n.text(), stream, usage, false);
            }
        }
    }

    private void answer(HttpExchange ex, String model, String text, boolean stream, boolean usage, boolean withUsage)
            throws IOException {
        int prompt = 11;
        int completion = Math.max(1, text.split("\\s+").length);
        String usageJson = "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":"
                + (prompt + completion) + ",\"prompt_tokens_details\":{\"cached_tokens\":0}}";
        if (!stream) {
            ObjectNode out = mapper.createObjectNode();
            out.put("id", "chatcmpl-fake");
            out.put("object", "chat.completion");
            out.put("created", 1_700_000_000L);
            out.put("model", model);
            ObjectNode choice = out.putArray("choices").addObject();
            choice.put("index", 0);
            choice.putObject("message").put("role", "assistant").put("content", text);
            choice.put("finish_reason", "stop");
            if (withUsage) {
                out.set("usage", mapper.readTree(usageJson));
            }
            send(ex, 200, out.toString());
            return;
        }
        startStream(ex);
        write(ex, chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        String[] words = text.split("(?<= )");
        for (String w : words) {
            write(ex, chunk(model, "{\"content\":" + mapper.writeValueAsString(w) + "}", null));
        }
        write(ex, chunk(model, "{}", "\"stop\""));
        if (usage && withUsage) {
            write(ex, "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                    + model + "\",\"choices\":[],\"usage\":" + usageJson + "}\n\n");
        }
        write(ex, "data: [DONE]\n\n");
    }

    private static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\""
                + model + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
    }

    private String error(String type, String code, String message) {
        ObjectNode out = mapper.createObjectNode();
        ObjectNode e = out.putObject("error");
        e.put("message", message);
        e.put("type", type);
        e.putNull("param");
        if (code == null) {
            e.putNull("code");
        } else {
            e.put("code", code);
        }
        return out.toString();
    }

    private static void startStream(HttpExchange ex) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/event-stream");
        ex.sendResponseHeaders(200, 0);
    }

    private static void write(HttpExchange ex, String text) throws IOException {
        OutputStream out = ex.getResponseBody();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private void awaitClose() {
        try {
            closing.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
    }
}
