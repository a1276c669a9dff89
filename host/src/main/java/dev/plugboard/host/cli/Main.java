package dev.plugboard.host.cli;

import dev.plugboard.host.Plugboard;
import dev.plugboard.host.config.HostConfig;
import dev.plugboard.host.stdio.StdioTransport;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of {@code bin/plugboard}.
 */
public final class Main {

    private static final String HELP = """
            Plugboard %s: an MCP server built as an OSGi plugin host.

            Usage:
              plugboard serve [options]   serve MCP over Streamable HTTP at http://HOST:PORT/mcp
              plugboard stdio [options]   serve one MCP client over standard input and output
              plugboard --help            print this help
              plugboard --version         print the version

            Options:
              --host ADDRESS     address to bind (serve only; default 127.0.0.1, loopback)
              --port N           port to bind (serve only; default 8080; 0 picks a free port)
              --bundles DIR      deploy folder watched for plugin bundles (default <home>/bundles)
              --config DIR       folder holding plugboard.properties (default <home>/config)
              --data DIR         folder for the host's state (default <home>/data)
              --set KEY=VALUE    any setting of plugboard.properties, for example
                                 --set tools.timeoutSeconds=30 (repeatable)

            Settings (plugboard.properties keys and defaults):
            %s
            Health: GET /health/live, GET /health/ready (200 once start-up deployment is done).
            Logs go to standard error (or log.file), never to standard output.
            """;

    private Main() {
    }

    /** Runs a command; exits with 0 on success, 1 on a start-up failure, 2 on a usage error. */
    public static void main(String[] args) {
        PrintStream stdout = System.out;
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("plugboard: " + e.getMessage() + " (see plugboard --help)");
            System.exit(2);
            return;
        }
        switch (line.command()) {
            case "help" -> stdout.print(help());
            case "version" -> stdout.println("plugboard " + Plugboard.version());
            default -> System.exit(run(line));
        }
    }

    private static int run(CommandLine line) {
        boolean stdio = line.command().equals("stdio");
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        if (stdio) {
            System.setOut(System.err);
        }
        HostConfig config;
        try {
            config = HostConfig.load(home(), line.configDir(), line.settings());
            LogSetup.configure(config.logLevel(), config.logFile());
        } catch (RuntimeException | java.io.IOException e) {
            System.err.println("plugboard: " + e.getMessage());
            return 2;
        }
        Plugboard host;
        try {
            host = Plugboard.start(config, !stdio);
        } catch (Exception e) {
            System.err.println("plugboard: could not start: " + e.getMessage());
            java.util.logging.Logger.getLogger(Main.class.getName()).log(java.util.logging.Level.FINE, "start-up failure", e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            host.close();
            stopped.countDown();
        }, "plugboard-shutdown"));
        try {
            if (stdio) {
                new StdioTransport(host.engine(), host.codec(), new FileInputStream(FileDescriptor.in), protocolOut,
                        config.maxMessageBytes()).run();
                return 0;
            }
            stopped.await();
            return 0;
        } catch (java.io.IOException e) {
            System.err.println("plugboard: standard input failed: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static Path home() {
        String home = System.getProperty("plugboard.home");
        return Path.of(home == null ? "." : home).toAbsolutePath().normalize();
    }

    static String help() {
        StringBuilder settings = new StringBuilder();
        HostConfig.DEFAULTS.forEach((k, v) -> settings.append(String.format("  %-28s %s%n", k, v.isEmpty() ? "(empty)" : v)));
        return HELP.formatted(Plugboard.version(), settings);
    }
}
