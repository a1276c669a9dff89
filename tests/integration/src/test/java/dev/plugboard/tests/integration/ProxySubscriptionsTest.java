package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource subscriptions through the proxy, with the real "everything" server upstream: a client's
 * {@code resources/subscribe} to one of the upstream's resources is passed on to the upstream, and
 * the upstream's {@code notifications/resources/updated} reaches the subscribed client, on
 * {@code /mcp} and on a virtual server that shows the resource.
 */
class ProxySubscriptionsTest {

    private static final Duration NOTICE = Duration.ofSeconds(60);
    private static final String URI = "demo://resource/static/document/architecture.md";
    private static Upstreams upstreams;

    @TempDir
    Path root;

    @BeforeAll
    static void findTheUpstream() {
        upstreams = Upstreams.find();
    }

    @Test
    void anUpstreamsResourceUpdateReachesTheSubscribedClient() throws Exception {
        Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""));
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-proxy")) {
            subscribeAndHearAnUpdate(host, host.mcp);
        }
    }

    @Test
    void anUpstreamsResourceUpdateReachesASubscriberOfAVirtualServer() throws Exception {
        Upstreams.writeServers(root, upstreams.stdioEntry("everything", ""));
        Upstreams.write(root, "virtual-servers.json", """
                {"docs": {"tools": ["everything__toggle-subscriber-updates"],
                          "resources": ["demo://resource/static/document/*"]}}""");
        try (TestHost host = TestHost.start(root, Map.of(), "plugboard-proxy")) {
            java.net.URI docs = java.net.URI.create("http://127.0.0.1:" + host.host.port() + "/servers/docs/mcp");
            subscribeAndHearAnUpdate(host, docs);

            String other = "{\"uri\":\"demo://resource/dynamic/text/1\"}";
            assertThat(new McpClient(host.mcp).initialize().call("resources/subscribe", other).has("result"))
                    .as("the upstream's other resource, on /mcp").isTrue();
            JsonNode outside = new McpClient(docs).initialize().call("resources/subscribe", other);
            assertThat(outside.at("/error/code").asInt()).as("a resource the server does not show").isEqualTo(-32002);
        }
    }

    /** Subscribes a new session of that endpoint to the upstream's resource, and hears it updated. */
    private static void subscribeAndHearAnUpdate(TestHost host, java.net.URI endpoint) throws Exception {
        Eventually.await("the upstream's resources", NOTICE, () -> host.host.catalog().resources().find(URI).isPresent());
        Eventually.await("the upstream's tools", NOTICE, () -> host.hasTool("everything__toggle-subscriber-updates"));
        McpClient watcher = new McpClient(endpoint).initialize();
        try (McpClient.Stream watching = watcher.openStream()) {
            JsonNode subscribed = watcher.call("resources/subscribe", "{\"uri\":\"" + URI + "\"}");
            assertThat(subscribed.has("result")).as("%s", subscribed).isTrue();
            // the upstream sends updates of what it was subscribed to once this tool is called
            JsonNode toggled = watcher.callTool("everything__toggle-subscriber-updates", "{}");
            assertThat(toggled.path("isError").asBoolean()).as("%s", toggled).isFalse();

            JsonNode updated = watching.await("notifications/resources/updated", NOTICE);
            assertThat(updated).as("the update on the subscriber's stream at %s", endpoint).isNotNull();
            assertThat(updated.at("/params/uri").asText()).isEqualTo(URI);
        }
    }
}
