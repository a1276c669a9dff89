package dev.plugboard.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path home;

    private CliRun run(String... args) {
        return CliRun.of(home, args);
    }

    @Test
    void anUnknownOptionIsNamedInOneLineWithExitCode2() {
        CliRun r = run("serve", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("plugboard serve: unknown option '--bogus' (see plugboard serve --help)\n");
        CliRun trailing = run("serve", "--port", "0", "--colour", "red");
        assertThat(trailing.err()).startsWith("plugboard serve: unknown option '--colour'");
    }

    @Test
    void aMisspelledOptionGetsASuggestion() {
        CliRun r = run("serve", "--bundle", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option '--bundle'").contains("did you mean --bundles?");
    }

    @Test
    void aStrayWordIsNamedAsAnArgumentNotAsAFlag() {
        CliRun r = run("serve", "word");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo(
                "plugboard serve: unexpected argument 'word' (plugboard serve takes options only) (see plugboard serve --help)\n");
        CliRun extra = run("new-plugin", "a", "b");
        assertThat(extra.code()).isEqualTo(2);
        assertThat(extra.err()).contains("unexpected argument 'b'").doesNotContain("takes options only");
    }

    @Test
    void anUnknownCommandIsNamed() {
        CliRun r = run("launch");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("plugboard: unknown command 'launch'");
        assertThat(run("modules", "lst").err()).startsWith("plugboard modules: unknown command 'lst'");
    }

    @Test
    void missingValuesAndArgumentsAreUsageErrors() {
        assertThat(run("serve", "--port").err()).contains("--port").contains("(see plugboard serve --help)");
        assertThat(run("serve", "--set", "novalue").err()).contains("KEY=VALUE").contains("novalue");
        assertThat(run("stdio", "--port", "1").err()).contains("unknown option '--port'");
        CliRun eval = run("search-eval");
        assertThat(eval.code()).isEqualTo(2);
        assertThat(eval.err()).contains("--tools").contains("--queries");
        assertThat(run("check-bundle").err()).contains("JAR");
        assertThat(run("new-plugin").err()).contains("NAME");
        assertThat(run("modules", "update", "only-a-name").err()).contains("FILE");
        assertThat(run("search-eval", "--tools", "t", "--queries", "q", "--mode", "fuzzy").err())
                .contains("--mode").contains("fuzzy");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {{}, {"serve"}, {"stdio"}, {"search-eval"}, {"new-plugin"},
            {"check-bundle"}, {"modules"}, {"modules", "list"}, {"modules", "install"}, {"modules", "update"},
            {"modules", "start"}, {"modules", "stop"}, {"modules", "remove"}, {"config"}, {"config", "get"},
            {"config", "set"}}) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            CliRun r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args))
                    .contains("Usage: plugboard" + (command.length == 0 ? "" : " " + String.join(" ", command)));
        }
        assertThat(run("help", "serve").out()).contains("Usage: plugboard serve");
    }

    @Test
    void helpDocumentsEveryCommandFlagAndSetting() {
        CliRun top = run();
        assertThat(top.code()).isZero();
        assertThat(top.out()).contains("serve", "stdio", "search-eval", "new-plugin", "check-bundle", "modules", "config",
                "completion", "Exit codes: 0", "/health/ready");
        assertThat(run("serve", "--help").out()).contains("--host", "--port", "--bundles", "--config", "--data", "--set",
                "tools.timeoutSeconds", "http.maxBodyBytes", "log.level");
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertThat(Main.commandLine("serve", "--port", "0").getSubcommands()).containsOnlyKeys("serve");
        assertThat(Main.commandLine("keys", "list").getSubcommands()).containsOnlyKeys("keys");
        for (String[] args : new String[][] {{}, {"--help"}, {"help", "serve"}, {"completion"}, {"serv"}}) {
            assertThat(Main.commandLine(args).getSubcommands().keySet()).as(String.join(" ", args))
                    .containsExactly("serve", "stdio", "search-eval", "new-plugin", "check-bundle", "modules", "config",
                            "keys", "help", "version", "completion");
        }
        assertThat(run("serv").err()).isEqualTo("plugboard: unknown command 'serv' (see plugboard --help)\n");
    }

    @Test
    void versionInEveryForm() {
        for (String[] args : new String[][] {{"--version"}, {"-V"}, {"version"}, {"serve", "--version"}}) {
            CliRun r = run(args);
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("plugboard ");
        }
    }

    @Test
    void printsACompletionScriptForEveryCommand() {
        CliRun r = run("completion");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("complete -F", "plugboard", "serve", "search-eval", "check-bundle", "modules",
                "--bundles");
    }

    @Test
    void aDeployFolderThatDoesNotExistIsRefused() {
        Path missing = home.resolve("no-such-folder");
        CliRun r = run("serve", "--port", "0", "--bundles", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("plugboard serve: the deploy folder " + missing + " does not exist; create it first "
                + "(mkdir -p " + missing + "), or leave --bundles out to use " + home.resolve("bundles") + "\n");
        assertThat(missing).doesNotExist();
    }

    @Test
    void aConfigFolderThatDoesNotExistIsRefused() {
        Path missing = home.resolve("no-config");
        CliRun r = run("stdio", "--config", missing.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("plugboard stdio: the config folder " + missing + " does not exist");
    }

    @Test
    void aBadLogLevelNamesTheKeyTheFileAndTheAllowedValues() throws Exception {
        Path config = Files.createDirectories(home.resolve("conf"));
        Files.writeString(config.resolve("plugboard.properties"), "log.level=LOUD\n");
        CliRun r = run("serve", "--port", "0", "--config", config.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("plugboard serve: setting 'log.level' must be one of OFF, SEVERE, WARNING, INFO, "
                + "CONFIG, FINE, FINER, FINEST, ALL, not 'LOUD' (from " + config.resolve("plugboard.properties") + ")\n");
        assertThat(run("serve", "--set", "log.level=shout").err()).contains("'log.level'").contains("from the command line");
    }

    @Test
    void aTakenPortIsNamedAtOnceWithItsAddress() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            CliRun r = run("serve", "--host", "127.0.0.1", "--port", String.valueOf(port));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).startsWith("plugboard serve: cannot listen on 127.0.0.1:" + port
                    + ": the address is already in use");
        }
    }

    @Test
    void anAddressThisMachineDoesNotHaveIsNamed() {
        CliRun r = run("serve", "--host", "192.0.2.7", "--port", "8080");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("plugboard serve: cannot listen on 192.0.2.7:8080: this machine has no such address");
    }
}
