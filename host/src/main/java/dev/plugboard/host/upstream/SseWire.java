package dev.plugboard.host.upstream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.upstream.UpstreamTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * An upstream server over the HTTP+SSE transport of revision 2024-11-05: a GET opens an event stream
 * whose first {@code endpoint} event names where to POST messages; every answer and every message
 * of the server comes on that one stream. The stream's end is the connection's end.
 */
final class SseWire implements Wire {

    private static final Logger LOG = Logger.getLogger(SseWire.class.getName());

    private final UpstreamTarget.Sse target;
    private final String name;
    private final ObjectMapper mapper;
    private final Duration connectTimeout;
    private final HttpClient client;
    private final CompletableFuture<URI> endpoint = new CompletableFuture<>();
    private volatile InputStream stream;
    private volatile boolean closed;
    private volatile boolean streamEnded;

    SseWire(UpstreamTarget.Sse target, String name, ObjectMapper mapper, Duration connectTimeout) {
        this.target = target;
        this.name = name;
        this.mapper = mapper;
        this.connectTimeout = connectTimeout;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    @Override
    public void open(Inbound inbound) throws IOException {
        // the time limit covers the answer's headers, not the stream that follows
        HttpRequest.Builder get = HttpRequest.newBuilder(target.url()).header("Accept", "text/event-stream")
                .timeout(connectTimeout);
        target.headers().forEach(get::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(get.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while connecting");
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new Failure("its event stream was answered HTTP " + response.statusCode());
        }
        stream = response.body();
        Thread.ofVirtual().name("upstream-" + name + "-sse").start(() -> {
            String why = "its event stream ended";
            try {
                SseReader.read(response.body(), new SseReader.Position(), (event, data) -> {
                    if ("endpoint".equals(event)) {
                        try {
                            endpoint.complete(target.url().resolve(data.trim()));
                        } catch (IllegalArgumentException e) {
                            endpoint.completeExceptionally(new Failure("its endpoint event names no valid address"));
                        }
                    } else if ("message".equals(event)) {
                        try {
                            inbound.received(mapper.readTree(data), null);
                        } catch (IOException e) {
                            LOG.warning(() -> "Upstream " + name + " sent an event that is not JSON");
                        }
                    }
                });
            } catch (Failure e) {
                why = "its event stream failed: " + e.getMessage();
            } catch (IOException e) {
                LOG.fine(() -> "Upstream " + name + ": its event stream failed: " + e);
                why = "its event stream failed";
            } catch (RuntimeException e) {
                // without this the thread would end unseen, and the connection stay open with no stream
                LOG.log(Level.WARNING, "Upstream " + name + ": reading its event stream failed", e);
                why = "its event stream could not be read";
            }
            streamEnded = true;
            endpoint.completeExceptionally(new Failure(why + " before it named its endpoint"));
            if (!closed) {
                inbound.ended(why);
            }
        });
        try {
            URI posts = endpoint.get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!Objects.equals(posts.getScheme(), target.url().getScheme())
                    || !Objects.equals(posts.getAuthority(), target.url().getAuthority())) {
                throw new Failure("its endpoint event names another origin than its event stream's");
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new Failure("its event stream named no endpoint within " + connectTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while connecting");
        }
    }

    /** A POST is answered at once (the answer comes on the event stream), but a stalled server may hold it. */
    @Override
    public boolean sendsAsync() {
        return true;
    }

    @Override
    public void send(Outgoing message) throws IOException {
        if (closed || !endpoint.isDone() || endpoint.isCompletedExceptionally()) {
            throw new Failure("its event stream is not open");
        }
        HttpRequest.Builder post = HttpRequest.newBuilder(endpoint.join()).header("Content-Type", "application/json")
                .timeout(connectTimeout);
        target.headers().forEach(post::header);
        HttpResponse<Void> response;
        try {
            response = client.send(post.POST(HttpRequest.BodyPublishers.ofByteArray(message.bytes())).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while sending");
        }
        if (response.statusCode() / 100 != 2) {
            throw new Failure("the server answered HTTP " + response.statusCode());
        }
    }

    @Override
    public boolean isOpen() {
        return !closed && !streamEnded && stream != null;
    }

    @Override
    public void close() {
        closed = true;
        InputStream s = stream;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // gone either way
            }
        }
        client.shutdownNow();
    }
}
