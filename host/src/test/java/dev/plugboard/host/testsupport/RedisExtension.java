package dev.plugboard.host.testsupport;

import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import dev.plugboard.host.store.Store;
import dev.plugboard.host.store.StoreSettings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives each test a {@link RedisServer} of its own, and after the test closes what the test opened
 * against it (newest first: nodes before the server they talk to) and kills the server. Register it
 * on an instance field: {@code @RegisterExtension final RedisExtension redis = new RedisExtension();}
 */
public final class RedisExtension implements BeforeEachCallback, AfterEachCallback {

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private RedisServer server;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        server = RedisServer.start();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (AutoCloseable resource; (resource = opened.pollFirst()) != null;) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        server.close();
        if (first != null) {
            throw first;
        }
    }

    /** The test's server (the one {@link #startAgain()} started, after that). */
    public RedisServer server() {
        return server;
    }

    /** The URL nodes are given as {@code store.redis.url}. */
    public String url() {
        return server.url();
    }

    /**
     * Starts the server again on its port after the test killed it (an outage ends, with every key
     * lost); the new one is killed after the test.
     */
    public RedisServer startAgain() throws Exception {
        server.close();
        server = RedisServer.start(server.port());
        return server;
    }

    /** Closes a resource after the test, before the server is killed (newest first). */
    public <T extends AutoCloseable> T closeAfter(T resource) {
        opened.addFirst(resource);
        return resource;
    }

    /** A node's store on this server, closed after the test. */
    public Store store(Duration idleTimeout) {
        return closeAfter(Store.open(new StoreSettings(url()), JsonRpcCodec.newMapper(), idleTimeout));
    }
}
