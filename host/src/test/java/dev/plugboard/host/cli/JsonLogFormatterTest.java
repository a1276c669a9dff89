package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.plugboard.host.config.HostConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log.format=json}: one parseable JSON object per line, fields of the request line included. */
class JsonLogFormatterTest {

    private final ObjectMapper json = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @TempDir
    Path home;

    @Test
    void aRecordIsOneLineOfJson() throws Exception {
        LogRecord r = new LogRecord(Level.WARNING, "Handling \"x\"\nfailed: caf\u00e9 {0}");
        r.setLoggerName("dev.plugboard.host.engine.McpEngine");
        r.setParameters(new Object[] {"now"});
        r.setThrown(new IllegalStateException("boom"));
        String line = formatter.format(r);
        assertThat(line.strip()).doesNotContain("\n").matches("\\p{ASCII}*");
        JsonNode node = json.readTree(line);
        assertThat(node.get("level").asText()).isEqualTo("WARNING");
        assertThat(node.get("logger").asText()).isEqualTo("dev.plugboard.host.engine.McpEngine");
        assertThat(node.get("message").asText()).isEqualTo("Handling \"x\"\nfailed: caf\u00e9 now");
        assertThat(node.get("error").asText()).startsWith("java.lang.IllegalStateException: boom");
        assertThat(node.get("time").asText()).endsWith("Z");
    }

    @Test
    void theFieldsOfARequestLineAreJsonFields() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("door", "mcp");
        fields.put("tool", "echo");
        fields.put("durationMs", 0.25);
        LogRecord r = new LogRecord(Level.FINE, "request " + fields);
        r.setLoggerName("dev.plugboard.host.requests");
        r.setParameters(new Object[] {fields});
        JsonNode node = json.readTree(formatter.format(r));
        assertThat(node.get("door").asText()).isEqualTo("mcp");
        assertThat(node.get("tool").asText()).isEqualTo("echo");
        assertThat(node.get("durationMs").asDouble()).isEqualTo(0.25);
    }

    @Test
    void theFormatIsASetting() {
        assertThat(HostConfig.load(home, null, Map.of()).logFormat()).isEqualTo("text");
        assertThat(HostConfig.load(home, null, Map.of("log.format", "JSON")).logFormat()).isEqualTo("json");
        assertThatThrownBy(() -> HostConfig.load(home, null, Map.of("log.format", "xml")))
                .hasMessageContaining("setting 'log.format' must be one of text, json, not 'xml'");
    }
}
