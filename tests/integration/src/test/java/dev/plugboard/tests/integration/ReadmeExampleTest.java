package dev.plugboard.tests.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin shown in the README is the one built as a fixture, and it works as described. */
class ReadmeExampleTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();

    @TempDir
    Path root;

    @Test
    void theReadmeShowsTheFixtureSourceVerbatim() throws Exception {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        String source = Files.readString(REPOSITORY.resolve(
                "tests/fixtures/greeter/src/main/java/com/example/greeter/Greeter.java"));
        assertThat(readme).contains("```java\n" + source + "```");
        assertThat(source.lines().count()).isLessThanOrEqualTo(20);
    }

    @Test
    void theExampleDeploysAndAnswers() throws Exception {
        try (TestHost host = TestHost.start(root, Map.of(), "fixture-greeter")) {
            McpClient c = new McpClient(host.mcp).initialize();
            var tools = c.call("tools/list", null).at("/result/tools");
            var greet = tools.get(0);
            assertThat(greet.get("name").asText()).isEqualTo("greet");
            assertThat(greet.at("/inputSchema/required").toString()).isEqualTo("[\"name\"]");
            assertThat(greet.at("/inputSchema/properties/tone/enum").toString()).isEqualTo("[\"FRIENDLY\",\"FORMAL\"]");
            assertThat(c.callTool("greet", "{\"name\":\"Ada\"}").at("/content/0/text").asText()).isEqualTo("Hi Ada!");
            assertThat(c.callTool("greet", "{\"name\":\"Ada\",\"tone\":\"FORMAL\"}").at("/content/0/text").asText())
                    .isEqualTo("Good day, Ada.");
        }
    }
}
