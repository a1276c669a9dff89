package dev.plugboard.host.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.protocol.tools.CallToolResult;
import dev.plugboard.host.security.Globs;
import dev.plugboard.host.security.Operation;
import dev.plugboard.host.security.Rights;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VisibleResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Rights ESSENTIALS = new Rights(Set.of(Operation.CATALOG), new Globs(List.of("essentials.*")),
            Globs.ALL, Globs.NONE, Globs.NONE);

    private static CallToolResult result(String structured) throws Exception {
        JsonNode node = JSON.readTree(structured);
        return new CallToolResult(List.of(JSON.createObjectNode().put("type", "text").put("text", structured)), node,
                false);
    }

    @Test
    void searchResultsKeepOnlyWhatTheCallerMayUse() throws Exception {
        CallToolResult hits = result("{\"query\":\"q\",\"results\":["
                + "{\"kind\":\"tool\",\"key\":\"calculate\",\"bundle\":\"plugboard-essentials\"},"
                + "{\"kind\":\"tool\",\"key\":\"hello\",\"bundle\":\"dev.plugboard.fixtures.hello\"},"
                + "{\"kind\":\"prompt\",\"key\":\"code_review\",\"bundle\":\"x\"}]}");
        CallToolResult seen = VisibleResults.filter(hits, ESSENTIALS);
        assertThat(seen.structuredContent().get("results")).hasSize(1);
        assertThat(seen.structuredContent().at("/results/0/key").asText()).isEqualTo("calculate");
        assertThat(seen.content().get(0).get("text").asText()).contains("calculate").doesNotContain("hello")
                .doesNotContain("code_review");
        assertThat(VisibleResults.filter(hits, Rights.ALL).structuredContent().get("results")).hasSize(3);
    }

    @Test
    void describingAnInvisibleToolIsLikeDescribingNone() throws Exception {
        CallToolResult hidden = VisibleResults.filter(result("{\"name\":\"hello\",\"inputSchema\":{},"
                + "\"bundle\":\"dev.plugboard.fixtures.hello\"}"), ESSENTIALS);
        assertThat(hidden.isError()).isTrue();
        assertThat(hidden.content().get(0).get("text").asText()).contains("no tool named 'hello'");
        CallToolResult shown = result("{\"name\":\"calculate\",\"inputSchema\":{},\"bundle\":\"plugboard-essentials\"}");
        assertThat(VisibleResults.filter(shown, ESSENTIALS)).isSameAs(shown);
    }
}
