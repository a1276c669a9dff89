package dev.plugboard.tests.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A GraphQL client over real HTTP (GraphQL over HTTP) and real WebSockets (graphql-transport-ws). */
final class GraphqlClient {

    static final ObjectMapper JSON = new ObjectMapper();

    final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    GraphqlClient(int port) {
        this.endpoint = URI.create("http://127.0.0.1:" + port + "/graphql");
    }

    /** The status, content type and parsed body of one answer. */
    record Answer(int status, String contentType, JsonNode body, HttpResponse<String> raw) {
        JsonNode data(String pointer) {
            return body.at("/data" + pointer);
        }

        String code() {
            return body.at("/errors/0/extensions/code").asText();
        }
    }

    Answer post(String query) throws Exception {
        return post(query, Map.of(), null);
    }

    Answer post(String query, Map<String, ?> variables, String authorization) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        body.set("variables", JSON.valueToTree(variables));
        return send(HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Accept", "application/json"), body.toString(), authorization);
    }

    Answer send(HttpRequest.Builder builder, String body, String authorization) throws Exception {
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return answer(http.send(builder.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    Answer get(String query, String accept) throws Exception {
        URI uri = URI.create(endpoint + "?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        return answer(http.send(HttpRequest.newBuilder(uri).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> raw(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static Answer answer(HttpResponse<String> response) throws IOException {
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode body = type.contains("json") ? JSON.readTree(response.body()) : JSON.missingNode();
        return new Answer(response.statusCode(), type, body, response);
    }

    /** Opens a WebSocket that offers the graphql-transport-ws subprotocol. */
    Socket socket(Map<String, String> headers) {
        Socket socket = new Socket();
        WebSocket.Builder builder = http.newWebSocketBuilder().subprotocols("graphql-transport-ws")
                .connectTimeout(Duration.ofSeconds(10));
        headers.forEach(builder::header);
        socket.ws = builder.buildAsync(URI.create("ws://127.0.0.1:" + endpoint.getPort() + "/graphql"), socket).join();
        return socket;
    }

    /** One graphql-transport-ws connection: messages received in order, and how it closed. */
    static final class Socket implements WebSocket.Listener {
        final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        void send(String json) {
            ws.sendText(json, true).join();
        }

        void send(ObjectNode message) {
            send(message.toString());
        }

        void init() throws InterruptedException {
            send("{\"type\":\"connection_init\"}");
            JsonNode ack = next();
            if (!"connection_ack".equals(ack.path("type").asText())) {
                throw new AssertionError("expected connection_ack, got " + ack);
            }
        }

        void subscribe(String id, String query) {
            ObjectNode message = JSON.createObjectNode().put("id", id).put("type", "subscribe");
            message.putObject("payload").put("query", query);
            send(message);
        }

        /** The next message, waiting up to 30 s. */
        JsonNode next() throws InterruptedException {
            JsonNode message = messages.poll(30, TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("no message within 30 s");
            }
            return message;
        }

        /** The close code the server sent, waiting up to 30 s. */
        int closeCode() throws Exception {
            return closed.get(30, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (IOException e) {
                    messages.add(JSON.createObjectNode().put("unparsable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
