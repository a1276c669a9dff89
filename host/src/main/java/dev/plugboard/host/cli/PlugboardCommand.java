package dev.plugboard.host.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plugboard}: without a command it prints its help. */
@Command(name = "plugboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Plugboard: an MCP server built as an OSGi plugin host.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {ServeCommand.class, StdioCommand.class, SearchEvalCommand.class, NewPluginCommand.class,
            CheckBundleCommand.class, ModulesCommand.class, ConfigCommand.class, KeysCommand.class,
            HelpCommand.class},
        footer = {"", "Exit codes: 0 done, 1 the command ran and failed, 2 wrong command line or configuration.",
            "Health: GET /health/live, GET /health/ready (200 once start-up deployment is done).",
            "Logs go to standard error (or log.file), never to standard output.",
            "Run plugboard COMMAND --help for a command's options; docs/cli.md describes them all."})
final class PlugboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
    int version() {
        spec.commandLine().getOut().println(new Main.Version().getVersion()[0]);
        return 0;
    }

    @Command(name = "completion", mixinStandardHelpOptions = true,
            description = "Print a bash completion script for plugboard; load it with: source <(plugboard completion)")
    int completion() {
        spec.commandLine().getOut().print(AutoComplete.bash("plugboard", spec.commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
