package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        System.exit(commandLine().execute(args));
    }

    /** The command line with every command, its exit codes and its one-line error messages. */
    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new PlugboardCommand());
        line.setParameterExceptionHandler(Main::usageError);
        // A command reports its own failures; this is for what none of them expected.
        line.setExecutionExceptionHandler((e, cl, parsed) -> {
            cl.getErr().println(prefix(cl) + ": failed: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return FAILED;
        });
        line.setCaseInsensitiveEnumValuesAllowed(true);
        String settings = settingsTable();
        for (String name : new String[] {"serve", "stdio"}) {
            var usage = line.getSubcommands().get(name).getCommandSpec().usageMessage();
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
