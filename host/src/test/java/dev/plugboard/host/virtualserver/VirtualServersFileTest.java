package dev.plugboard.host.virtualserver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code virtual-servers.json}: good entries, bad entries beside them, and a broken file. */
class VirtualServersFileTest {

    private final ObjectMapper mapper = new ObjectMapper();

    private VirtualServersFile.Parsed parse(String json) {
        return VirtualServersFile.parse(json.getBytes(StandardCharsets.UTF_8), mapper);
    }

    @Test
    void goodEntriesAreReadAndBadOnesReportedBesideThem() {
        VirtualServersFile.Parsed parsed = parse("""
                {"dev": {"tools": ["everything__*", "calculate"], "resources": ["demo://*"], "prompts": "everything__*",
                         "mode": "search", "description": "For developers", "colour": "blue"},
                 "empty": {},
                 "bad mode": {"tools": ["*"]},
                 "wrongmode": {"mode": "fast"},
                 "notglobs": {"tools": [1]},
                 "notobject": ["x"]}""");
        assertThat(parsed.fileError()).isNull();
        assertThat(parsed.servers()).containsOnlyKeys("dev", "empty");
        VirtualServerSpec dev = parsed.servers().get("dev");
        assertThat(dev.searchMode()).isTrue();
        assertThat(dev.description()).isEqualTo("For developers");
        assertThat(dev.prompts()).isEqualTo(List.of("everything__*"));
        assertThat(parsed.warnings()).singleElement().asString().contains("\"colour\"");
        assertThat(parsed.servers().get("empty").searchMode()).isFalse();
        assertThat(parsed.problems()).containsOnlyKeys("bad mode", "wrongmode", "notglobs", "notobject");
        assertThat(parsed.problems().get("bad mode")).contains("1 to 64 characters");
        assertThat(parsed.problems().get("wrongmode")).isEqualTo("\"mode\" must be \"direct\" or \"search\", not \"fast\"");
        assertThat(parsed.problems().get("notglobs")).contains("\"tools\" must hold only non-empty strings");
    }

    @Test
    void globsSelectByNameOrUri() {
        VirtualServerSpec spec = parse("""
                {"virtualServers": {"s": {"tools": ["ev__get-*", "calc?late"], "resources": ["demo://resource/static/*"],
                 "prompts": ["ev__simple-prompt"]}}}""").servers().get("s");
        assertThat(spec.showsTool("ev__get-sum")).isTrue();
        assertThat(spec.showsTool("calculate")).isTrue();
        assertThat(spec.showsTool("ev__echo")).isFalse();
        assertThat(spec.showsTool("xev__get-sum")).isFalse();
        assertThat(spec.showsResource("demo://resource/static/document/a.md")).isTrue();
        assertThat(spec.showsResource("demo://resource/dynamic/text/{resourceId}")).isFalse();
        assertThat(spec.showsPrompt("ev__simple-prompt")).isTrue();
        assertThat(spec.showsPrompt("ev__args-prompt")).isFalse();
        assertThat(VirtualServerSpec.glob("a.b(c)").matcher("a.b(c)").matches()).as("others are literal").isTrue();
    }

    @Test
    void aFileThatIsNotJsonIsOneErrorAndAnEmptyFileServesNothing() {
        assertThat(parse("{\"dev\": {\"tools\": [").fileError()).startsWith("virtual-servers.json is not valid JSON");
        assertThat(parse("[1]").fileError()).contains("must hold an object");
        VirtualServersFile.Parsed empty = parse("");
        assertThat(empty.fileError()).isNull();
        assertThat(empty.servers()).isEmpty();
    }
}
