package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void serveTakesFlagsInBothForms() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"serve", "--port", "0", "--host=::1", "--set", "mcp.pageSize=5",
            "--config", "conf"});
        assertThat(c.command()).isEqualTo("serve");
        assertThat(c.settings()).containsEntry("http.port", "0").containsEntry("http.host", "::1")
                .containsEntry("mcp.pageSize", "5");
        assertThat(c.configDir()).isEqualTo(Path.of("conf").toAbsolutePath());
    }

    @Test
    void pathsBecomeAbsolute() throws Exception {
        CommandLine c = CommandLine.parse(new String[] {"stdio", "--bundles", "b", "--data", "d"});
        assertThat(Path.of(c.settings().get("paths.bundles"))).isAbsolute();
        assertThat(Path.of(c.settings().get("paths.data"))).isAbsolute();
    }

    @Test
    void helpAndVersionWinOverEverything() throws Exception {
        assertThat(CommandLine.parse(new String[] {}).command()).isEqualTo("help");
        assertThat(CommandLine.parse(new String[] {"serve", "--help"}).command()).isEqualTo("help");
        assertThat(CommandLine.parse(new String[] {"--version"}).command()).isEqualTo("version");
    }

    @Test
    void mistakesAreExplained() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"launch"})).hasMessageContaining("unknown command 'launch'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"serve", "--port"})).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"serve", "--colour", "red"}))
                .hasMessageContaining("unknown flag '--colour'");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"serve", "--set", "novalue"}))
                .hasMessageContaining("key=value");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"stdio", "--port", "1"}))
                .hasMessageContaining("serve, not to stdio");
    }

    @Test
    void helpDocumentsEveryCommandFlagAndSetting() {
        String help = Main.help();
        assertThat(help).contains("serve", "stdio", "--host", "--port", "--bundles", "--config", "--data", "--set",
                "tools.timeoutSeconds", "http.maxBodyBytes", "/health/ready");
    }

    @Test
    void parsesTheKitCommandsWithTheirArguments() throws Exception {
        CommandLine created = CommandLine.parse(new String[] {"new-plugin", "weather-tools", "--group", "org.acme"});
        assertThat(created.command()).isEqualTo("new-plugin");
        assertThat(created.arguments()).containsExactly("weather-tools");
        assertThat(created.options()).containsEntry("group", "org.acme");
        CommandLine checked = CommandLine.parse(new String[] {"check-bundle", "a.jar", "lib.jar"});
        assertThat(checked.arguments()).containsExactly("a.jar", "lib.jar");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"new-plugin"})).hasMessageContaining("needs one NAME");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"new-plugin", "a", "b"})).hasMessageContaining("needs one NAME");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"check-bundle"})).hasMessageContaining("needs the jar");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"check-bundle", "a.jar", "--group", "x"}))
                .hasMessageContaining("unknown flag '--group'");
    }
}
