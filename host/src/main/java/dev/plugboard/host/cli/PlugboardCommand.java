package dev.plugboard.host.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code plugboard}: without a command it prints its help; {@link Main} adds the commands. */
@Command(name = "plugboard", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Plugboard: an MCP server built as an OSGi plugin host.",
        synopsisSubcommandLabel = "COMMAND",
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

    /** {@code plugboard version}. */
    @Command(name = "version", mixinStandardHelpOptions = true, description = "Print the version.")
    static final class Version implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().println(new Main.Version().getVersion()[0]);
            return 0;
        }
    }

    /** {@code plugboard completion}: the script covers every command, so it is built with all of them. */
    @Command(name = "completion", mixinStandardHelpOptions = true,
            description = "Print a bash completion script for plugboard; load it with: source <(plugboard completion)")
    static final class Completion implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CommandLine root = spec.commandLine().getParent();
            spec.commandLine().getOut().print(AutoComplete.bash("plugboard", root));
            spec.commandLine().getOut().flush();
            return 0;
        }
    }
}
