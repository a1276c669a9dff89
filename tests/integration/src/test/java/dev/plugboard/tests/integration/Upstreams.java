package dev.plugboard.tests.integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code @modelcontextprotocol/server-everything} from the e2e project's npm install, as an upstream
 * for the proxy tests: its stdio entry for {@code mcp-servers.json}, or a Streamable HTTP server on
 * a free loopback port.
 */
final class Upstreams {

    final Path node;
    final Path everything;

    private Upstreams(Path node, Path everything) {
        this.node = node;
        this.everything = everything;
    }

    /** Finds node and the server, or fails with what to do. */
    static Upstreams find() {
        Path modules = Path.of(System.getProperty("plugboard.test.npm", "../e2e/node_modules")).toAbsolutePath();
        Path node = modules.resolve("node/bin/node");
        Path everything = modules.resolve("@modelcontextprotocol/server-everything/dist/index.js");
        if (!Files.isExecutable(node) || !Files.isRegularFile(everything)) {
            throw new IllegalStateException("The proxy tests need the npm packages of tests/e2e (node 22 and "
                    + "@modelcontextprotocol/server-everything) in " + modules + "; run 'npm ci' in tests/e2e");
        }
        return new Upstreams(node, everything);
    }

    /** An entry of {@code mcpServers} running the server over stdio. */
    String stdioEntry(String name, String extra) {
        return "\"" + name + "\": {\"command\": \"" + node + "\", \"args\": [\"" + everything + "\", \"stdio\"]"
                + extra + "}";
    }

    /** Writes {@code config/mcp-servers.json} in one go. */
    static void writeServers(Path root, String... entries) throws IOException {
        write(root, "mcp-servers.json", "{\"mcpServers\": {" + String.join(", ", entries) + "}}");
    }

    /** Writes a file of {@code config/} in one go (a temporary file renamed over it). */
    static void write(Path root, String file, String content) throws IOException {
        Path config = Files.createDirectories(root.resolve("config"));
        Path temp = config.resolve(file + ".tmp");
        Files.writeString(temp, content);
        Files.move(temp, config.resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The server over Streamable HTTP on a free loopback port; destroy it when done. */
    Process http(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(node.toString(), everything.toString(), "streamableHttp")
                .redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        Process p = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null;) {
            if (line.contains("listening on port")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return p;
            }
        }
        throw new AssertionError("the HTTP upstream did not start: exit " + p.exitValue());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
