package dev.plugboard.host.dynamic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.host.catalog.Catalog;
import dev.plugboard.host.catalog.Provider;
import dev.plugboard.host.plugin.ComponentIntrospector;
import dev.plugboard.host.protocol.jsonrpc.JsonRpcCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A group's entries stay visible while the group replaces others: a proxy refreshing an upstream's
 * tools must not take its resources (or the tools that stay) away from a reader for a moment.
 */
class GroupSwapTest {

    private static final String URI = "demo://resource/static/a.md";

    private final ObjectMapper mapper = JsonRpcCodec.newMapper();
    private final Catalog catalog = new Catalog(new ComponentIntrospector(mapper, 2), Duration.ofMillis(200));
    private final Group group = new Group("upstream", catalog,
            new Provider("test.proxy", "1.0.0", 9, 1_000_000, 0, false), mapper, 4, g -> { });

    private static DynamicTool tool(String description) {
        return DynamicTool.of("up__echo", description, "{\"type\": \"object\"}", (a, c) -> "{\"content\":[]}");
    }

    @Test
    void entriesThatStayAreNeverMissingWhileTheGroupChangesOthers() throws Exception {
        group.setTools(List.of(tool("first")));
        group.setResources(List.of(new DynamicResource(URI, "a", null, null, "text/plain",
                (uri, context) -> "[]")), List.of());
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong reads = new AtomicLong();
        AtomicLong missing = new AtomicLong();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                reads.incrementAndGet();
                if (catalog.resources().find(URI).isEmpty() || catalog.tool("up__echo").isEmpty()) {
                    missing.incrementAndGet();
                }
            }
        });
        try {
            for (int i = 0; i < 2_000; i++) {
                group.setTools(List.of(tool("description " + i))); // the resource stays
                group.setPrompts(List.of()); // the tool and the resource stay
            }
        } finally {
            done.set(true);
            reader.join();
        }
        assertThat(reads.get()).isPositive();
        assertThat(missing.get()).as("reads that found the resource or the tool missing").isZero();
    }
}
