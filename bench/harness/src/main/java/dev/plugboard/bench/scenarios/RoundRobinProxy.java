package dev.plugboard.bench.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain TCP load balancer on loopback: each new connection goes to the next backend in turn, and
 * its bytes are copied both ways on virtual threads. What a layer-4 balancer in front of several
 * nodes does, so a client's session may be opened on one node and used on another.
 */
final class RoundRobinProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<URI> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final Thread acceptor;

    /** @param backends the MCP endpoints of the nodes (same path on each) */
    RoundRobinProxy(List<URI> backends) throws IOException {
        this.backends = List.copyOf(backends);
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("round-robin-proxy").start(this::accept);
    }

    /** The proxy's MCP endpoint. */
    URI mcp() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + backends.get(0).getRawPath());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                URI backend = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(backend.getHost(), backend.getPort()));
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Thread.ofVirtual().start(() -> pipe(client, upstream));
                Thread.ofVirtual().start(() -> pipe(upstream, client));
            } catch (IOException e) {
                // closed, or a backend refused: the client sees its connection end
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            close(from);
            close(to);
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        acceptor.interrupt();
    }
}
