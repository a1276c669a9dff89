package dev.plugboard.host.engine;

import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.invoke.Invocations;
import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.session.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** An engine over a catalogue filled with plain Java components, without a framework. */
public final class EngineFixture implements AutoCloseable {

    /** The JSON settings. */
    public final JsonRpcCodec codec = new JsonRpcCodec();
    /** Reads components. */
    public final ComponentIntrospector introspector = new ComponentIntrospector(codec.mapper(), 8);
    /** The catalogue. */
    public final Catalog catalog = new Catalog(introspector, Duration.ofSeconds(1));
    /** The sessions. */
    public final Sessions sessions = new Sessions(Duration.ofMinutes(5), 100);
    /** The engine. */
    public final McpEngine engine;

    /** An engine with the given page size and call time limit. */
    public EngineFixture(int pageSize, Duration timeout) {
        this(pageSize, timeout, false);
    }

    /** An engine with the given page size, call time limit and tool listing. */
    public EngineFixture(int pageSize, Duration timeout, boolean searchMode) {
        engine = new McpEngine(new EngineSettings("plugboard", "test", "Be nice", pageSize,
                "a test key that is long enough to be accepted".getBytes(StandardCharsets.UTF_8), timeout,
                Duration.ofSeconds(10), searchMode), catalog, new Invocations(timeout), sessions, codec);
    }

    /** Registers what a component offers, as the host would for a plugin service with this id. */
    public Catalog.Registration register(long serviceId, Object component) {
        Provider provider = Provider.host(serviceId);
        return catalog.register(provider, introspector.apply(component, provider));
    }

    @Override
    public void close() {
        engine.close();
        sessions.close();
    }
}
