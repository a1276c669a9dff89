package dev.plugboard.plugins.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.api.context.RequestContext;
import dev.plugboard.api.dynamic.DynamicPrompt;
import dev.plugboard.api.dynamic.DynamicResource;
import dev.plugboard.api.dynamic.DynamicResourceTemplate;
import dev.plugboard.api.dynamic.DynamicSubscriptions;
import dev.plugboard.api.dynamic.DynamicTool;
import dev.plugboard.api.dynamic.ToolGroup;
import dev.plugboard.api.upstream.UpstreamConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The resource and prompt refreshes of one upstream overlap (the one after connecting, one per
 * {@code list_changed}) and their answers may come back in any order: the catalogue must end with
 * the newest listing, never an older answer handled last (as {@link UpstreamToolRefreshTest} for tools).
 */
class UpstreamEntriesRefreshTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeConnection connection = new FakeConnection();
    private final RecordingGroup group = new RecordingGroup();
    private final UpstreamEntries entries = new UpstreamEntries(ServersFile.parse(
            "{\"mcpServers\": {\"up\": {\"command\": \"fake\"}}}".getBytes(StandardCharsets.UTF_8), JSON, Path.of("."))
            .upstreams().get("up"), ServersFile.DEFAULT_SEPARATOR, group, JSON, (method, params, context, doing) -> "{}");

    @Test
    void anOlderResourceListAnsweredLastDoesNotReplaceTheNewerOne() throws Exception {
        Thread connecting = Thread.ofVirtual().start(() -> entries.refreshAll(connection, c -> true));
        CompletableFuture<String> older = connection.listings.poll(30, TimeUnit.SECONDS);
        assertThat(older).as("the refresh after connecting").isNotNull();
        assertThat(entries.notified("notifications/resources/list_changed", connection, c -> true)).isTrue();
        CompletableFuture<String> newer = connection.listings.poll(30, TimeUnit.SECONDS);
        assertThat(newer).as("the refresh the notification started").isNotNull();

        newer.complete("{\"resources\": [{\"uri\": \"file:///added\", \"name\": \"added\"}]}");
        assertThat(group.resources.poll(30, TimeUnit.SECONDS)).containsExactly("file:///added");
        older.complete("{\"resources\": [{\"uri\": \"file:///before\", \"name\": \"before\"}]}");
        // the connecting thread lists the prompts once its resource refresh is done
        connection.listings.poll(30, TimeUnit.SECONDS).complete("{\"prompts\": []}");
        connecting.join();
        assertThat(group.resources).as("no older list offered after the newer one").isEmpty();
        assertThat(entries.health()).containsEntry("resources", 1);
    }

    @Test
    void anOlderPromptListAnsweredLastDoesNotReplaceTheNewerOne() throws Exception {
        Thread connecting = Thread.ofVirtual().start(() -> entries.refreshAll(connection, c -> true));
        // the resources are listed first, answered at once below, then the prompts
        connection.listings.poll(30, TimeUnit.SECONDS).complete("{\"resources\": []}");
        assertThat(group.resources.poll(30, TimeUnit.SECONDS)).isEmpty();
        CompletableFuture<String> older = connection.listings.poll(30, TimeUnit.SECONDS);
        assertThat(older).as("the prompt refresh after connecting").isNotNull();
        assertThat(entries.notified("notifications/prompts/list_changed", connection, c -> true)).isTrue();
        CompletableFuture<String> newer = connection.listings.poll(30, TimeUnit.SECONDS);
        assertThat(newer).as("the refresh the notification started").isNotNull();

        newer.complete("{\"prompts\": [{\"name\": \"added\"}]}");
        assertThat(group.prompts.poll(30, TimeUnit.SECONDS)).containsExactly("up__added");
        older.complete("{\"prompts\": [{\"name\": \"before\"}]}");
        connecting.join();
        assertThat(group.prompts).as("no older list offered after the newer one").isEmpty();
        assertThat(entries.health()).containsEntry("prompts", 1);
    }

    /** An upstream whose resource and prompt lists are answered when the test says (templates at once). */
    private static final class FakeConnection implements UpstreamConnection {

        final BlockingQueue<CompletableFuture<String>> listings = new LinkedBlockingQueue<>();

        @Override
        public String protocolVersion() {
            return "2025-11-25";
        }

        @Override
        public String initializeResult() {
            return "{\"protocolVersion\": \"2025-11-25\", \"capabilities\": {\"resources\": {\"listChanged\": true},"
                    + " \"prompts\": {\"listChanged\": true}}, \"serverInfo\": {\"name\": \"fake\", \"version\": \"1\"}}";
        }

        @Override
        public CompletableFuture<String> request(String method, String params, RequestContext context) {
            return switch (method) {
                case "resources/list", "prompts/list" -> {
                    CompletableFuture<String> answer = new CompletableFuture<>();
                    listings.add(answer);
                    yield answer;
                }
                case "resources/templates/list" -> CompletableFuture.completedFuture("{\"resourceTemplates\": []}");
                default -> CompletableFuture.completedFuture("{}");
            };
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** The catalogue's side: records the URIs of each resource list and the names of each prompt list offered. */
    private static final class RecordingGroup implements ToolGroup {

        final BlockingQueue<List<String>> resources = new LinkedBlockingQueue<>();
        final BlockingQueue<List<String>> prompts = new LinkedBlockingQueue<>();

        @Override
        public String name() {
            return "up";
        }

        @Override
        public List<String> setTools(List<DynamicTool> tools) {
            return List.of();
        }

        @Override
        public List<String> setResources(List<DynamicResource> listed, List<DynamicResourceTemplate> templates) {
            resources.add(listed.stream().map(DynamicResource::uri).toList());
            return List.of();
        }

        @Override
        public List<String> setPrompts(List<DynamicPrompt> listed) {
            prompts.add(listed.stream().map(DynamicPrompt::name).toList());
            return List.of();
        }

        @Override
        public void requireRole(String role) {
        }

        @Override
        public void onSubscriptions(DynamicSubscriptions subscriptions) {
        }

        @Override
        public void close() {
        }
    }
}
