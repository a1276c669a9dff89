package dev.plugboard.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The console's only way to act: the host's own REST API over loopback HTTP, sent with the logged-in
 * user's credential, so the host's rights, limits and audit log apply to every console action exactly as
 * to any other client. Thread-safe.
 */
public final class HostApi {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final ObjectMapper json;

    public HostApi(ObjectMapper json) {
        this.json = json;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The JSON mapper answers are read with. */
    public ObjectMapper json() {
        return json;
    }

    /** Encodes one query parameter value. */
    public static String query(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** A GET of {@code path} (starting with {@code /}) on the host at {@code base}. */
    public Answer get(URI base, String credential, String path) {
        return send(base, credential, "GET", path, null, HttpRequest.BodyPublishers.noBody());
    }

    /** A request with a JSON body. */
    public Answer sendJson(URI base, String credential, String method, String path, JsonNode body) {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body == null ? json.createObjectNode() : body);
        } catch (IOException e) {
            return Answer.failure("the request could not be written as JSON");
        }
        return send(base, credential, method, path, "application/json", HttpRequest.BodyPublishers.ofByteArray(bytes));
    }

    /** A request whose body is streamed from {@code body} with the given content type. */
    public Answer sendStream(URI base, String credential, String method, String path, String contentType,
            Supplier<InputStream> body) {
        return send(base, credential, method, path, contentType, HttpRequest.BodyPublishers.ofInputStream(body));
    }

    /** A request without a body (POST, DELETE). */
    public Answer sendEmpty(URI base, String credential, String method, String path) {
        return send(base, credential, method, path, null, HttpRequest.BodyPublishers.noBody());
    }

    /** A GET answering plain text (such as {@code /metrics}); null when it fails. */
    public String text(URI base, String credential, String path) {
        HttpRequest.Builder request = request(base, credential, path).GET();
        try {
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Answer send(URI base, String credential, String method, String path, String contentType,
            HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = request(base, credential, path).method(method, body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode parsed = NullNode.getInstance();
            if (answer.body().length > 0) {
                try {
                    parsed = json.readTree(answer.body());
                } catch (IOException e) {
                    parsed = NullNode.getInstance();
                }
            }
            return new Answer(answer.statusCode(), parsed);
        } catch (IOException e) {
            return Answer.failure("the host's API could not be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failure("the request was interrupted");
        }
    }

    private static HttpRequest.Builder request(URI base, String credential, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/json");
        if (credential != null) {
            request.header("Authorization", "Bearer " + credential);
        }
        return request;
    }

    /**
     * One answer of the API.
     *
     * @param status the HTTP status, or 0 when the API could not be reached
     * @param body the JSON body, or a {@code NullNode}
     */
    public record Answer(int status, JsonNode body) {

        /** An answer made by the console itself, refusing a request it need not send (status 400). */
        public static Answer refusal(String detail) {
            return new Answer(400, new ObjectMapper().createObjectNode().put("detail", detail));
        }

        static Answer failure(String detail) {
            return new Answer(0, new ObjectMapper().createObjectNode().put("detail", detail));
        }

        /** Whether the status is 2xx. */
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** A sentence for a person: the problem document's detail (or title), or the status. */
        public String problem() {
            String detail = body.path("detail").asText("");
            if (!detail.isEmpty()) {
                return detail;
            }
            String title = body.path("title").asText("");
            return title.isEmpty() ? "the API answered " + status : title;
        }
    }
}
