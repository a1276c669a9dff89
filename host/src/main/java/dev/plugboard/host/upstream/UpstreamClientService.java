package dev.plugboard.host.upstream;

import dev.plugboard.api.config.Secrets;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamException;
import dev.plugboard.api.upstream.UpstreamListener;
import dev.plugboard.api.upstream.UpstreamTarget;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;

/**
 * The {@link UpstreamClients} service: the engine's codec on the client side, over stdio or
 * Streamable HTTP (both revisions) or HTTP+SSE. Each bundle gets its own instance; the connections it opened are closed (their
 * processes ended) when it releases the service.
 */
public final class UpstreamClientService implements ServiceFactory<UpstreamClients> {

    private final JsonRpcCodec codec;
    private final String version;
    private final Secrets secrets;

    /**
     * @param codec the engine's codec
     * @param version the host's version, sent as the client's in the handshake
     */
    public UpstreamClientService(JsonRpcCodec codec, String version) {
        this(codec, version, null);
    }

    /**
     * @param secrets resolves {@code ${env:NAME}} and {@code ${file:path}} in upstream headers and
     *     environment values (so that {@code config/mcp-servers.json} need not hold tokens in clear), or null
     */
    public UpstreamClientService(JsonRpcCodec codec, String version, Secrets secrets) {
        this.codec = codec;
        this.version = version;
        this.secrets = secrets;
    }

    private UpstreamTarget resolved(UpstreamTarget target) throws UpstreamException {
        if (secrets == null) {
            return target;
        }
        try {
            return switch (target) {
                case UpstreamTarget.Stdio s -> new UpstreamTarget.Stdio(s.command(), s.args(), resolved(s.env()),
                        s.workingDirectory());
                case UpstreamTarget.Http h -> new UpstreamTarget.Http(h.url(), resolved(h.headers()));
                case UpstreamTarget.Sse h -> new UpstreamTarget.Sse(h.url(), resolved(h.headers()));
            };
        } catch (IllegalArgumentException e) {
            throw new UpstreamException(-32603, "the upstream's configuration names a secret that cannot be read: "
                    + e.getMessage());
        }
    }

    private Map<String, String> resolved(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, secrets.resolve(v)));
        return out;
    }

    @Override
    public UpstreamClients getService(Bundle bundle, ServiceRegistration<UpstreamClients> registration) {
        return new BundleClients();
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<UpstreamClients> registration, UpstreamClients service) {
        ((BundleClients) service).close();
    }

    private final class BundleClients implements UpstreamClients {

        private final Set<ClientConnection> open = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        @Override
        public UpstreamConnection connect(UpstreamTarget target, Duration timeout, UpstreamListener listener)
                throws UpstreamException, InterruptedException {
            return connect(target, null, timeout, listener);
        }

        @Override
        public UpstreamConnection connect(UpstreamTarget target, String protocolVersion, Duration timeout,
                UpstreamListener listener) throws UpstreamException, InterruptedException {
            Objects.requireNonNull(target, "target");
            if (protocolVersion != null && !ClientConnection.STATELESS.equals(protocolVersion)
                    && !ClientConnection.VERSIONS.contains(protocolVersion)) {
                throw new IllegalArgumentException("protocol version " + protocolVersion + " is not one this client speaks");
            }
            Objects.requireNonNull(listener, "listener");
            target = resolved(target);
            if (closed) {
                throw new IllegalStateException("the UpstreamClients service was released");
            }
            String name = switch (target) {
                case UpstreamTarget.Stdio s -> s.command();
                case UpstreamTarget.Http h -> h.url().getHost() + ":" + h.url().getPort();
                case UpstreamTarget.Sse h -> h.url().getHost() + ":" + h.url().getPort();
            };
            Wire wire = switch (target) {
                case UpstreamTarget.Stdio s -> new StdioWire(s, name, codec.mapper());
                case UpstreamTarget.Http h -> new HttpWire(h, name, codec.mapper(), timeout);
                case UpstreamTarget.Sse h -> new SseWire(h, name, codec.mapper(), timeout);
            };
            ClientConnection[] self = new ClientConnection[1];
            ClientConnection connection = new ClientConnection(name, wire, codec, listener, version, timeout,
                    protocolVersion, () -> open.remove(self[0]));
            self[0] = connection;
            open.add(connection);
            try {
                connection.open();
            } catch (UpstreamException | InterruptedException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return connection;
        }

        void close() {
            closed = true;
            open.forEach(ClientConnection::close);
        }
    }
}
