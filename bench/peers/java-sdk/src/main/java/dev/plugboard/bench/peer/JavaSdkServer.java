package dev.plugboard.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import org.apache.catalina.Context;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;

/**
 * Benchmark peer: an MCP server built the way the official Java SDK (2.1.0) documents it — the Streamable
 * HTTP servlet transport ({@link HttpServletStreamableServerTransportProvider}) on embedded Tomcat, a sync
 * server with one {@code echo} tool. Stateful sessions at {@code /mcp} on 127.0.0.1.
 *
 * <p>Arguments: {@code --port N} (0 = pick a free port), optionally {@code --threads platform|virtual}
 * (default {@code platform}: Tomcat's usual worker pool) and {@code --max-threads N} (default 200, Tomcat's
 * default; ignored with virtual threads).
 *
 * <p>Prints exactly one line, {@code LISTENING <port>}, on stdout once the connector accepts connections.
 * Logs nothing per request (SDK logging at WARN, Tomcat's JUL logging at WARNING). Stops on SIGTERM/SIGINT.
 */
public final class JavaSdkServer {

	private static final String MCP_ENDPOINT = "/mcp";

	private static final String ECHO_INPUT_SCHEMA = """
			{"type":"object","properties":{"message":{"type":"string","description":"Text to echo"}},"required":["message"]}""";

	/** Strong reference, or the JUL level setting can be garbage collected with the logger. */
	private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

	/**
	 * On stop, Tomcat's class-loader leak check warns about the SDK's Reactor threads (boundedElastic), which
	 * are first started from a request thread; they are daemon threads and harmless here.
	 */
	private static final Logger TOMCAT_LEAK_LOG = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");

	private JavaSdkServer() {
	}

	public static void main(String[] args) throws Exception {
		int port = 0;
		boolean virtualThreads = false;
		int maxThreads = 200;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
				case "--threads" -> {
					String mode = value(args, ++i, "--threads");
					if (!mode.equals("platform") && !mode.equals("virtual")) {
						usage("--threads must be platform or virtual");
					}
					virtualThreads = mode.equals("virtual");
				}
				case "--max-threads" -> maxThreads = Integer.parseInt(value(args, ++i, "--max-threads"));
				default -> usage("unknown argument: " + args[i]);
			}
		}

		TOMCAT_LOG.setLevel(Level.WARNING);
		TOMCAT_LEAK_LOG.setLevel(Level.SEVERE);

		McpJsonMapper jsonMapper = McpJsonDefaults.getMapper();

		// Defaults as the SDK ships them: keep-alive pings and the idle-session sweeper both every 30 minutes,
		// no Origin/Host validation (loopback only), JSON response for initialize, SSE for every other request.
		HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider
			.builder()
			.jsonMapper(jsonMapper)
			.mcpEndpoint(MCP_ENDPOINT)
			.build();

		SyncToolSpecification echo = SyncToolSpecification.builder()
			.tool(Tool.builder("echo").description("Echoes the message back").inputSchema(jsonMapper, ECHO_INPUT_SCHEMA).build())
			// CallToolResult.builder() defaults isError to false (and rejects null), so every result would carry
			// "isError":false. The record constructor accepts null, which NON_ABSENT leaves out: the result is
			// exactly {"content":[{"type":"text","text":...}]}, the same bytes as the other peers.
			.callHandler((exchange, request) -> new CallToolResult(
					List.of(new TextContent(String.valueOf(request.arguments().get("message")))), null, null, null))
			.build();

		McpSyncServer mcpServer = McpServer.sync(transport)
			.serverInfo("plugboard-bench-java-sdk-peer", "0.1.0")
			.capabilities(ServerCapabilities.builder().tools(false).build())
			.tools(echo)
			.build();

		Path baseDir = Files.createTempDirectory("java-sdk-peer-tomcat");
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(baseDir.toString());

		Connector connector = new Connector("HTTP/1.1"); // NIO
		connector.setPort(port);
		connector.setThrowOnFailure(true);
		connector.setProperty("address", "127.0.0.1");
		// 1,000+ sessions, each possibly with an open GET stream (async, holds no worker thread).
		connector.setProperty("maxConnections", "10000");
		connector.setProperty("acceptCount", "1024");
		// Tomcat closes a keep-alive connection after 100 requests by default; a benchmark client would then
		// pay for reconnects that have nothing to do with the SDK.
		connector.setProperty("maxKeepAliveRequests", "-1");
		if (virtualThreads) {
			connector.setProperty("useVirtualThreads", "true");
		}
		else {
			connector.setProperty("maxThreads", Integer.toString(maxThreads));
		}
		tomcat.setConnector(connector);

		Context context = tomcat.addContext("", baseDir.toString());
		if (context instanceof StandardContext standard) {
			// These checks only print advice to add --add-opens on JDK 17+.
			standard.setClearReferencesThreadLocals(false);
			standard.setClearReferencesRmiTargets(false);
		}
		Wrapper wrapper = Tomcat.addServlet(context, "mcp", transport);
		wrapper.setAsyncSupported(true);
		wrapper.setLoadOnStartup(1);
		context.addServletMappingDecoded(MCP_ENDPOINT, "mcp");

		try {
			tomcat.start();
		}
		catch (Exception e) {
			// e.g. the port is taken. Tomcat's own threads are not daemons: exit explicitly.
			System.err.println("java-sdk-peer: cannot start on 127.0.0.1:" + port + ": " + e);
			deleteRecursively(baseDir);
			System.exit(1);
		}
		int localPort = connector.getLocalPort();
		if (localPort <= 0) {
			System.err.println("java-sdk-peer: connector did not bind (port " + port + ")");
			System.exit(1);
		}

		// SIGTERM and SIGINT run the JVM's shutdown hooks: stop the server there. Tomcat's threads are not
		// daemons, so the process lives until then.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				mcpServer.closeGracefully();
				tomcat.stop();
				tomcat.destroy();
				deleteRecursively(baseDir);
			}
			catch (Exception e) {
				System.err.println("java-sdk-peer: error during shutdown: " + e);
			}
		}, "shutdown"));
		System.out.println("LISTENING " + localPort);
		System.out.flush();
	}

	private static String value(String[] args, int i, String flag) {
		if (i >= args.length) {
			usage(flag + " needs a value");
		}
		return args[i];
	}

	private static void usage(String problem) {
		System.err.println("java-sdk-peer: " + problem);
		System.err.println("usage: java -jar java-sdk-peer.jar --port N [--threads platform|virtual] [--max-threads N]");
		System.exit(2);
	}

	private static void deleteRecursively(Path root) {
		try {
			Files.walkFileTree(root, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
					Files.delete(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
					Files.delete(dir);
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
