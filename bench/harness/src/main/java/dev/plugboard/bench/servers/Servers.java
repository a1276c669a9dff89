package dev.plugboard.bench.servers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts each server under test the same way: on a free loopback port, pinned to the server CPUs
 * when pinning is on, with its output in the work folder's logs.
 */
public final class Servers {

    /** How long any server may take to start. */
    public static final Duration START_LIMIT = Duration.ofSeconds(120);

    /** The peers. */
    public enum Peer {
        /** The official Java SDK's Streamable HTTP servlet transport on an embedded container. */
        JAVA_SDK,
        /** The official TypeScript SDK answering with JSON. */
        TS_SDK_JSON,
        /** The official TypeScript SDK answering with SSE. */
        TS_SDK_SSE,
        /** An echo handler on bare Grizzly and Jackson, no MCP logic: the ceiling of Plugboard's stack. */
        GRIZZLY_BARE
    }

    /** A started server and the MCP endpoint it serves. */
    public record Running(ServerProcess process, URI mcp, URI health) implements AutoCloseable {
        @Override
        public void close() {
            process.close();
        }
    }

    private final Layout layout;
    private final String serverCpus;

    /**
     * @param layout where everything lives
     * @param serverCpus the CPUs servers run on ({@code taskset -c} syntax), or null for any
     */
    public Servers(Layout layout, String serverCpus) {
        this.layout = layout;
        this.serverCpus = serverCpus;
    }

    /**
     * Starts Plugboard with the given bundles in a fresh deploy folder, and waits until it is ready.
     *
     * @param name the name in reports and logs
     * @param bundles the bundle jars to deploy
     * @param data the data folder (kept between starts when the caller reuses it)
     * @param settings extra {@code --set} settings
     */
    public Running plugboard(String name, List<Path> bundles, Path data, Map<String, String> settings)
            throws IOException, InterruptedException {
        Running running = launchPlugboard(name, deployFolder(name, bundles), data, settings, Map.of(), freePort());
        try {
            running.process().awaitHttp200(running.health(), START_LIMIT);
            return running;
        } catch (IOException e) {
            running.close();
            throw e;
        }
    }

    /**
     * Starts Plugboard with a configuration folder of its own (plugin files such as
     * {@code mcp-servers.json}), and waits until it is ready.
     */
    public Running plugboard(String name, List<Path> bundles, Path data, Map<String, String> settings, Path config)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(layout.plugboard().toString(), "serve", "--config",
                config.toString()));
        int port = freePort();
        Running running = launch(name, command, deployFolder(name, bundles), data, settings, Map.of(), port);
        try {
            running.process().awaitHttp200(running.health(), START_LIMIT);
            return running;
        } catch (IOException e) {
            running.close();
            throw e;
        }
    }

    /** Starts Plugboard on a port without waiting for it. */
    public Running launchPlugboard(String name, Path deploy, Path data, Map<String, String> settings,
            Map<String, String> environment, int port) throws IOException {
        return launch(name, new ArrayList<>(List.of(layout.plugboard().toString(), "serve")), deploy, data, settings,
                environment, port);
    }

    private Running launch(String name, List<String> command, Path deploy, Path data, Map<String, String> settings,
            Map<String, String> environment, int port) throws IOException {
        command.addAll(List.of("--port", Integer.toString(port), "--bundles", deploy.toString(), "--data",
                data.toString()));
        settings.forEach((k, v) -> command.addAll(List.of("--set", k + "=" + v)));
        Map<String, String> env = new HashMap<>(environment);
        env.put("PLUGBOARD_JAVA", layout.java().toString());
        ServerProcess p = ServerProcess.start(name, pinned(command), env, log(name));
        return new Running(p, URI.create("http://127.0.0.1:" + port + "/mcp"),
                URI.create("http://127.0.0.1:" + port + "/health/ready"));
    }

    /** Starts a peer and waits until it listens. */
    public Running peer(Peer peer, String name) throws IOException, InterruptedException {
        Running running = launchPeer(peer, name, freePort());
        try {
            running.process().awaitListening(START_LIMIT);
            return running;
        } catch (IOException e) {
            running.close();
            throw e;
        }
    }

    /** Starts a peer on a port without waiting for it. */
    public Running launchPeer(Peer peer, String name, int port) throws IOException {
        String p = Integer.toString(port);
        List<String> command = switch (peer) {
            case JAVA_SDK -> List.of(layout.java().toString(), "-jar", layout.javaSdkPeer().toString(), "--port", p);
            case TS_SDK_JSON -> List.of(layout.node().toString(), layout.tsSdkPeer().toString(), "--port", p,
                    "--response", "json");
            case TS_SDK_SSE -> List.of(layout.node().toString(), layout.tsSdkPeer().toString(), "--port", p,
                    "--response", "sse");
            case GRIZZLY_BARE -> List.of(layout.java().toString(), "-jar", layout.grizzlyBarePeer().toString(),
                    "--port", p);
        };
        ServerProcess process = ServerProcess.start(name, pinned(command), Map.of(), log(name));
        return new Running(process, URI.create("http://127.0.0.1:" + port + "/mcp"), null);
    }

    /** A fresh deploy folder holding copies of the bundles. */
    public Path deployFolder(String name, List<Path> bundles) throws IOException {
        Path deploy = layout.work().resolve(name).resolve("bundles");
        Files.createDirectories(deploy);
        try (var old = Files.list(deploy)) {
            for (Path f : old.toList()) {
                Files.delete(f);
            }
        }
        for (Path b : bundles) {
            Files.copy(b, deploy.resolve(b.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return deploy;
    }

    /** The command, run on the server CPUs when pinning is on. */
    public List<String> pinned(List<String> command) {
        if (serverCpus == null) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("taskset", "-c", serverCpus));
        out.addAll(command);
        return out;
    }

    /** Where a server's output goes. */
    public Path log(String name) {
        return layout.work().resolve("logs").resolve(name + ".log");
    }

    /** A loopback port nothing listens on. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Where everything lives. */
    public Layout layout() {
        return layout;
    }
}
