package dev.plugboard.bench.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's connection against the JDK's HTTP server on loopback. */
class HttpConnectionTest {

    private HttpServer server;
    private URI base;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/fixed", x -> {
            byte[] body = x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(200, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.createContext("/chunked", x -> {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                out.write("event: message\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("data: {\"id\":1}\n\n".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/close", x -> {
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().add("Connection", "close");
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        server.setExecutor(null);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static byte[] head(String path, int length) {
        return ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void readsFixedLengthAndChunkedBodiesOnOneConnection() throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            byte[] body = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3; i++) {
                HttpConnection.Response fixed = c.exchange(head("/fixed", body.length), body);
                assertThat(fixed.status()).isEqualTo(200);
                assertThat(fixed.text()).isEqualTo("{\"x\":1}");
                assertThat(fixed.headers()).containsEntry("content-type", "application/json");
                HttpConnection.Response chunked = c.exchange(head("/chunked", 0), new byte[0]);
                assertThat(chunked.text()).isEqualTo("event: message\ndata: {\"id\":1}\n\n");
            }
        }
    }

    @Test
    void reconnectsAfterTheServerClosesTheConnection() throws IOException {
        try (HttpConnection c = new HttpConnection(base)) {
            assertThat(c.exchange(head("/close", 0), new byte[0]).status()).isEqualTo(404);
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            assertThat(c.exchange(head("/fixed", body.length), body).text()).isEqualTo("{}");
        }
    }
}
