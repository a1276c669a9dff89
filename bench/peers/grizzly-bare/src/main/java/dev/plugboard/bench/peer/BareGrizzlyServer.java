package dev.plugboard.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Benchmark peer: an echo handler on Grizzly 4 and Jackson, the HTTP server and JSON library
 * Plugboard runs on, with no MCP logic (no capabilities, no schemas, no tool registry, no
 * validation beyond what the load generator needs). It answers the requests the load generator
 * sends the way an MCP server would, so that its throughput and CPU per request are the ceiling of
 * the stack: {@code initialize} gets a session id, a notification gets 202, {@code tools/call}
 * gets the message of its arguments back as one text content, DELETE ends the session. Every answer
 * is {@code application/json}.
 *
 * <p>Arguments: {@code --port N} (0 = pick a free port). Prints exactly one line,
 * {@code LISTENING <port>}, once it accepts connections; logs nothing per request; stops on
 * SIGTERM/SIGINT. Grizzly runs with its defaults (a worker thread pool of platform threads).
 */
public final class BareGrizzlyServer {

    private static final String SESSION_HEADER = "Mcp-Session-Id";
    private static final String JSON = "application/json";

    private BareGrizzlyServer() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("grizzly-bare-peer: unknown argument " + args[i]);
                System.err.println("usage: java -jar grizzly-bare-peer.jar --port N");
                System.exit(2);
            }
        }
        Logger.getLogger("org.glassfish.grizzly").setLevel(Level.WARNING);
        HttpServer server = new HttpServer();
        NetworkListener listener = new NetworkListener("bare", "127.0.0.1", port);
        // As Plugboard's front door: a connection is not closed after Grizzly's default of 256 requests.
        listener.getKeepAlive().setMaxRequestsCount(-1);
        server.addListener(listener);
        server.getServerConfiguration().addHttpHandler(new Echo(new ObjectMapper()), "/mcp");
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "shutdown"));
        System.out.println("LISTENING " + listener.getPort());
        System.out.flush();
        // Grizzly's threads are daemons: the main thread keeps the process alive until it is stopped.
        Thread.currentThread().join();
    }

    /** The handler at {@code /mcp}. */
    private static final class Echo extends HttpHandler {

        private final ObjectMapper mapper;
        private final Set<String> sessions = ConcurrentHashMap.newKeySet();

        Echo(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public void service(Request request, Response response) throws IOException {
            Method method = request.getMethod();
            String session = request.getHeader(SESSION_HEADER);
            if (method == Method.DELETE) {
                response.setStatus(session != null && sessions.remove(session) ? 200 : 404);
                return;
            }
            if (method != Method.POST) {
                response.setStatus(405);
                return;
            }
            JsonNode message = mapper.readTree(request.getInputStream());
            String rpcMethod = message.path("method").asText();
            if (rpcMethod.equals("initialize")) {
                session = UUID.randomUUID().toString();
                sessions.add(session);
                response.setHeader(SESSION_HEADER, session);
                ObjectNode result = mapper.createObjectNode()
                        .put("protocolVersion", message.path("params").path("protocolVersion").asText("2025-11-25"));
                result.putObject("capabilities").putObject("tools");
                result.putObject("serverInfo").put("name", "plugboard-bench-grizzly-bare-peer").put("version", "0.1.0");
                answer(response, message, result);
                return;
            }
            if (session == null || !sessions.contains(session)) {
                response.setStatus(404);
                return;
            }
            if (!message.has("id")) {
                response.setStatus(202);
                return;
            }
            ObjectNode result = mapper.createObjectNode();
            result.putArray("content").addObject().put("type", "text")
                    .put("text", message.path("params").path("arguments").path("message").asText());
            answer(response, message, result);
        }

        private void answer(Response response, JsonNode request, ObjectNode result) throws IOException {
            ObjectNode body = mapper.createObjectNode().put("jsonrpc", "2.0");
            body.set("id", request.get("id"));
            body.set("result", result);
            response.setContentType(JSON);
            mapper.writeValue(response.getOutputStream(), body);
        }
    }
}
