package dev.plugboard.plugins.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The resource and prompt refreshes of one upstream overlap (the one after connecting, one per
 * {@code list_changed}) and their answers may come back in any order: the catalogue must end with
 * the newest listing, never an older answer handled last (as {@link UpstreamToolRefreshTest} for tools).
 */
class UpstreamEntriesRefreshTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HeldListings connection = new HeldListings("resources/list", "prompts/list");
    private final RecordingGroup group = new RecordingGroup();
    private final UpstreamEntries entries = new UpstreamEntries(ServersFile.parse(
            "{\"mcpServers\": {\"up\": {\"command\": \"fake\"}}}".getBytes(StandardCharsets.UTF_8), JSON, Path.of("."))
            .upstreams().get("up"), ServersFile.DEFAULT_SEPARATOR, group, JSON, (method, params, context, doing) -> "{}");

    @Test
    void anOlderResourceListAnsweredLastDoesNotReplaceTheNewerOne() throws Exception {
        Thread connecting = Thread.ofVirtual().start(() -> entries.refreshAll(connection, c -> true));
        CompletableFuture<String> older = connection.nextHeld();
        assertThat(older).as("the refresh after connecting").isNotNull();
        assertThat(entries.notified("notifications/resources/list_changed", connection, c -> true)).isTrue();
        CompletableFuture<String> newer = connection.nextHeld();
        assertThat(newer).as("the refresh the notification started").isNotNull();

        newer.complete("{\"resources\": [{\"uri\": \"file:///added\", \"name\": \"added\"}]}");
        assertThat(group.resources.poll(30, TimeUnit.SECONDS)).containsExactly("file:///added");
        older.complete("{\"resources\": [{\"uri\": \"file:///before\", \"name\": \"before\"}]}");
        // the connecting thread lists the prompts once its resource refresh is done
        connection.nextHeld().complete("{\"prompts\": []}");
        connecting.join();
        assertThat(group.resources).as("no older list offered after the newer one").isEmpty();
        assertThat(entries.health()).containsEntry("resources", 1);
    }

    @Test
    void anOlderPromptListAnsweredLastDoesNotReplaceTheNewerOne() throws Exception {
        Thread connecting = Thread.ofVirtual().start(() -> entries.refreshAll(connection, c -> true));
        // the resources are listed first, answered at once below, then the prompts
        connection.nextHeld().complete("{\"resources\": []}");
        assertThat(group.resources.poll(30, TimeUnit.SECONDS)).isEmpty();
        CompletableFuture<String> older = connection.nextHeld();
        assertThat(older).as("the prompt refresh after connecting").isNotNull();
        assertThat(entries.notified("notifications/prompts/list_changed", connection, c -> true)).isTrue();
        CompletableFuture<String> newer = connection.nextHeld();
        assertThat(newer).as("the refresh the notification started").isNotNull();

        newer.complete("{\"prompts\": [{\"name\": \"added\"}]}");
        assertThat(group.prompts.poll(30, TimeUnit.SECONDS)).containsExactly("up__added");
        older.complete("{\"prompts\": [{\"name\": \"before\"}]}");
        connecting.join();
        assertThat(group.prompts).as("no older list offered after the newer one").isEmpty();
        assertThat(entries.health()).containsEntry("prompts", 1);
    }
}
