package dev.plugboard.api.upstream;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Where an upstream MCP server is, and how to reach it. */
public sealed interface UpstreamTarget {

    /**
     * A server started as a child process, speaking newline-delimited JSON-RPC on its standard
     * input and output; its standard error goes to the host's log.
     *
     * @param command the program (looked up on the {@code PATH} when it has no folder)
     * @param args its arguments
     * @param env variables added to the host's environment
     * @param workingDirectory the folder it runs in, or null for the host's
     */
    record Stdio(String command, List<String> args, Map<String, String> env, Path workingDirectory)
            implements UpstreamTarget {

        /** Copies the collections. */
        public Stdio {
            Objects.requireNonNull(command, "command");
            args = List.copyOf(args == null ? List.of() : args);
            env = Map.copyOf(env == null ? Map.of() : env);
        }
    }

    /**
     * A server reached over Streamable HTTP: the stateless revision 2026-07-28 when the server
     * answers {@code server/discover} with it, otherwise a session of revision 2025-11-25 (see
     * {@link UpstreamClients#connect(UpstreamTarget, String, java.time.Duration, UpstreamListener)} to pin one).
     *
     * @param url the MCP endpoint, {@code http} or {@code https}
     * @param headers headers sent with every request (such as {@code Authorization})
     */
    record Http(URI url, Map<String, String> headers) implements UpstreamTarget {

        /** Checks the scheme and copies the headers. */
        public Http {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("an MCP endpoint URL must be http or https: " + url);
            }
            headers = Map.copyOf(headers == null ? Map.of() : headers);
        }
    }

    /**
     * A server reached over the HTTP+SSE transport of revision 2024-11-05: a GET opens its event
     * stream, which names where to POST messages.
     *
     * @param url the event stream's URL, {@code http} or {@code https}
     * @param headers headers sent with every request (such as {@code Authorization})
     * @since 1.1
     */
    record Sse(URI url, Map<String, String> headers) implements UpstreamTarget {

        /** Checks the scheme and copies the headers. */
        public Sse {
            Objects.requireNonNull(url, "url");
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("an SSE endpoint URL must be http or https: " + url);
            }
            headers = Map.copyOf(headers == null ? Map.of() : headers);
        }
    }
}
