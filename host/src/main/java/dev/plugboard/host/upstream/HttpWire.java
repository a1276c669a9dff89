package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * An upstream server over Streamable HTTP (2025-11-25): each message is a POST whose answer is JSON
 * or an SSE stream; the session id from the handshake goes with every later request; a GET stream
 * carries what the server sends on its own; a 404 for the session means it expired.
 */
final class HttpWire implements Wire {

    private static final Logger LOG = Logger.getLogger(HttpWire.class.getName());

    private final UpstreamTarget.Http target;
    private final String name;
    private final ObjectMapper mapper;
    private final HttpClient client;
    private Inbound inbound;
    private volatile String sessionId;
    private volatile String protocolVersion;
    private volatile boolean closed;
    private Thread listening;

    HttpWire(UpstreamTarget.Http target, String name, ObjectMapper mapper, Duration connectTimeout) {
        this.target = target;
        this.name = name;
        this.mapper = mapper;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void open(Inbound inbound) {
        this.inbound = inbound;
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.url());
        target.headers().forEach(b::header);
        if (sessionId != null) {
            b.header("Mcp-Session-Id", sessionId);
        }
        if (protocolVersion != null) {
            b.header("MCP-Protocol-Version", protocolVersion);
        }
        return b;
    }

    @Override
    public void send(byte[] message, boolean isRequest) throws IOException {
        if (closed) {
            throw new IOException("the connection is closed");
        }
        boolean initialize = isRequest && sessionId == null;
        HttpRequest post = request().header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending");
        }
        int status = response.statusCode();
        if (sessionId != null && (status == 404 || status == 400 && mentionsSession(response))) {
            sessionId = null;
            throw new SessionExpired();
        }
        if (status == 202 || status == 204) {
            response.body().close();
            return;
        }
        if (status / 100 != 2) {
            response.body().close();
            throw new IOException("the server answered HTTP " + status);
        }
        if (initialize) {
            response.headers().firstValue("Mcp-Session-Id").ifPresent(id -> sessionId = id);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (type.startsWith("text/event-stream")) {
            if (initialize) {
                readEvents(response.body());
            } else {
                Thread.ofVirtual().name("upstream-" + name + "-post").start(() -> readEvents(response.body()));
            }
        } else {
            try (InputStream body = response.body()) {
                byte[] bytes = body.readAllBytes();
                if (bytes.length > 0) {
                    inbound.received(mapper.readTree(bytes));
                }
            }
        }
    }

    /**
     * Whether a 400 answer is about the session: the protocol says 404 for a session the server no
     * longer knows, but some servers (the reference "everything" server among them) answer 400 with
     * an error naming the session.
     */
    private static boolean mentionsSession(HttpResponse<InputStream> response) throws IOException {
        try (InputStream body = response.body()) {
            String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8);
            return text.toLowerCase(java.util.Locale.ROOT).contains("session");
        }
    }

    /** Reads an SSE stream to its end, handing each event's data on as a message. */
    private void readEvents(InputStream stream) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null;) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        deliver(data.toString());
                        data.setLength(0);
                    }
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
            if (!data.isEmpty()) {
                deliver(data.toString());
            }
        } catch (IOException e) {
            if (!closed) {
                LOG.fine(() -> "Upstream " + name + ": a stream ended early: " + e.getMessage());
            }
        }
    }

    private void deliver(String data) {
        try {
            inbound.received(mapper.readTree(data));
        } catch (IOException e) {
            LOG.warning(() -> "Upstream " + name + " sent an event that is not JSON");
        }
    }

    @Override
    public void initialized(String version) {
        this.protocolVersion = version;
        if (listening == null) {
            listening = Thread.ofVirtual().name("upstream-" + name + "-listen").start(this::listen);
        }
    }

    /** Holds the GET stream open while the connection lives (servers that offer none answer 405). */
    private void listen() {
        long backoff = 500;
        while (!closed) {
            try {
                HttpResponse<InputStream> response = client.send(request().header("Accept", "text/event-stream")
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                if (response.statusCode() == 405) {
                    response.body().close();
                    return;
                }
                if (response.statusCode() == 200) {
                    backoff = 500;
                    readEvents(response.body());
                } else {
                    response.body().close();
                }
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": the GET stream failed: " + e.getMessage());
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
            backoff = Math.min(backoff * 2, 30_000);
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void close() {
        closed = true;
        if (listening != null) {
            listening.interrupt();
        }
        if (sessionId != null) {
            try {
                client.send(request().DELETE().timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": ending the session failed: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.shutdownNow(); // close() would wait for the GET stream, which may never end
    }
}
