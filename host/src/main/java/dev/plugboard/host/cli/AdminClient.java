package dev.plugboard.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A client of a running host's admin REST API ({@code /api/v1/modules}, {@code /api/v1/config}),
 * presenting the admin key as a bearer token. Every failure becomes an {@link AdminException} whose
 * message is one line for the user: a problem document's {@code title: detail}, or why the server
 * could not be reached.
 */
final class AdminClient {

    /** A request that did not succeed; the message is what to print. */
    static final class AdminException extends Exception {
        private static final long serialVersionUID = 1L;

        AdminException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(2);

    private final URI base;
    private final String key;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param base the server's root URL, such as {@code http://127.0.0.1:8080}
     * @param key the admin key
     */
    AdminClient(URI base, String key) {
        String root = base.toString();
        this.base = URI.create(root.endsWith("/") ? root.substring(0, root.length() - 1) : root);
        this.key = key;
        // HTTP/1.1, which is what the server speaks: no upgrade offer to send and have ignored
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    /** GET path: the JSON answer. */
    JsonNode get(String path) throws AdminException {
        return send(request(path).GET());
    }

    /** POST path without a body. */
    JsonNode post(String path) throws AdminException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** DELETE path. */
    JsonNode delete(String path) throws AdminException {
        return send(request(path).DELETE());
    }

    /** POST or PUT of a jar, as {@code application/java-archive}. */
    JsonNode upload(String method, String path, byte[] jar) throws AdminException {
        return send(request(path).header("Content-Type", "application/java-archive")
                .method(method, HttpRequest.BodyPublishers.ofByteArray(jar)));
    }

    /** PUT of a JSON document. */
    JsonNode put(String path, JsonNode body) throws AdminException {
        try {
            return send(request(path).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AdminException("cannot write the request: " + e.getOriginalMessage());
        }
    }

    /** The JSON codec, for building bodies. */
    ObjectMapper json() {
        return json;
    }

    /** A path segment, percent-encoded. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + key)
                .header("Accept", "application/json, application/problem+json");
    }

    private JsonNode send(HttpRequest.Builder builder) throws AdminException {
        HttpRequest request = builder.build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new AdminException("no Plugboard answers at " + base + " (is it running? start it with plugboard serve, "
                    + "or give its address with --url)");
        } catch (HttpTimeoutException e) {
            throw new AdminException(base + " did not answer in time");
        } catch (IOException e) {
            throw new AdminException("the request to " + base + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted");
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() / 100 == 2) {
            return body;
        }
        throw new AdminException(problem(response.statusCode(), body, request));
    }

    private JsonNode parse(byte[] body) {
        if (body.length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return json.getNodeFactory().textNode(new String(body, StandardCharsets.UTF_8).strip());
        }
    }

    private String problem(int status, JsonNode body, HttpRequest request) {
        String title = body.path("title").asText("");
        String detail = body.path("detail").asText("");
        String message;
        if (!title.isEmpty() || !detail.isEmpty()) {
            message = title.isEmpty() ? detail : detail.isEmpty() ? title : title + ": " + detail;
        } else if (status == 404 && body.isNull()) {
            message = "Not Found: " + request.uri().getPath() + " (is " + base + " a Plugboard with the admin API?)";
        } else {
            String text = body.isTextual() ? body.asText() : body.isNull() ? "" : body.toString();
            message = "HTTP " + status + (text.isEmpty() ? "" : ": " + firstLine(text));
        }
        if (status == 401) {
            message += " (the admin key is in the server's <data>/admin.key; give it with --key-file)";
        }
        return message;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        String line = nl < 0 ? text : text.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
