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
     * A server reached over Streamable HTTP (revision 2025-11-25, with a session).
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
}
