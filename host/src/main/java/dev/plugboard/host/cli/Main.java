package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of {@code bin/plugboard}: parses the command line with picocli and runs the command.
 *
 * <p>Exit codes, the same for every command: 0 when it did what was asked, 1 when it ran and failed
 * (the port was taken, the server answered an error, a checked bundle has a problem), 2 when the
 * command line or the configuration is wrong and nothing was started.
 */
public final class Main {

    /** The exit code of a command that ran and failed. */
    static final int FAILED = 1;
    /** The exit code of a wrong command line or configuration. */
    static final int USAGE = 2;

    private Main() {
    }

    /** Runs a command and exits with its code. */
    public static void main(String[] args) {
        // Before anything touches java.util.logging: a log manager that lets the shutdown hook log.
        System.setProperty("java.util.logging.manager", LogSetup.ShutdownLogManager.class.getName());
        System.exit(commandLine(args).execute(args));
    }

    /** Every command, in the order the help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();
    /** The commands that work on all the others, and so are built with every command. */
    private static final Set<String> EVERY_COMMAND = Set.of("help", "completion");

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
        commands.put("serve", ServeCommand::new);
        commands.put("stdio", StdioCommand::new);
        commands.put("search-eval", SearchEvalCommand::new);
        commands.put("new-plugin", NewPluginCommand::new);
        commands.put("check-bundle", CheckBundleCommand::new);
        commands.put("modules", ModulesCommand::new);
        commands.put("config", ConfigCommand::new);
        commands.put("keys", KeysCommand::new);
        commands.put("help", CommandLine.HelpCommand::new);
        commands.put("version", PlugboardCommand.Version::new);
        commands.put("completion", PlugboardCommand.Completion::new);
        return commands;
    }

    /**
     * The command line for these arguments, with its exit codes and one-line error messages. When the
     * arguments name a command, only that command is built: picocli reads a command's annotations when
     * it is added, and reading all of them cost {@code plugboard serve} 0.2 s of its start. Help,
     * completion and anything that names no command get every command.
     */
    static CommandLine commandLine(String... args) {
        CommandLine line = new CommandLine(new PlugboardCommand());
        String named = args.length == 0 ? null : args[0];
        if (named != null && COMMANDS.containsKey(named) && !EVERY_COMMAND.contains(named)) {
            line.addSubcommand(named, COMMANDS.get(named).get());
        } else {
            COMMANDS.forEach((name, command) -> line.addSubcommand(name, command.get()));
        }
        // After the commands: picocli applies these settings to the commands present when they are set.
        line.setParameterExceptionHandler(Main::usageError);
        // A command reports its own failures; this is for what none of them expected.
        line.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println(prefix(cl) + ": failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        });
        line.setCaseInsensitiveEnumValuesAllowed(true);
        String settings = settingsTable();
        for (String name : new String[] {"serve", "stdio"}) {
            CommandLine command = line.getSubcommands().get(name);
            if (command == null) {
                continue;
            }
            var usage = command.getCommandSpec().usageMessage();
            usage.footer(usage.footer().length == 0 ? settings : usage.footer()[0] + "%n" + settings);
        }
        return line;
    }

    /** One line naming the mistake, then where to read more; exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String message;
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-")) {
                var suggestions = unmatched.getSuggestions();
                message = "unknown option '" + first + "'"
                        + (suggestions.isEmpty() ? "" : "; did you mean " + String.join(" or ", suggestions) + "?");
            } else {
                boolean takesArguments = !cl.getCommandSpec().positionalParameters().isEmpty();
                message = cl.getCommandSpec().subcommands().isEmpty()
                        ? "unexpected argument '" + first + "'" + (takesArguments ? "" : " (" + commandName(cl)
                                + " takes options only)")
                        : "unknown command '" + first + "'";
            }
        } else {
            message = e.getMessage();
        }
        err.println(prefix(cl) + ": " + message + " (see " + commandName(cl) + " --help)");
        return USAGE;
    }

    /** "plugboard serve", the prefix of the command's error messages. */
    static String prefix(CommandLine cl) {
        return commandName(cl);
    }

    private static String commandName(CommandLine cl) {
        return cl.getCommandSpec().qualifiedName(" ");
    }

    static Path home() {
        String home = System.getProperty("plugboard.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    private static String settingsTable() {
        StringBuilder table = new StringBuilder("Settings (plugboard.properties keys and defaults; change one with --set KEY=VALUE):%n");
        HostConfig.DEFAULTS.forEach((k, v) -> table.append(String.format("  %-30s %s", k, v.isEmpty() ? "(empty)" : v)
                .replace("%", "%%")).append("%n"));
        return table.toString();
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"plugboard " + Plugboard.version()};
        }
    }
}
