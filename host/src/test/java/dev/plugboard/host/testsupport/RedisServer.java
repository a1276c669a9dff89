package dev.plugboard.host.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code redis-server} process on a loopback port, saving nothing to disk, for the tests of
 * the host and of {@code tests/integration} (shipped in the host's test jar, never in the host).
 * A missing binary fails the test naming the package to install.
 */
public final class RedisServer implements AutoCloseable {

    /** How many free ports {@link #start()} tries when another process takes the one it picked. */
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server on a free loopback port (another port if a process took it meanwhile). */
    public static RedisServer start() throws IOException, InterruptedException {
        return startOnFreePort(List.of());
    }

    /**
     * Starts a server with more {@code redis-server} options (such as {@code --cluster-enabled yes})
     * on a free loopback port.
     */
    public static RedisServer startOnFreePort(List<String> options) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            try {
                return launch(port, options);
            } catch (PortTaken e) {
                last = e;
            }
        }
        throw new AssertionError("redis-server found no free port in " + ATTEMPTS + " attempts", last);
    }

    /**
     * Starts a server on a given port (a server restarted where the nodes expect it), waiting while
     * another process still holds the port.
     */
    public static RedisServer start(int port) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return launch(port, List.of());
            } catch (PortTaken e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("port " + port + " stayed taken: " + e.getMessage(), e);
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** A free loopback port (free when asked; {@link #start()} copes with a race for it). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** redis-server could not bind its port. */
    private static final class PortTaken extends IOException {
        PortTaken(String message) {
            super(message);
        }
    }

    private static RedisServer launch(int port, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port), "--bind",
                "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(options);
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("redis-server is needed for this test (apt-get install -y redis-server): "
                    + e.getMessage(), e);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        StringBuilder output = new StringBuilder();
        Thread.ofPlatform().daemon().name("redis-server-" + port).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    if (!ready.isDone()) {
                        synchronized (output) {
                            output.append(line).append('\n');
                        }
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IOException("redis-server ended its output"));
        });
        try {
            ready.get(30, TimeUnit.SECONDS);
            return new RedisServer(p, port);
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            p.waitFor();
            String said;
            synchronized (output) {
                said = output.toString();
            }
            if (said.contains("Address already in use")) {
                throw new PortTaken("port " + port + " is taken");
            }
            throw new AssertionError("redis-server did not start on port " + port + ": " + e + "\n" + said, e);
        }
    }

    /** The port it listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** The URL nodes are given as {@code store.redis.url}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Whether a key exists. */
    public boolean exists(String key) {
        return "1".equals(cli("EXISTS", key));
    }

    /** A key's remaining time to live in milliseconds (negative: none, or no such key). */
    public long pttl(String key) {
        return Long.parseLong(cli("PTTL", key));
    }

    /** When a key expires, as a Unix time in milliseconds (negative: never, or no such key). */
    public long expiresAt(String key) {
        return Long.parseLong(cli("PEXPIRETIME", key));
    }

    /** Runs a command with {@code redis-cli} and returns its output, trimmed. */
    public String cli(String... args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            throw new AssertionError("redis-cli failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Kills the server at once (an outage; it keeps nothing). */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Kills the server (as {@link #kill()}); an interrupt while waiting for it to end is kept for the caller. */
    @Override
    public void close() {
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
