package dev.plugboard.plugins.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.catalog.CatalogEvents;
import dev.plugboard.api.dynamic.DynamicCatalog;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.api.upstream.UpstreamClients;
import dev.plugboard.api.upstream.UpstreamConnection;
import dev.plugboard.api.upstream.UpstreamListener;
import dev.plugboard.api.upstream.UpstreamTarget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tool refreshes of one upstream overlap (the one after connecting, one per
 * {@code notifications/tools/list_changed}) and their answers may come back in any order: the
 * catalogue must end with the newest list, never an older answer handled last.
 */
class UpstreamToolRefreshTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HeldListings connection = new HeldListings("tools/list");
    private final RecordingGroup group = new RecordingGroup();
    private Upstream upstream;

    @AfterEach
    void close() {
        if (upstream != null) {
            upstream.close();
        }
        timer.shutdownNow();
    }

    @Test
    void anOlderToolListAnsweredLastDoesNotReplaceTheNewerOne() throws Exception {
        UpstreamSettings settings = ServersFile.parse("{\"mcpServers\": {\"up\": {\"command\": \"fake\"}}}"
                .getBytes(StandardCharsets.UTF_8), JSON, Path.of(".")).upstreams().get("up");
        CompletableFuture<UpstreamListener> listener = new CompletableFuture<>();
        UpstreamClients clients = new UpstreamClients() {
            @Override
            public UpstreamConnection connect(UpstreamTarget target, Duration timeout, UpstreamListener l) {
                return connect(target, null, timeout, l);
            }

            @Override
            public UpstreamConnection connect(UpstreamTarget target, String protocolVersion, Duration timeout,
                    UpstreamListener l) {
                listener.complete(l);
                return connection;
            }
        };
        DynamicCatalog catalog = new DynamicCatalog() {
            @Override
            public ToolGroup openToolGroup(String name) {
                return group;
            }

            @Override
            public void setProblems(List<String> problems) {
            }
        };
        upstream = new Upstream(settings, ServersFile.DEFAULT_SEPARATOR, clients, catalog, JSON, timer,
                new NoEvents(), new BreakerMeters(new SimpleMeterRegistry()));
        upstream.start();

        // the refresh after connecting asks first; a list_changed right after starts a second one
        CompletableFuture<String> older = connection.nextHeld();
        assertThat(older).as("the refresh after connecting").isNotNull();
        listener.get(30, TimeUnit.SECONDS).notified("notifications/tools/list_changed", "{}");
        CompletableFuture<String> newer = connection.nextHeld();
        assertThat(newer).as("the refresh the notification started").isNotNull();

        newer.complete(tools("added"));
        assertThat(group.tools.poll(30, TimeUnit.SECONDS)).containsExactly("up__added");
        older.complete(tools("before"));
        // the connecting thread lists resources once its tool refresh is done
        assertThat(connection.awaitAsked("resources/list")).isTrue();
        assertThat(group.tools).as("no older list offered after the newer one").isEmpty();
    }

    private static String tools(String name) {
        return "{\"tools\": [{\"name\": \"" + name + "\", \"inputSchema\": {\"type\": \"object\"}}]}";
    }

    private static final class NoEvents implements CatalogEvents {
        @Override
        public void resourceUpdated(String uri) {
        }

        @Override
        public void toolsChanged() {
        }

        @Override
        public void resourcesChanged() {
        }

        @Override
        public void promptsChanged() {
        }
    }
}
